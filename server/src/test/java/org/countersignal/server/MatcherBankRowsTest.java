package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.countersignal.server.bank.BankChanges;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.bank.NewEntry;
import org.countersignal.server.match.ChangeFollower;
import org.countersignal.server.match.HitLimits;
import org.countersignal.server.match.MatchHit;
import org.countersignal.server.match.MatchIndexes;
import org.countersignal.server.match.Matcher;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Matching keeps the banks' rows for a second: this server's own bank changes apply at once, a
 * bank asked for by id is found however new, and another replica's changes apply within the
 * second.
 */
class MatcherBankRowsTest {

  @TempDir Path dataDir;

  private final AtomicLong nanos = new AtomicLong();

  @Test
  void ownChangesApplyAtOnceNewBanksAreFoundAndOtherReplicasChangesWithinASecond() throws Exception {
    Random random = new Random(11);
    String banked = MatchTest.randomPdq(random);
    String query = MatchTest.flip(banked, 20, random);
    try (Database database = TestServers.openDatabase(dataDir);
        MatchIndexes indexes = new MatchIndexes();
        ChangeFollower follower = new ChangeFollower(database.jdbi(), indexes)) {
      var jdbi = database.jdbi();
      follower.start(20);
      ChangeFollowerTest.awaitTrue(follower::isCaughtUp);
      Matcher matcher = new Matcher(jdbi, indexes, follower, HitLimits.DEFAULT, nanos::get);
      BankServices here = BankServices.over(jdbi, follower::catchUp);
      here.banks().onChanged(matcher::banksChanged);
      // Another replica's services: the same database, but this matcher is not told of their changes.
      BankServices elsewhere = BankServices.over(jdbi, follower::catchUp);

      long bank = here.banks().create(ChangeFollowerTest.CURATOR, new BankChanges("near", null, null, null, null, null)).id();
      here.entries().create(ChangeFollowerTest.CURATOR, bank, new NewEntry(Map.of("pdq", banked), null, null, null, null));
      assertThat(hits(matcher, query, null)).as("20 bits apart, within the default 31").hasSize(1);

      here.banks().update(ChangeFollowerTest.CURATOR, bank, thresholds(10));
      assertThat(hits(matcher, query, null)).as("this server's change, at once").isEmpty();

      elsewhere.banks().update(ChangeFollowerTest.CURATOR, bank, thresholds(31));
      assertThat(hits(matcher, query, null)).as("another replica's change, within the second").isEmpty();
      nanos.addAndGet(1_000_000_000);
      assertThat(hits(matcher, query, null)).hasSize(1);

      BankService other = elsewhere.banks();
      long newer = other.create(ChangeFollowerTest.CURATOR, new BankChanges("newer", null, null, null, null, null)).id();
      elsewhere.entries().create(ChangeFollowerTest.CURATOR, newer, new NewEntry(Map.of("pdq", banked), null, null, null, null));
      assertThat(hits(matcher, query, List.of(newer))).as("a bank asked for by id is read if not yet known")
          .extracting(MatchHit::bankId).containsExactly(newer);
    }
  }

  private static BankChanges thresholds(int pdq) {
    return new BankChanges(null, null, null, null, Map.of("pdq", pdq), null);
  }

  private static List<MatchHit> hits(Matcher matcher, String pdq, List<Long> banks) {
    return matcher.match(List.of(new Matcher.Query("pdq", pdq)), banks).hits();
  }
}
