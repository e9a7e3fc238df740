package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.countersignal.index.hamming.Match;
import org.countersignal.server.bank.BankChanges;
import org.countersignal.server.bank.EntryImport;
import org.countersignal.server.bank.LabelTaxonomy;
import org.countersignal.server.bank.NewEntry;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.server.match.ChangeFollower;
import org.countersignal.server.match.IndexCompactor;
import org.countersignal.server.match.IndexSnapshots;
import org.countersignal.server.match.MatchIndexes;
import org.countersignal.server.signal.HammingSignalIndex;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index that grew by changes is several segments; once the change sequence is quiet the
 * compactor merges them into one, with the same answers, and the next snapshot (the next start)
 * holds the compacted index.
 */
class IndexCompactorTest {

  @TempDir Path dataDir;

  // Each reading of the clock is a millisecond after the one before, so a compaction "takes" 1 ms.
  private final AtomicLong nanos = new AtomicLong();
  private final java.util.function.LongSupplier clock = () -> nanos.addAndGet(1_000_000);

  @Test
  void compactsOnceTheSequenceIsQuietKeepsEveryAnswerAndPausesAfterwards() throws Exception {
    List<String> hashes = EntryImportTest.pdqHashes(20_000, 7);
    try (Database database = TestServers.openDatabase(dataDir);
        MatchIndexes indexes = new MatchIndexes();
        ChangeFollower follower = new ChangeFollower(database.jdbi(), indexes, snapshots())) {
      Importer importer = new Importer(database);
      follower.start(20);
      importer.add(hashes.subList(0, 15_000));
      ChangeFollowerTest.awaitTrue(() -> follower.cursor() == 15_000);
      // 15,000 adds: three full segments of 4,096 and a part-filled buffer.
      assertThat(segments(indexes)).isEqualTo(3);
      List<List<Match>> before = answers(indexes, hashes);

      IndexCompactor compactor = new IndexCompactor(follower, clock);
      assertThat(compactor.check()).as("first check: not yet known to be quiet").isEmpty();
      assertThat(compactor.check()).containsExactly("pdq");
      assertThat(segments(indexes)).isEqualTo(1);
      assertThat(answers(indexes, hashes)).isEqualTo(before);
      assertThat(compactor.check()).as("nothing changed since").isEmpty();

      importer.add(hashes.subList(15_000, 20_000));
      ChangeFollowerTest.awaitTrue(() -> follower.cursor() == 20_000);
      assertThat(segments(indexes)).isGreaterThan(1);
      assertThat(compactor.check()).as("changes since the last check").isEmpty();
      assertThat(compactor.check()).as("quiet, but within ten times the last compaction's time").isEmpty();
      nanos.addAndGet(1_000_000_000);
      assertThat(compactor.check()).containsExactly("pdq");
      assertThat(segments(indexes)).isEqualTo(1);

      assertThat(follower.saveSnapshot()).as("the compacted indexes are saved without a new change").isTrue();
    }
    try (Database database = TestServers.openDatabase(dataDir);
        MatchIndexes indexes = new MatchIndexes();
        ChangeFollower follower = new ChangeFollower(database.jdbi(), indexes, snapshots())) {
      follower.start(20);
      ChangeFollowerTest.awaitTrue(follower::isCaughtUp);
      assertThat(follower.loadReport().replayedChanges()).isZero();
      assertThat(segments(indexes)).isEqualTo(1);
      assertThat(indexes.size("pdq")).isEqualTo(20_000);
    }
  }

  private IndexSnapshots snapshots() {
    return new IndexSnapshots(dataDir.resolve("index-snapshot"));
  }

  private static int segments(MatchIndexes indexes) {
    return ((HammingSignalIndex) indexes.index("pdq")).segmentCount();
  }

  /** Every entry within 40 bits of every 100th hash (near the bank, so some lists hold several). */
  private static List<List<Match>> answers(MatchIndexes indexes, List<String> hashes) {
    return java.util.stream.IntStream.range(0, hashes.size() / 100)
        .mapToObj(i -> indexes.search("pdq", hashes.get(100 * i), 40)).toList();
  }

  /** Writes entries as the batch import does, without telling the follower (it polls). */
  private static final class Importer {
    private final EntryImport imports;
    private final long bank;

    Importer(Database database) {
      var jdbi = database.jdbi();
      this.imports = new EntryImport(jdbi, new SignalCatalog(), new LabelTaxonomy(jdbi), () -> { });
      this.bank = BankServices.over(jdbi, () -> { }).banks()
          .create(ChangeFollowerTest.CURATOR, new BankChanges("compacted", null, null, null, null, null)).id();
    }

    void add(List<String> hashes) {
      for (int from = 0; from < hashes.size(); from += 5_000) {
        List<NewEntry> batch = hashes.subList(from, Math.min(hashes.size(), from + 5_000)).stream()
            .map(h -> new NewEntry(Map.of("pdq", h), null, null, null, null)).toList();
        imports.importBatch(ChangeFollowerTest.CURATOR, bank, batch);
      }
    }
  }
}
