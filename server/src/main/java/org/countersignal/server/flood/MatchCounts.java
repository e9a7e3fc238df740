package org.countersignal.server.flood;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.countersignal.server.match.HitCounter;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Each entry's hits, counted in memory by the hour they happened in and added to
 * {@code entry_match_hours} by {@link FloodGuard#check}. Matching never waits for the database; every
 * replica adds its own counts, so the table holds the whole service's. A write that fails puts
 * its counts back for the next one.
 */
final class MatchCounts implements HitCounter {

  private static final long HOUR_SECONDS = 3600;

  private record Key(long entryId, long hour) {}

  /** Hits of one entry in one hour. */
  record Counted(long entryId, OffsetDateTime hour, long matches) {}

  private final java.time.Clock clock;
  private final Map<Key, LongAdder> pending = new ConcurrentHashMap<>();

  MatchCounts(java.time.Clock clock) {
    this.clock = clock;
  }

  @Override
  public void hit(Set<Long> entryIds) {
    long hour = clock.instant().getEpochSecond() / HOUR_SECONDS;
    for (long id : entryIds) {
      pending.computeIfAbsent(new Key(id, hour), k -> new LongAdder()).increment();
    }
  }

  /** Takes the counts so far out of memory, for {@link #write}; {@link #restore} puts them back if that fails. */
  List<Counted> take() {
    List<Counted> taken = new ArrayList<>();
    for (Key key : new ArrayList<>(pending.keySet())) {
      LongAdder adder = pending.remove(key);
      long n = adder == null ? 0 : adder.sum();
      if (n > 0) {
        taken.add(new Counted(key.entryId(), hourStart(key.hour()), n));
      }
    }
    return taken;
  }

  /**
   * Adds {@code counted} to the table, in {@code h}'s transaction: one batch of updates, then one
   * of inserts for the hours not yet counted. A busy minute counts tens of thousands of entries,
   * and a statement each held the service's core for seconds.
   */
  static void write(Handle h, List<Counted> counted) {
    if (counted.isEmpty()) {
      return;
    }
    PreparedBatch updates = h.prepareBatch(
        "UPDATE entry_match_hours SET matches = matches + :n WHERE entry_id = :entry AND hour_start = :hour");
    for (Counted c : counted) {
      updates.bind("n", c.matches()).bind("entry", c.entryId()).bind("hour", c.hour()).add();
    }
    int[] updated = updates.execute();
    PreparedBatch inserts = h.prepareBatch("INSERT INTO entry_match_hours (entry_id, hour_start, matches) VALUES (:entry, :hour, :n)");
    for (int i = 0; i < counted.size(); i++) {
      if (updated[i] == 0) {
        Counted c = counted.get(i);
        inserts.bind("n", c.matches()).bind("entry", c.entryId()).bind("hour", c.hour()).add();
      }
    }
    if (inserts.size() > 0) {
      inserts.execute();
    }
  }

  /** Puts back counts a failed flush took, so the next flush adds them. */
  void restore(List<Counted> counted) {
    for (Counted c : counted) {
      pending.computeIfAbsent(new Key(c.entryId(), c.hour().toEpochSecond() / HOUR_SECONDS), k -> new LongAdder()).add(c.matches());
    }
  }

  /** The entries of {@code counted}. */
  static Set<Long> entries(List<Counted> counted) {
    Set<Long> out = new HashSet<>();
    counted.forEach(c -> out.add(c.entryId()));
    return out;
  }

  /** Deletes the hours before {@code before}: nothing older than the baseline is read. */
  static int deleteBefore(Jdbi jdbi, OffsetDateTime before) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM entry_match_hours WHERE hour_start < :before").bind("before", before).execute());
  }

  private static OffsetDateTime hourStart(long hour) {
    return Instant.ofEpochSecond(hour * HOUR_SECONDS).atOffset(ZoneOffset.UTC);
  }
}
