package org.countersignal.server.store;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The {@code signal_changes} sequence: every signal that becomes matchable or stops being
 * matchable, in commit order. Writers append inside the transaction that changes the entry, so
 * the log and the tables never disagree; followers (this process's indexes now, replicas later)
 * read everything after their cursor.
 */
public final class ChangeLog {

  /** What a change does to an index. */
  public enum Op {
    ADD,
    REMOVE;

    String column() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One row of the sequence. */
  public record Change(long seq, Op op, String cause, long bankId, long entryId, String signalType, String signalValue) {}

  private ChangeLog() {}

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
        .bind("at", Clock.now())
        .execute();
    return seq;
  }

  /** Up to {@code limit} changes with {@code seq > after}, in order. */
  public static List<Change> readAfter(Handle handle, long after, int limit) {
    return handle.createQuery(
            "SELECT seq, op, cause, bank_id, entry_id, signal_type, signal_value FROM signal_changes "
                + "WHERE seq > :after ORDER BY seq FETCH FIRST :limit ROWS ONLY")
        .bind("after", after)
        .bind("limit", limit)
        .map((rs, ctx) -> new Change(
            rs.getLong("seq"),
            Op.valueOf(rs.getString("op").toUpperCase(java.util.Locale.ROOT)),
            rs.getString("cause"),
            rs.getLong("bank_id"),
            rs.getLong("entry_id"),
            rs.getString("signal_type"),
            rs.getString("signal_value")))
        .list();
  }
}
