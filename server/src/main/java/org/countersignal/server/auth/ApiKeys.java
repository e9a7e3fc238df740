package org.countersignal.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.countersignal.server.RequestException;
import org.countersignal.server.Sha256;
import org.countersignal.server.TextFields;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * API keys: made from 32 random bytes, shown once, stored only as their SHA-256. A stolen
 * database therefore yields no usable key, and a plain hash is enough (no slow password hash)
 * because the keys carry 256 bits of randomness: there is nothing to guess.
 */
public final class ApiKeys {

  /** Every key starts with this, so scanners and people can tell what leaked. */
  public static final String PREFIX = "cs_";

  private static final int RANDOM_BYTES = 32;
  private static final int SHOWN_PREFIX_LENGTH = PREFIX.length() + 6;

  private final Jdbi jdbi;
  private final SecureRandom random = new SecureRandom();
  /**
   * Live keys seen lately, by hash, so that matching at thousands of requests a second does not
   * read the key's row each time. A revocation through this server clears it at once; one
   * through another replica takes effect here within {@link #REMEMBER}.
   */
  private final Cache<String, LiveKey> live = Caffeine.newBuilder()
      .expireAfterWrite(REMEMBER)
      .maximumSize(10_000)
      .build();

  /** How long a live key is trusted without reading its row again. */
  public static final Duration REMEMBER = Duration.ofSeconds(2);

  private final RateLimits rateLimits;

  /**
   * An unrevoked key's caller and the rate it may call at: its own, or else its role's default;
   * whether its lookups are recorded when the request does not say; and when it ends (null:
   * never). Remembered as it is read, so whether it has ended is asked of the clock at each use
   * ({@link #expired}), never decided when it was remembered.
   */
  public record LiveKey(Principal principal, RateLimit rateLimit, boolean recordMatches, OffsetDateTime expiresAt) {

    /** Whether the key has ended at {@code now}: from the very instant of its {@code expiresAt} on. */
    public boolean expired(Instant now) {
      return KeyStatus.of(null, expiresAt, now) == KeyStatus.EXPIRED;
    }
  }

  /**
   * What a PATCH changes: each part only when its flag is set (null is a value: the role's rate,
   * not recorded, never expires).
   */
  public record Change(boolean setsRateLimit, RateLimit rateLimit, boolean setsRecordMatches, Boolean recordMatches,
      boolean setsExpiresAt, OffsetDateTime expiresAt) {}

  public ApiKeys(Jdbi jdbi) {
    this(jdbi, RateLimits.DEFAULT);
  }

  /** @param rateLimits each role's rate, for keys without one of their own */
  public ApiKeys(Jdbi jdbi, RateLimits rateLimits) {
    this.jdbi = jdbi;
    this.rateLimits = rateLimits;
  }

  /**
   * On a database without any key, makes an admin key and returns it; otherwise empty. The
   * caller shows it once: it cannot be recovered later.
   */
  public Optional<CreatedKey> createInitialAdminKeyIfNone() {
    return jdbi.inTransaction(h -> {
      // Replicas starting at once on an empty database: the second waits here and then counts the key the first made.
      org.countersignal.server.store.StoreLocks.take(h, org.countersignal.server.store.StoreLocks.FIRST_ADMIN_KEY);
      long keys = h.createQuery("SELECT COUNT(*) FROM api_keys").mapTo(Long.class).one();
      if (keys > 0) {
        return Optional.empty();
      }
      return Optional.of(insert(h, Role.ADMIN, "initial admin key", null, null, null, null));
    });
  }

  /**
   * Makes an admin key on behalf of whoever runs the server process (audited with no key): the
   * way back in when every admin key is lost, since only someone with access to the server's
   * start-up can ask for it.
   */
  public CreatedKey createAdminKeyAtStart() {
    return jdbi.inTransaction(h -> insert(h, Role.ADMIN, "admin key made at start", null, null, null, null));
  }

  /** Makes a key for {@code role}; the call is audited as made by {@code actor}. */
  public CreatedKey create(Principal actor, Role role, String name) {
    return create(actor, role, name, null, null, null);
  }

  /**
   * @param rateLimit the key's own rate, or null for its role's default
   * @param recordMatches whether its lookups are recorded by default (null: they are not)
   * @param expiresAt when it stops working (see {@link KeyExpiry}), or null for never
   */
  public CreatedKey create(Principal actor, Role role, String name, RateLimit rateLimit, Boolean recordMatches,
      OffsetDateTime expiresAt) {
    String checked = TextFields.line(name, "name");
    return jdbi.inTransaction(h -> {
      KeyExpiry.check(expiresAt, Clock.now(h));
      return insert(h, role, checked, rateLimit, recordMatches, expiresAt, actor.keyId());
    });
  }

