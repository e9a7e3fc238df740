package org.countersignal.server.store;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The {@code signal_changes} sequence: every signal that becomes matchable or stops being
 * matchable, in commit order. Writers append inside the transaction that changes the entry, so
 * the log and the tables never disagree; followers (this process's indexes and those of every
 * replica sharing the database) read everything after their cursor.
 *
 * <p>Why writers are serialised: a number handed out by a sequence or identity column is taken
 * at insert, not at commit, so with concurrent writers the transaction holding N can commit after
 * the one holding N+1. A follower that has read N+1 and moved its cursor past it would never read
 * N. Instead every number comes from the single {@code change_counter} row, which the writing
 * transaction locks until it commits: the next writer waits, so numbers become visible in order
 * and "seq > cursor" never skips a row. The same statements work on H2 and PostgreSQL (an
 * advisory lock or {@code LOCK TABLE} would not), and the alternative — followers re-reading gaps
 * for a grace period — cannot tell a slow transaction from a rolled-back one. The cost is one
 * writer of entry changes at a time across all replicas, cheap at the write rates of hash banks.
 */
public final class ChangeLog {

  /** What a change does to an index. */
  public enum Op {
    ADD,
    REMOVE,
    /**
     * Nothing: the signal matches as before, but what its entry says changed (a followed entry's
     * labels, as its source changed them), which the bank's feeds pass on.
     */
    UPDATE;

    String column() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One row of the sequence. */
  public record Change(long seq, Op op, String cause, long bankId, long entryId, String signalType, String signalValue) {}

  private ChangeLog() {}

  /**
   * Takes the change-log lock (the {@code change_counter} row) in the caller's transaction; it is
   * held until that transaction ends. Transactions that will append call this first, before they
   * read or lock the entries they change, for two reasons: what they read cannot change under
   * them (no other writer of entries runs meanwhile, in this process or a replica), and every
   * writer takes the locks in the same order (counter, then rows), so two writers never deadlock.
   */
  public static void lockForWriting(Handle handle) {
    handle.createQuery("SELECT last_seq FROM change_counter WHERE id = 1 FOR UPDATE").mapTo(Long.class).one();
  }

  /**
   * Appends one change within the caller's transaction. Taking the next number from the single
   * counter row locks that row until commit, which serialises writers: see the migration.
   */
  public static long append(Handle handle, Op op, String cause, long bankId, long entryId, String signalType, String signalValue) {
    handle.createUpdate("UPDATE change_counter SET last_seq = last_seq + 1 WHERE id = 1").execute();
    long seq = handle.createQuery("SELECT last_seq FROM change_counter WHERE id = 1").mapTo(Long.class).one();
    handle.createUpdate(
            "INSERT INTO signal_changes (seq, op, cause, bank_id, entry_id, signal_type, signal_value, changed_at) "
                + "VALUES (:seq, :op, :cause, :bank, :entry, :type, :value, :at)")
        .bind("seq", seq)
        .bind("op", op.column())
        .bind("cause", cause)
        .bind("bank", bankId)
        .bind("entry", entryId)
        .bind("type", signalType)
        .bind("value", signalValue)
        .bind("at", Clock.now(handle))
        .execute();
    return seq;
  }

  /** One signal of an entry, for {@link #appendAll}. */
  public record EntrySignal(long entryId, String signalType, String signalValue) {}

  /**
   * Appends one change per signal, all of {@code op} and {@code cause} in bank {@code bankId},
   * within the caller's transaction. The numbers are reserved from the counter row as one block:
   * the update locks the row until commit just as that many single appends would, so later
   * commits still get larger numbers.
   */
  public static void appendAll(Handle handle, Op op, String cause, long bankId, List<EntrySignal> signals) {
    if (signals.isEmpty()) {
      return;
    }
    handle.createUpdate("UPDATE change_counter SET last_seq = last_seq + :n WHERE id = 1").bind("n", signals.size()).execute();
    long seq = handle.createQuery("SELECT last_seq FROM change_counter WHERE id = 1").mapTo(Long.class).one() - signals.size();
    var now = Clock.now(handle);
    var rows = handle.prepareBatch(
        "INSERT INTO signal_changes (seq, op, cause, bank_id, entry_id, signal_type, signal_value, changed_at) "
            + "VALUES (:seq, :op, :cause, :bank, :entry, :type, :value, :at)");
    for (EntrySignal signal : signals) {
      rows.bind("seq", ++seq).bind("op", op.column()).bind("cause", cause).bind("bank", bankId).bind("entry", signal.entryId())
          .bind("type", signal.signalType()).bind("value", signal.signalValue()).bind("at", now).add();
    }
    rows.execute();
  }

  /** Up to {@code limit} changes with {@code seq > after}, in order. */
  public static List<Change> readAfter(Handle handle, long after, int limit) {
    return handle.createQuery(
            "SELECT seq, op, cause, bank_id, entry_id, signal_type, signal_value FROM signal_changes "
                + "WHERE seq > :after ORDER BY seq FETCH FIRST :limit ROWS ONLY")
        .bind("after", after)
        .bind("limit", limit)
        .map((rs, ctx) -> change(rs))
        .list();
  }

  static Change change(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Change(
        rs.getLong("seq"),
        Op.valueOf(rs.getString("op").toUpperCase(java.util.Locale.ROOT)),
        rs.getString("cause"),
        rs.getLong("bank_id"),
        rs.getLong("entry_id"),
        rs.getString("signal_type"),
        rs.getString("signal_value"));
  }

  /**
   * The number of the last change committed, compacted or not: a reader that read it, then read
   * every change after its cursor, has seen every change through it.
   */
  public static long lastSeq(Handle handle) {
    return handle.createQuery("SELECT last_seq FROM change_counter WHERE id = 1").mapTo(Long.class).one();
  }

  /**
   * The last position {@link ChangeCompaction} compacted, 0 before it first ran. Changes up to it
   * may have been deleted, so a reader is sound only while it started from the beginning or stands
   * at or past this: one that stopped before it (an old index snapshot, a peer away for months)
   * reads everything again from the beginning. A reader checks it after reading a page, in the same
   * handle: a compaction that committed in between then shows here.
   */
  public static long compactedThrough(Handle handle) {
    return handle.createQuery("SELECT compacted_through FROM change_counter WHERE id = 1").mapTo(Long.class).one();
  }
}
