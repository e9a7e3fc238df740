package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;
import org.countersignal.server.bank.BankChanges;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.bank.NewEntry;
import org.countersignal.server.match.ChangeFollower;
import org.countersignal.server.match.MatchIndexes;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower as a replica uses it: the writers here never tell it about their changes (as
 * another process sharing the database would not), so everything it learns comes from polling
 * the change sequence.
 */
class ChangeFollowerTest {

  @TempDir Path dataDir;

  static final Principal CURATOR = new Principal(1, Role.CURATOR);
  static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

  @Test
  void changesCommittedElsewhereArriveByPollingAndConcurrentWritersGetAGapFreeSequence() throws Exception {
    try (Database database = TestServers.openDatabase(dataDir);
        MatchIndexes indexes = new MatchIndexes();
        ChangeFollower follower = new ChangeFollower(database.jdbi(), indexes)) {
      var jdbi = database.jdbi();
      BankServices services = BankServices.over(jdbi, () -> { });
      BankService banks = services.banks();
      EntryService entries = services.entries();
      follower.start(50);

      long bank = banks.create(CURATOR, new BankChanges("elsewhere", null, null, null, null, null)).id();
      long entry = entries.create(CURATOR, bank, new NewEntry(java.util.Map.of("pdq", PDQ), null, null, null, null)).id();
      awaitTrue(() -> !indexes.search("pdq", PDQ, 0).isEmpty());
      assertThat(indexes.search("pdq", PDQ, 0)).extracting(m -> m.id()).containsExactly(entry);

      entries.disable(CURATOR, entry, "false positive", null);
      awaitTrue(() -> indexes.search("pdq", PDQ, 0).isEmpty());

      int threads = 4;
      int perThread = 25;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            String md5 = String.format("%032x", thread * 1000 + i);
            entries.create(CURATOR, bank, new NewEntry(java.util.Map.of("md5", md5), null, null, null, null));
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      pool.shutdown();
      awaitTrue(() -> indexes.size("md5") == threads * perThread);

      List<Long> seqs = jdbi.withHandle(h -> h.createQuery("SELECT seq FROM signal_changes ORDER BY seq").mapTo(Long.class).list());
      // 1 add + 1 remove for the PDQ entry, then one add per md5 entry, numbered without gaps.
      assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 2 + threads * perThread).boxed().toList());
      assertThat(follower.cursor()).isEqualTo(2L + threads * perThread);
    }
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
