package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;
import org.countersignal.server.bank.BankChanges;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.bank.NewEntry;
import org.countersignal.server.match.ChangeFollower;
import org.countersignal.server.match.MatchHit;
import org.countersignal.server.match.MatchIndexes;
import org.countersignal.server.match.Matcher;
import org.countersignal.server.store.ChangeLog;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The matcher keeps the rows of the entries it has hit in memory. Here the writers never tell
 * the follower of their changes (as a replica's would not) and it never polls on its own, so each
 * step shows what a match answers before and after the follower applies a change: a kept row must
 * never outlive a committed change, applied or not.
 */
class KeptEntryRowsTest {

  @TempDir Path dataDir;

  static final Principal CURATOR = new Principal(1, Role.CURATOR);
  static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

  @Test
  void aKeptRowNeverOutlivesACommittedChange() throws Exception {
    try (Database database = TestServers.openDatabase(dataDir);
        MatchIndexes indexes = new MatchIndexes();
        ChangeFollower follower = new ChangeFollower(database.jdbi(), indexes)) {
      var jdbi = database.jdbi();
      BankServices services = BankServices.over(jdbi, () -> { });
      BankService banks = services.banks();
      EntryService entries = services.entries();
      long bank = banks.create(CURATOR, new BankChanges("kept", null, null, null, null, null)).id();
      long entry = entries.create(CURATOR, bank, new NewEntry(Map.of("pdq", PDQ), null, null, null, null)).id();
      follower.start(3_600_000);
      ChangeFollowerTest.awaitTrue(follower::isCaughtUp);
      Matcher matcher = new Matcher(jdbi, indexes, follower);

      assertThat(hits(matcher)).extracting(MatchHit::entryId).containsExactly(entry);
      assertThat(hits(matcher)).as("the second match reads the kept row").extracting(MatchHit::entryId).containsExactly(entry);

      entries.disable(CURATOR, entry, "false positive", null);
      assertThat(indexes.search("pdq", PDQ, 0)).as("the follower has not applied the disable").isNotEmpty();
      assertThat(hits(matcher)).as("committed, not yet applied: the row is read again, not taken from memory").isEmpty();

      follower.catchUp();
      assertThat(hits(matcher)).isEmpty();
      entries.enable(CURATOR, entry);
      assertThat(hits(matcher)).as("enabled, not yet in the index").isEmpty();
      follower.catchUp();
      assertThat(hits(matcher)).extracting(MatchHit::labels).containsExactly(List.of());

      // A followed entry's labels change with an UPDATE of its signal.
      relabel(jdbi, bank, entry, "restated");
      assertThat(hits(matcher)).as("committed, not yet applied").extracting(MatchHit::labels).containsExactly(List.of("restated"));
      follower.catchUp();
      relabel(jdbi, bank, entry, "again");
      follower.catchUp();
      assertThat(hits(matcher)).as("applied: the kept row was forgotten").extracting(MatchHit::labels)
          .containsExactly(List.of("again"));
    }
  }

  private static void relabel(org.jdbi.v3.core.Jdbi jdbi, long bank, long entry, String label) {
    jdbi.useTransaction(h -> {
      ChangeLog.lockForWriting(h);
      h.createUpdate("UPDATE entries SET labels = :labels WHERE id = :id").bind("labels", "[\"" + label + "\"]").bind("id", entry)
          .execute();
      ChangeLog.appendAll(h, ChangeLog.Op.UPDATE, "entry_updated", bank, List.of(new ChangeLog.EntrySignal(entry, "pdq", PDQ)));
    });
  }

  private static List<MatchHit> hits(Matcher matcher) {
    return matcher.match(List.of(new Matcher.Query("pdq", PDQ)), null).hits();
  }
}
