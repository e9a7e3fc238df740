package org.countersignal.server.match;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.countersignal.server.store.ChangeLog;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Jdbi;

/**
 * What matching needs of the entries its candidates belong to (bank, enabled, labels, entities),
 * kept in memory once read, so that a hit costs no read of the database: against a million
 * banked texts a typical text query hits twenty entries, and reading their rows was a quarter of
 * its tail latency.
 *
 * <p>Sound because these fields change only with a change of the sequence: an entry is enabled,
 * disabled or deleted with an ADD or REMOVE of its signals, and its labels and entities change
 * with an UPDATE. The {@link ChangeFollower} tells this class of each change it applies, and the
 * entry's row is forgotten. A row read from the database while a change was being applied may
 * hold either state, so it is kept only when no change was applied during the read.
 *
 * <p>Memory answers only while this process has applied every committed change. Otherwise a
 * change committed elsewhere (by a replica) has not yet been forgotten here, so rows are read
 * from the database, as they always were: a change that has committed but not yet reached this
 * process's index still never makes a disabled entry match.
 */
final class EntryRows {

  /** Rows kept: a few megabytes; the entries a service keeps hitting are far fewer. */
  private static final int KEPT = 100_000;

  record EntryRow(long id, long bankId, boolean enabled, List<String> labels, List<String> entities) {}

  private final Jdbi jdbi;
  private final ChangeFollower follower;
  private final Cache<Long, EntryRow> kept = Caffeine.newBuilder().maximumSize(KEPT).build();
  private final Object lock = new Object();
  // Changes applied so far; under the lock.
  private long forgetting;

  EntryRows(Jdbi jdbi, ChangeFollower follower) {
    this.jdbi = jdbi;
    this.follower = follower;
    follower.onApplied(this::forget);
  }

  /** The rows of those of {@code ids} that are entries, by id. */
  Map<Long, EntryRow> read(Collection<Long> ids) {
    Map<Long, EntryRow> out = new HashMap<>();
    List<Long> missing = new ArrayList<>();
    boolean current = inStep();
    for (long id : ids) {
      EntryRow row = current ? kept.getIfPresent(id) : null;
      if (row != null) {
        out.put(id, row);
      } else {
        missing.add(id);
      }
    }
    if (missing.isEmpty()) {
      return out;
    }
    long before;
    synchronized (lock) {
      before = forgetting;
    }
    Map<Long, EntryRow> read = fromDatabase(missing);
    out.putAll(read);
    synchronized (lock) {
      if (forgetting == before) {
        kept.putAll(read);
      }
    }
    return out;
  }

  /** Whether every change committed has been applied here: one read of the change counter. */
  private boolean inStep() {
    return jdbi.withHandle(ChangeLog::lastSeq) <= follower.appliedThrough();
  }

  private void forget(List<ChangeLog.Change> applied) {
    synchronized (lock) {
      forgetting++;
      for (ChangeLog.Change change : applied) {
        kept.invalidate(change.entryId());
      }
    }
  }

  private Map<Long, EntryRow> fromDatabase(Collection<Long> ids) {
    List<EntryRow> rows = jdbi.withHandle(h -> h.createQuery(
            "SELECT id, bank_id, enabled, labels, entities FROM entries WHERE id IN (<ids>)")
        .bindList("ids", new ArrayList<>(ids))
        .map((rs, ctx) -> new EntryRow(rs.getLong("id"), rs.getLong("bank_id"), rs.getBoolean("enabled"),
            JsonText.stringList(rs.getString("labels")), JsonText.stringList(rs.getString("entities"))))
        .list());
    Map<Long, EntryRow> out = new HashMap<>();
    for (EntryRow row : rows) {
      out.put(row.id(), row);
    }
    return out;
  }
}
