package org.countersignal.server.auth;

import java.time.Instant;
import java.time.OffsetDateTime;
import org.countersignal.server.StoredWord;

/**
 * Whether a key works now: the API's {@code status} of a key. Not stored: it follows from
 * {@code revoked_at}, {@code expires_at} and the clock, so a key turns expired without anyone
 * writing its row.
 */
public enum KeyStatus implements StoredWord {

  /** Works. */
  ACTIVE,
  /** Past its {@code expires_at}; an admin may give it a later one, and it works again. */
  EXPIRED,
  /** Revoked for good. */
  REVOKED;

  /** A revoked key stays revoked whatever its expiry; a key is expired from its very instant of expiry on. */
  static KeyStatus of(OffsetDateTime revokedAt, OffsetDateTime expiresAt, Instant now) {
    if (revokedAt != null) {
      return REVOKED;
    }
    return expiresAt != null && !now.isBefore(expiresAt.toInstant()) ? EXPIRED : ACTIVE;
  }

  @Override
  public String toString() {
    return wire();
  }
}
