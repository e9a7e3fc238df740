package org.countersignal.server.store;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Keeps the change sequence from growing with every change ever made: a signal disabled and
 * enabled a hundred times, or an entry made and deleted, would otherwise stay in {@code
 * signal_changes} for good, and every replica would replay all of it from an empty index.
 *
 * <p>Changes older than a horizon are compacted: each signal (its bank, entry, type and value)
 * keeps only its last change there, and a signal whose last change removed it keeps none. What is
 * left still builds the right indexes when replayed from the beginning, since each signal's last
 * change decides whether it matches, and a signal that matches nowhere needs no change at all. An
 * update (labels restated) gives way only to later changes; it never hides the addition before it.
 *
 * <p>A reader that stopped part way, though, may have applied a signal's addition and not yet
 * its removal, which compaction may then delete. {@code change_counter.compacted_through} is
 * therefore the last position compacted, written in the same transaction as the deletions: a
 * reader positioned before it starts again from the beginning (see {@link
 * ChangeLog#compactedThrough}). Banks whose history is a record in itself (an incident's, whose
 * timeline lists every signal added and removed) are left whole.
 *
 * <p>The work goes in transactions of {@link #BATCH} positions, from the last compacted position
 * up, each holding the change-log lock as writers do (see {@link ChangeLog}): a later change of a
 * signal, found in the batch, deletes its earlier ones through the index on (entry, position).
 */
public final class ChangeCompaction {

  /** Positions compacted in one transaction: writers of entries wait for each. */
  static final int BATCH = 5_000;

  private ChangeCompaction() {}

  /**
   * What one run did.
   *
   * @param removed changes deleted
   * @param compactedThrough the last position compacted, after the run
   */
  public record Result(long removed, long compactedThrough) {}

  /**
   * Compacts every change made before {@code horizon}, except those of {@code keptBanks}; returns
   * what it did. One run at a time (the caller schedules it on one replica); a change written
   * meanwhile comes after the horizon, so writers and readers go on as usual.
   */
  public static Result compact(Jdbi jdbi, OffsetDateTime horizon, Collection<Long> keptBanks) {
    List<Long> kept = keptBanks.isEmpty() ? List.of(-1L) : List.copyOf(keptBanks);
    long removed = 0;
    while (true) {
      long[] batch = jdbi.inTransaction(h -> batch(h, horizon, kept));
      removed += batch[0];
      if (batch[1] < 0) {
        return new Result(removed, jdbi.withHandle(ChangeLog::compactedThrough));
      }
    }
  }

  /** One batch: {removed, 1} when there may be more before the horizon, {removed, -1} when not. */
  private static long[] batch(Handle h, OffsetDateTime horizon, List<Long> kept) {
    ChangeLog.lockForWriting(h); // first: see ChangeLog
    long from = ChangeLog.compactedThrough(h) + 1;
    long last = h.createQuery("SELECT last_seq FROM change_counter WHERE id = 1").mapTo(Long.class).one();
    long to = Math.min(last, from + BATCH - 1);
    if (to < from) {
      return new long[] {0, -1};
    }
    // The horizon is a time, positions follow commit order: stop at the first change made after it.
    Long firstNew = h.createQuery("SELECT MIN(seq) FROM signal_changes WHERE seq BETWEEN :from AND :to AND changed_at >= :horizon")
        .bind("from", from).bind("to", to).bind("horizon", horizon).mapTo(Long.class).one();
    long upto = firstNew == null ? to : firstNew - 1;
    if (upto < from) {
      return new long[] {0, -1};
    }
    List<ChangeLog.Change> changes = h.createQuery(
            "SELECT seq, op, cause, bank_id, entry_id, signal_type, signal_value FROM signal_changes "
                + "WHERE seq BETWEEN :from AND :upto AND bank_id NOT IN (<kept>) ORDER BY seq")
        .bind("from", from).bind("upto", upto).bindList("kept", kept)
        .map((rs, ctx) -> ChangeLog.change(rs))
        .list();
    long removed = 0;
    if (!changes.isEmpty()) {
      PreparedBatch earlier = h.prepareBatch("DELETE FROM signal_changes WHERE entry_id = :entry AND seq < :seq AND bank_id = :bank "
          + "AND signal_type = :type AND signal_value = :value AND (:state OR op = 'update')");
      for (ChangeLog.Change change : changes) {
        earlier.bind("entry", change.entryId()).bind("seq", change.seq()).bind("bank", change.bankId())
            .bind("type", change.signalType()).bind("value", change.signalValue()).bind("state", change.op() != ChangeLog.Op.UPDATE).add();
      }
      for (int deleted : earlier.execute()) {
        removed += deleted;
      }
      // Each removal's earlier changes are gone now, so the removal says nothing a replay needs.
      removed += h.createUpdate("DELETE FROM signal_changes WHERE seq BETWEEN :from AND :upto AND op = 'remove' AND bank_id NOT IN (<kept>)")
          .bind("from", from).bind("upto", upto).bindList("kept", kept).execute();
    }
    h.createUpdate("UPDATE change_counter SET compacted_through = :upto WHERE id = 1").bind("upto", upto).execute();
    return new long[] {removed, upto < to || to == last ? -1 : 1};
  }
}
