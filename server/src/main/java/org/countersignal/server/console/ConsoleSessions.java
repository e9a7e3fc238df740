package org.countersignal.server.console;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;
import org.countersignal.server.Sha256;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * Console sign-ins. The browser holds a random token in a cookie; the table holds only its
 * SHA-256. A session lasts while it is used (at most {@link #IDLE} between requests) and never
 * past {@link #MAX_AGE}; it dies with its key, revoked or expired, since every lookup joins the
 * key's row.
 */
public final class ConsoleSessions {

  public static final Duration IDLE = Duration.ofHours(12);
  public static final Duration MAX_AGE = Duration.ofHours(24);
  /** Activity is written at most this often, not on every page and image. */
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  private final Jdbi jdbi;
  private final SecureRandom random = new SecureRandom();

  public ConsoleSessions(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** A live session: who, the CSRF token its forms carry, and the user behind it if any. */
  public record Session(long id, Principal principal, Long userId, String csrf) {}

  /** Opens a session and returns the token for the cookie (shown only here). */
  public String open(Principal principal, Long userId) {
    String token = randomToken();
    OffsetDateTime now = Clock.now(jdbi);
    jdbi.useTransaction(h -> {
      long id = h.createUpdate("INSERT INTO console_sessions (token_hash, key_id, user_id, created_at, last_seen_at, expires_at) "
              + "VALUES (:hash, :key, :user, :now, :now, :expires)")
          .bind("hash", Sha256.hex(token))
          .bind("key", principal.keyId())
          .bind("user", userId)
          .bind("now", now)
          .bind("expires", now.plus(MAX_AGE))
          .executeAndReturnGeneratedKeys("id")
          .mapTo(Long.class)
          .one();
      java.util.Map<String, Object> how = new java.util.LinkedHashMap<>();
      how.put("method", userId == null ? "api_key" : "password");
      how.put("user_id", userId);
      AuditLog.append(h, principal.keyId(), "console.signed_in", "console_session", id, null, how);
    });
    return token;
  }

  /** The live session of {@code token}, if any; refreshes its idle timer. */
  public Optional<Session> find(String token) {
    if (token == null || token.length() != 43) {
      return Optional.empty();
    }
    OffsetDateTime now = Clock.now(jdbi);
    record Row(long id, long keyId, String role, Long userId, OffsetDateTime lastSeen) {}
    Optional<Row> row = jdbi.withHandle(h -> h.createQuery(
            "SELECT s.id, s.key_id, k.role, s.user_id, s.last_seen_at FROM console_sessions s JOIN api_keys k ON k.id = s.key_id "
                + "WHERE s.token_hash = :hash AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > :now) "
                + "AND s.expires_at > :now AND s.last_seen_at > :idle")
        .bind("hash", Sha256.hex(token))
        .bind("now", now)
        .bind("idle", now.minus(IDLE))
        .map((rs, ctx) -> new Row(rs.getLong("id"), rs.getLong("key_id"), rs.getString("role"), rs.getObject("user_id", Long.class),
            rs.getObject("last_seen_at", OffsetDateTime.class)))
        .findOne());
    row.filter(r -> r.lastSeen().isBefore(now.minus(TOUCH_EVERY))).ifPresent(r -> jdbi.useHandle(h ->
        h.createUpdate("UPDATE console_sessions SET last_seen_at = :now WHERE id = :id").bind("now", now).bind("id", r.id()).execute()));
    return row.map(r -> new Session(r.id(), new Principal(r.keyId(), Role.fromWire(r.role())), r.userId(), csrfOf(token)));
  }

  /** Ends the session of {@code token} (signing out); nothing if there is none. */
  public void close(String token) {
    if (token == null) {
      return;
    }
    jdbi.useTransaction(h -> {
      String hash = Sha256.hex(token);
      Optional<Long[]> row = h.createQuery("SELECT id, key_id FROM console_sessions WHERE token_hash = :hash")
          .bind("hash", hash)
          .map((rs, ctx) -> new Long[] {rs.getLong("id"), rs.getLong("key_id")})
          .findOne();
      row.ifPresent(r -> {
        h.createUpdate("DELETE FROM console_sessions WHERE id = :id").bind("id", r[0]).execute();
        AuditLog.append(h, r[1], "console.signed_out", "console_session", r[0], null, null);
      });
    });
  }

  /** Deletes sessions past their time; returns how many. */
  public int deleteExpired() {
    OffsetDateTime now = Clock.now(jdbi);
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM console_sessions WHERE expires_at <= :now OR last_seen_at <= :idle")
        .bind("now", now).bind("idle", now.minus(IDLE)).execute());
  }

  /**
   * The CSRF token of a session: derived from its secret token, so a page can carry it without
   * storing anything more, and a page of another site, which cannot read the cookie, cannot
   * compute it.
   */
  static String csrfOf(String token) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.digest("console csrf\0" + token));
  }

  String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
