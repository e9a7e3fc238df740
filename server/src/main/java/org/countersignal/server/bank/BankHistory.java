package org.countersignal.server.bank;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Handle;

/**
 * A bank's part of the change sequence, with what each change's entry says now: what a feed
 * publishes. The sequence is append-only, so a range of it reads the same every time; only the
 * labels and provenance are read as they are at the time of reading.
 */
public final class BankHistory {

  /**
   * One change of the bank.
   *
   * @param signal the signal's whole value (for types that keep a short identity, the value the
   *     entry was made with), or its identity when the entry and its value are gone
   * @param labels the entry's labels now, empty when it is gone
   * @param provenance the entry's provenance now, null when it is gone or has none
   * @param origin the instance the entry first came from, null when it was made here (or is gone)
   * @param restated the change matches as before and restates what the entry says (its labels
   *     changed); {@code added} is then true too
   * @param gone the entry no longer exists
   */
  public record Change(long seq, boolean added, String signalType, String signal, List<String> labels, String provenance,
      String origin, Instant changedAt, boolean restated, boolean gone) {}

  private BankHistory() {}

  /** The bank's changes after {@code afterSeq}, oldest first, at most {@code limit}. */
  public static List<Change> after(Handle h, long bankId, long afterSeq, int limit) {
    return h.createQuery("SELECT c.seq, c.op, c.signal_type, c.signal_value, c.changed_at, e.id AS entry, e.labels, e.provenance, e.origin, v.signal "
            + "FROM signal_changes c LEFT JOIN entries e ON e.id = c.entry_id "
            + "LEFT JOIN entry_values v ON v.entry_id = c.entry_id AND v.signal_type = c.signal_type "
            // Ordered as the index signal_changes_bank is, so that it is read in order and stops at the limit.
            + "WHERE c.bank_id = :bank AND c.seq > :after ORDER BY c.bank_id, c.seq FETCH FIRST :limit ROWS ONLY")
        .bind("bank", bankId)
        .bind("after", afterSeq)
        .bind("limit", limit)
        .map((rs, ctx) -> {
          String whole = rs.getString("signal");
          String labels = rs.getString("labels");
          // An update says again what an entry that still matches says now.
          return new Change(rs.getLong("seq"), !"remove".equals(rs.getString("op")), rs.getString("signal_type"),
              whole != null ? whole : rs.getString("signal_value"),
              labels == null ? List.of() : JsonText.stringList(labels), rs.getString("provenance"), rs.getString("origin"),
              rs.getObject("changed_at", OffsetDateTime.class).toInstant(), "update".equals(rs.getString("op")), rs.getObject("entry") == null);
        })
        .list();
  }

  /**
   * The position of the bank's first change after {@code afterSeq} and at most {@code uptoSeq},
   * or -1 when it has none there. The range bounds the scan: the sequence holds every bank's
   * changes, and a waiter looks at each stretch of it once.
   */
  public static long firstBetween(Handle h, long bankId, long afterSeq, long uptoSeq) {
    return h.createQuery("SELECT seq FROM signal_changes WHERE bank_id = :bank AND seq > :after AND seq <= :upto "
            + "ORDER BY bank_id, seq FETCH FIRST 1 ROWS ONLY")
        .bind("bank", bankId)
        .bind("after", afterSeq)
        .bind("upto", uptoSeq)
        .mapTo(Long.class)
        .findOne()
        .orElse(-1L);
  }
}
