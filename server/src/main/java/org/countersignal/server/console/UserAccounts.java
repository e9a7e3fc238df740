package org.countersignal.server.console;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.ApiKeys;
import org.countersignal.server.auth.CreatedKey;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * People who sign in to the console with a username and password. Each user is backed by an API
 * key of its role whose secret is thrown away at once: everything else in the service (roles,
 * audit, claims on cases) knows callers only by key, and revoking that key ends the user's
 * sessions like any other key's.
 */
public final class UserAccounts {

  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");

  private final Jdbi jdbi;
  private final ApiKeys keys;

  public UserAccounts(Jdbi jdbi, ApiKeys keys) {
    this.jdbi = jdbi;
    this.keys = keys;
  }

  public User create(Principal actor, String username, String password, Role role) {
    String name = checkUsername(username);
    checkPassword(password);
    if (role == null) {
      throw RequestException.invalid("role", "one of admin, curator, auditor, reviewer, coordinator");
    }
    if (role == Role.MATCHER) {
      throw RequestException.invalid("role", "matcher keys are for upload pipelines, not people; give a person admin, curator, auditor, reviewer"
          + " or coordinator");
    }
    if (role == Role.PEER) {
      throw RequestException.invalid("role", "peer keys are for other instances, made by adding a peer to a feed; give a person admin,"
          + " curator, auditor, reviewer or coordinator");
    }
    if (find(name).isPresent()) {
      throw new RequestException(Kind.CONFLICT, "username", "the username '" + name + "' is taken");
    }
    String hash = Passwords.hash(password); // slow by design: outside any transaction
    CreatedKey key = keys.create(actor, role, "user " + name);
    try {
      return jdbi.inTransaction(h -> {
        long id = h.createUpdate("INSERT INTO users (username, password_hash, key_id, created_at, created_by) "
                + "VALUES (:name, :hash, :key, :at, :by)")
            .bind("name", name)
            .bind("hash", hash)
            .bind("key", key.id())
            .bind("at", Clock.now(h))
            .bind("by", actor.keyId())
            .executeAndReturnGeneratedKeys("id")
            .mapTo(Long.class)
            .one();
        User user = get(h, id).orElseThrow();
        AuditLog.append(h, actor.keyId(), "user.created", "user", id, null, user);
        return user;
      });
    } catch (RuntimeException e) {
      // The same name created at the same moment: the key made for this one must not stay live.
      keys.revoke(actor, key.id());
      throw e;
    }
  }

  public List<User> list() {
    return jdbi.withHandle(h -> h.createQuery(SELECT + " ORDER BY u.id").map((rs, ctx) -> map(rs)).list());
  }

  /** Deletes the user and revokes its key, which ends its console sessions. */
  public void delete(Principal actor, long id) {
    User user = jdbi.withHandle(h -> get(h, id)).orElseThrow(() -> RequestException.notFound("user", id));
    // First the key: if it is the last admin key the refusal (409) leaves the user as it was.
    keys.revoke(actor, user.keyId());
    jdbi.useTransaction(h -> {
      h.createUpdate("DELETE FROM console_sessions WHERE key_id = :key").bind("key", user.keyId()).execute();
      h.createUpdate("DELETE FROM users WHERE id = :id").bind("id", id).execute();
      AuditLog.append(h, actor.keyId(), "user.deleted", "user", id, user, null);
    });
  }

  /**
   * The caller whose username and password these are, if the user exists and its key is live.
   * An unknown username costs as much time as a wrong password, so timing does not tell which.
   *
   * @throws RequestException of kind {@code KEY_EXPIRED} when the password is right but the user's
   *     key has expired: only the holder of the password learns it, and the sign-in page can tell
   *     them to ask an admin rather than to retype a password that is right
   */
  public Optional<SignedIn> authenticate(String username, String password) {
    if (username == null || password == null || password.length() > Passwords.MAX_LENGTH) {
      return Optional.empty();
    }
    record Row(long userId, String hash, long keyId, String role, boolean revoked, java.time.OffsetDateTime expiresAt) {}
    Optional<Row> row = jdbi.withHandle(h -> h.createQuery(
            "SELECT u.id, u.password_hash, k.id AS key_id, k.role, k.revoked_at, k.expires_at FROM users u "
                + "JOIN api_keys k ON k.id = u.key_id "
                + "WHERE u.username = :name")
        .bind("name", username.strip().toLowerCase(java.util.Locale.ROOT))
        .map((rs, ctx) -> new Row(rs.getLong("id"), rs.getString("password_hash"), rs.getLong("key_id"), rs.getString("role"),
            rs.getObject("revoked_at") != null, rs.getObject("expires_at", java.time.OffsetDateTime.class)))
        .findOne());
    boolean matches = Passwords.verify(password, row.map(Row::hash).orElse(null));
    if (!matches || row.get().revoked()) {
      return Optional.empty();
    }
    java.time.OffsetDateTime expiresAt = row.get().expiresAt();
    if (expiresAt != null && !Clock.now(jdbi).isBefore(expiresAt)) {
      throw new RequestException(Kind.KEY_EXPIRED, "this account expired at " + Clock.text(expiresAt));
    }
    return Optional.of(new SignedIn(new Principal(row.get().keyId(), Role.fromWire(row.get().role())), row.get().userId()));
  }

  /** Who signed in: the key to act as, and the user if it was a user (null for an API key). */
  public record SignedIn(Principal principal, Long userId) {}

  /** The username of the user backed by {@code keyId}, if any (for the page header). */
  public Optional<String> usernameOfKey(long keyId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT username FROM users WHERE key_id = :key")
        .bind("key", keyId).mapTo(String.class).findOne());
  }

  private Optional<User> find(String username) {
    return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE u.username = :name").bind("name", username)
        .map((rs, ctx) -> map(rs)).findOne());
  }

  private static final String SELECT =
      "SELECT u.id, u.username, k.role, u.key_id, u.created_at, u.created_by FROM users u JOIN api_keys k ON k.id = u.key_id";

  private static Optional<User> get(Handle h, long id) {
    return h.createQuery(SELECT + " WHERE u.id = :id").bind("id", id).map((rs, ctx) -> map(rs)).findOne();
  }

  private static User map(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new User(rs.getLong("id"), rs.getString("username"), rs.getString("role"), rs.getLong("key_id"),
        Clock.text(rs.getObject("created_at", java.time.OffsetDateTime.class)), rs.getObject("created_by", Long.class));
  }

  private static String checkUsername(String username) {
    if (username == null || username.isBlank()) {
      throw RequestException.invalid("username", "required");
    }
    String name = username.strip().toLowerCase(java.util.Locale.ROOT);
    if (!USERNAME.matcher(name).matches()) {
      throw RequestException.invalid("username", "2 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    return name;
  }

  private static void checkPassword(String password) {
    if (password == null || password.length() < Passwords.MIN_LENGTH) {
      throw RequestException.invalid("password", "at least " + Passwords.MIN_LENGTH + " characters");
    }
    if (password.length() > Passwords.MAX_LENGTH) {
      throw RequestException.invalid("password", "at most " + Passwords.MAX_LENGTH + " characters");
    }
  }
}