  /** Makes a key for {@code role} in the caller's transaction, audited as made by {@code actor}. */
  public CreatedKey create(Handle h, Principal actor, Role role, String name) {
    return insert(h, role, TextFields.line(name, "name"), null, null, null, actor.keyId());
  }

  /**
   * Gives key {@code id} its own rate, or (null) its role's default again. It applies on this
   * server at once and on other replicas within {@link #REMEMBER}.
   */
  public ApiKey setRateLimit(Principal actor, long id, RateLimit rateLimit) {
    return change(actor, id, new Change(true, rateLimit, false, null, false, null));
  }

  /** Changes a key's own settings in one audited step; like rates, it applies on other replicas within {@link #REMEMBER}. */
  public ApiKey change(Principal actor, long id, Change change) {
    ApiKey changed = jdbi.inTransaction(h -> {
      ApiKey before = find(h, id).orElseThrow(() -> RequestException.notFound("key", id));
      if (change.setsRateLimit()) {
        RateLimit rateLimit = change.rateLimit();
        h.createUpdate("UPDATE api_keys SET rate_per_second = :rate, rate_burst = :burst WHERE id = :id")
            .bind("rate", rateLimit == null ? null : rateLimit.perSecond())
            .bind("burst", rateLimit == null ? null : rateLimit.burst())
            .bind("id", id)
            .execute();
      }
      if (change.setsRecordMatches()) {
        h.createUpdate("UPDATE api_keys SET record_matches = :record WHERE id = :id")
            .bind("record", change.recordMatches())
            .bind("id", id)
            .execute();
      }
      if (change.setsExpiresAt()) {
        OffsetDateTime expiresAt = change.expiresAt();
        KeyExpiry.check(expiresAt, Clock.now(h));
        if (expiresAt != null && before.expiresAt() == null && before.revokedAt() == null) {
          requireAnotherLastingAdmin(h, before, "give it an end");
        }
        h.createUpdate("UPDATE api_keys SET expires_at = :expires WHERE id = :id").bind("expires", expiresAt).bind("id", id).execute();
      }
      ApiKey after = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "key.updated", "key", id, before, after);
      return after;
    });
    live.invalidateAll();
    return changed;
  }

  /** Each role's default rate. */
  public RateLimits rateLimits() {
    return rateLimits;
  }

  private CreatedKey insert(Handle h, Role role, String name, RateLimit rateLimit, Boolean recordMatches, OffsetDateTime expiresAt,
      Long actorKeyId) {
    byte[] secret = new byte[RANDOM_BYTES];
    random.nextBytes(secret);
    String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    String prefix = key.substring(0, SHOWN_PREFIX_LENGTH);
    var now = Clock.now(h);
    long id = h.createUpdate(
            "INSERT INTO api_keys (key_hash, key_prefix, role, name, created_at, created_by, rate_per_second, rate_burst, "
                + "record_matches, expires_at) VALUES (:hash, :prefix, :role, :name, :at, :by, :rate, :burst, :record, :expires)")
        .bind("hash", sha256(key))
        .bind("prefix", prefix)
        .bind("role", role.wireName())
        .bind("name", name)
        .bind("at", now)
        .bind("by", actorKeyId)
        .bind("rate", rateLimit == null ? null : rateLimit.perSecond())
        .bind("burst", rateLimit == null ? null : rateLimit.burst())
        .bind("record", recordMatches)
        .bind("expires", expiresAt)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
    ApiKey made = find(h, id).orElseThrow();
    AuditLog.append(h, actorKeyId, "key.created", "key", id, null, made);
    return new CreatedKey(id, key, prefix, made.role(), made.name(), made.createdAt(), made.expiresAt(), made.status());
  }

  /** The caller holding {@code key}, if it is a live key that has not expired. */
  public Optional<Principal> authenticate(String key) {
    return liveKey(key).filter(live -> !live.expired(now())).map(LiveKey::principal);
  }

  /** Now on the service's clock, which is what a key's expiry is held against. */
  public Instant now() {
    return Clock.of(jdbi).instant();
  }

  /**
   * The caller holding {@code key} and the rate it may call at, if it is a key that has not been
   * revoked; whether it has expired is the caller's to ask ({@link LiveKey#expired}), so that it
   * can say so.
   */
  public Optional<LiveKey> liveKey(String key) {
    if (key == null || !key.startsWith(PREFIX) || key.length() > 200) {
      return Optional.empty();
    }
    String hash = sha256(key);
    return remembered(hash, "key_hash = :value", hash);
  }

  /**
   * The live key with id {@code id}, for callers admitted without sending a key (see
   * {@code hma.KeylessAccess}); remembered as briefly as keys found by their secret.
   */
  public Optional<LiveKey> liveKey(long id) {
    return remembered("id:" + id, "id = :value", id);
  }

  /**
   * The live key the row matching {@code where} holds. Only keys found live are remembered: an
   * unknown key is looked up every time, so a key made on another replica works at once.
   */
  private Optional<LiveKey> remembered(String cacheKey, String where, Object value) {
    LiveKey known = live.getIfPresent(cacheKey);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<LiveKey> found = jdbi.withHandle(h -> h.createQuery(
            "SELECT id, role, rate_per_second, rate_burst, record_matches, expires_at FROM api_keys WHERE " + where
                + " AND revoked_at IS NULL")
        .bind("value", value)
        .map((rs, ctx) -> {
          Role role = Role.fromWire(rs.getString("role"));
          RateLimit own = rateLimit(rs);
          return new LiveKey(new Principal(rs.getLong("id"), role), own != null ? own : rateLimits.of(role),
              rs.getBoolean("record_matches"), rs.getObject("expires_at", OffsetDateTime.class));
        })
        .findOne());
    found.ifPresent(liveKey -> live.put(cacheKey, liveKey));
    return found;
  }

  public List<ApiKey> list() {
    return jdbi.withHandle(h -> {
      Instant now = Clock.now(h).toInstant();
      return h.createQuery("SELECT " + KEY_COLUMNS + " FROM api_keys ORDER BY id")
          .map((rs, ctx) -> mapKey(rs, now))
          .list();
    });
  }

  /**
   * Revokes a key. Refuses to revoke the last admin key that never expires, which would lock
   * everyone out of key management for good, or once the other admin keys have expired.
   */
  public ApiKey revoke(Principal actor, long id) {
    ApiKey revoked = jdbi.inTransaction(h -> {
      ApiKey before = find(h, id).orElseThrow(() -> RequestException.notFound("key", id));
      if (before.revokedAt() != null) {
        return before;
      }
      if (before.expiresAt() == null) {
        requireAnotherLastingAdmin(h, before, "revoke it");
      }
      h.createUpdate("UPDATE api_keys SET revoked_at = :at WHERE id = :id").bind("at", Clock.now(h)).bind("id", id).execute();
      ApiKey after = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "key.revoked", "key", id, before, after);
      return after;
    });
    // After the commit: a lookup racing the revocation must not put the key back.
    live.invalidateAll();
    return revoked;
  }

  /**
   * Refuses (409) to take away admin key {@code key}'s unending life (by revoking it or giving it
   * an end) when no other unrevoked admin key without an end is left: with every admin key
   * revoked or expired, nobody could make or extend keys until an operator restarts the server
   * with a new admin key. Keys of other roles pass.
   */
  private static void requireAnotherLastingAdmin(Handle h, ApiKey key, String what) {
    if (!Role.ADMIN.wireName().equals(key.role())) {
      return;
    }
    // The admin keys locked first: two admins taking away the last two lasting keys at once would
    // each count the other's as still there. The second now waits, then counts what the first left.
    h.createQuery("SELECT id FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL ORDER BY id FOR UPDATE").mapTo(Long.class).list();
    long others = h.createQuery(
            "SELECT COUNT(*) FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL AND expires_at IS NULL AND id <> :id")
        .bind("id", key.id())
        .mapTo(Long.class)
        .one();
    if (others == 0) {
      throw new RequestException(RequestException.Kind.CONFLICT, "key " + key.id() + " is the last admin key that never expires; "
          + "create another admin key without expires_at before you " + what);
    }
  }

  private static Optional<ApiKey> find(Handle h, long id) {
    Instant now = Clock.now(h).toInstant();
    return h.createQuery("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> mapKey(rs, now))
        .findOne();
  }

  private static final String KEY_COLUMNS =
      "id, key_prefix, role, name, created_at, created_by, revoked_at, rate_per_second, rate_burst, record_matches, expires_at";

  /** The key's own rate, or null when it has its role's. */
  private static RateLimit rateLimit(java.sql.ResultSet rs) throws java.sql.SQLException {
    double rate = rs.getDouble("rate_per_second");
    if (rs.wasNull()) {
      return null;
    }
    return RateLimit.of(rate, rs.getObject("rate_burst", Long.class));
  }

  private static ApiKey mapKey(java.sql.ResultSet rs, Instant now) throws java.sql.SQLException {
    OffsetDateTime revokedAt = rs.getObject("revoked_at", OffsetDateTime.class);
    OffsetDateTime expiresAt = rs.getObject("expires_at", OffsetDateTime.class);
    return new ApiKey(
        rs.getLong("id"),
        rs.getString("key_prefix"),
        rs.getString("role"),
        rs.getString("name"),
        Clock.text(rs.getObject("created_at", OffsetDateTime.class)),
        rs.getObject("created_by", Long.class),
        Clock.text(revokedAt),
        rateLimit(rs),
        rs.getObject("record_matches", Boolean.class),
        Clock.text(expiresAt),
        KeyStatus.of(revokedAt, expiresAt, now));
  }

  static String sha256(String key) {
    return Sha256.hex(key);
  }
}
