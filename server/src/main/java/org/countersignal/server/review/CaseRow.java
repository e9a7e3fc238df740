package org.countersignal.server.review;

import java.time.OffsetDateTime;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Handle;

/** A case row locked for a change, and the checks a change makes first. */
record CaseRow(long id, CaseKind kind, CaseStatus status, int priority, long submissionId, Long appealId, Long claimedBy,
    OffsetDateTime leaseUntil, Long excludedKey) {

  /** Reads the case and locks its row until the transaction ends, so claims and decisions on it queue up. */
  static CaseRow lock(Handle h, long id) {
    return h.createQuery("SELECT id, kind, status, priority, submission_id, appeal_id, claimed_by, lease_until, excluded_key "
            + "FROM cases WHERE id = :id FOR UPDATE")
        .bind("id", id)
        .map((rs, ctx) -> new CaseRow(rs.getLong("id"), CaseKind.fromWire(rs.getString("kind")), CaseStatus.fromWire(rs.getString("status")), rs.getInt("priority"),
            rs.getLong("submission_id"), rs.getObject("appeal_id", Long.class), rs.getObject("claimed_by", Long.class),
            rs.getObject("lease_until", OffsetDateTime.class), rs.getObject("excluded_key", Long.class)))
        .findOne()
        .orElseThrow(() -> RequestException.notFound("case", id));
  }

  boolean isAppeal() {
    return kind == CaseKind.APPEAL;
  }

  void requireOpen() {
    if (!status.isOpen()) {
      throw new RequestException(Kind.CONFLICT, "case " + id + " is already decided (" + status + ")");
    }
  }

  boolean heldByOther(Principal reviewer, OffsetDateTime now) {
    return claimedBy != null && claimedBy != reviewer.keyId() && leaseUntil != null && leaseUntil.isAfter(now);
  }

  void requireHeldBy(Principal reviewer, OffsetDateTime now) {
    if (claimedBy == null || claimedBy != reviewer.keyId() || leaseUntil == null || !leaseUntil.isAfter(now)) {
      throw new RequestException(Kind.CONFLICT, "claim case " + id + " first"
          + (claimedBy != null && claimedBy == reviewer.keyId() ? " (your claim lapsed at " + Clock.text(leaseUntil) + ")" : ""));
    }
  }
}
