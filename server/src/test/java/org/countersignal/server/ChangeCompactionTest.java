package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.countersignal.server.match.ChangeFollower;
import org.countersignal.server.match.MatchIndexes;
import org.countersignal.server.store.ChangeCompaction;
import org.countersignal.server.store.ChangeLog;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compacting the change sequence: each signal keeps only its last change and a removed signal
 * none, a replay of what is left from the beginning builds the same indexes, a bank kept whole
 * keeps every change, and a reader that stood before the compacted part (an old index snapshot, a
 * follower that stalled) does not go on as if nothing were missing.
 */
class ChangeCompactionTest {

  @TempDir Path dataDir;
  final Random random = new Random(11);

  private static long bank(Api api, String admin, String name) {
    Api.Response created = api.post("/api/v1/banks", admin, "{\"name\":\"" + name + "\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  private static long entry(Api api, String admin, long bank, String pdq) {
    Api.Response created = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + pdq + "\"}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  private static void disable(Api api, String admin, long entry) {
    assertThat(api.post("/api/v1/entries/" + entry + "/disable", admin, "{\"reason\":\"churn\"}").status()).isEqualTo(200);
  }

  private static void enable(Api api, String admin, long entry) {
    assertThat(api.post("/api/v1/entries/" + entry + "/enable", admin, null).status()).isEqualTo(200);
  }

  /** Which of {@code hashes} match now, in order. */
  private static List<Boolean> matching(Api api, String admin, List<String> hashes) {
    List<Boolean> matching = new ArrayList<>();
    for (String hash : hashes) {
      matching.add(TestServers.matches(api, admin, "pdq", hash));
    }
    return matching;
  }

  private static long changes(Database database, long bank) {
    return database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM signal_changes WHERE bank_id = :bank")
        .bind("bank", bank).mapTo(Long.class).one());
  }

  private static OffsetDateTime soon() {
    return OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(1);
  }

  @Test
  void eachSignalKeepsItsLastChangeAndAReplayFromTheStartMatchesAsBefore() throws Exception {
    String admin;
    List<String> hashes = new ArrayList<>();
    Map<String, Boolean> expected = new LinkedHashMap<>();
    long churn;
    long kept;
    long keptChanges;
    try (CountersignalServer server = TestServers.start(dataDir)) {
      admin = server.initialAdminKey().orElseThrow();
      Api api = new Api(server.port());
      churn = bank(api, admin, "churn");
      kept = bank(api, admin, "kept-whole");
      for (int i = 0; i < 12; i++) {
        String hash = MatchTest.randomPdq(random);
        long entry = entry(api, admin, churn, hash);
        hashes.add(hash);
        for (int round = 0; round < 3; round++) { // a signal switched off and on again and again
          disable(api, admin, entry);
          enable(api, admin, entry);
        }
        switch (i % 3) {
          case 0 -> expected.put(hash, true);
          case 1 -> {
            disable(api, admin, entry);
            expected.put(hash, false);
          }
          default -> {
            assertThat(api.delete("/api/v1/entries/" + entry, admin).status()).isEqualTo(204);
            expected.put(hash, false);
          }
        }
      }
      long keptEntry = entry(api, admin, kept, MatchTest.randomPdq(random));
      disable(api, admin, keptEntry);
      enable(api, admin, keptEntry);
      assertThat(matching(api, admin, hashes)).containsExactlyElementsOf(expected.values());
    }
    try (Database database = TestServers.openDatabase(dataDir)) {
      long churnBefore = changes(database, churn);
      keptChanges = changes(database, kept);
      assertThat(churnBefore).isEqualTo(12 * 7 + 4 + 4); // made, 3 times off and on, then 4 disabled and 4 deleted
      long last = database.jdbi().withHandle(h -> h.createQuery("SELECT last_seq FROM change_counter").mapTo(Long.class).one());

      ChangeCompaction.Result result = ChangeCompaction.compact(database.jdbi(), soon(), List.of(kept));
      assertThat(result.compactedThrough()).isEqualTo(last);
      assertThat(result.removed()).isEqualTo(churnBefore - 4);
      assertThat(changes(database, churn)).as("one addition for each signal that matches, nothing for the others").isEqualTo(4);
      assertThat(changes(database, kept)).as("a bank kept whole").isEqualTo(keptChanges);
      assertThat(ChangeCompaction.compact(database.jdbi(), soon(), List.of(kept)).removed()).as("nothing more to do").isZero();
    }

    // The snapshot the last server wrote stands at the last change: it is still sound.
    try (CountersignalServer server = TestServers.start(dataDir)) {
      assertThat(server.indexLoadReport().snapshotSeq()).isPositive();
      assertThat(matching(new Api(server.port()), admin, hashes)).containsExactlyElementsOf(expected.values());
    }
    // Without a snapshot the whole sequence that is left is replayed.
    java.nio.file.Files.walk(dataDir.resolve("index-snapshot")).sorted(java.util.Comparator.reverseOrder()).map(Path::toFile)
        .forEach(java.io.File::delete);
    try (CountersignalServer server = TestServers.start(dataDir)) {
      assertThat(server.indexLoadReport().snapshotSeq()).isZero();
      Api api = new Api(server.port());
      assertThat(matching(api, admin, hashes)).containsExactlyElementsOf(expected.values());
    }
  }

  @Test
  void aSnapshotFromBeforeTheCompactedPartIsNotUsed() throws Exception {
    String admin;
    List<String> hashes = new ArrayList<>();
    long entry;
    try (CountersignalServer server = TestServers.start(dataDir)) {
      admin = server.initialAdminKey().orElseThrow();
      Api api = new Api(server.port());
      long bank = bank(api, admin, "snapshots");
      hashes.add(MatchTest.randomPdq(random));
      entry = entry(api, admin, bank, hashes.get(0));
    }
    Path oldSnapshot = dataDir.resolve("old-snapshot");
    IndexSnapshotTest.copyTree(dataDir.resolve("index-snapshot"), oldSnapshot);
    try (CountersignalServer server = TestServers.start(dataDir)) {
      Api api = new Api(server.port());
      assertThat(api.delete("/api/v1/entries/" + entry, admin).status()).isEqualTo(204);
      hashes.add(MatchTest.randomPdq(random));
      entry(api, admin, bank(api, admin, "later"), hashes.get(1));
    }
    try (Database database = TestServers.openDatabase(dataDir)) {
      ChangeCompaction.compact(database.jdbi(), soon(), List.of());
    }
    // As if the newer snapshot had been lost: the old one holds the deleted entry, whose removal is gone.
    IndexSnapshotTest.replaceTree(oldSnapshot, dataDir.resolve("index-snapshot"));
    try (CountersignalServer server = TestServers.start(dataDir)) {
      assertThat(server.indexLoadReport().snapshotSeq()).as("replayed from the start instead").isZero();
      assertThat(matching(new Api(server.port()), admin, hashes)).containsExactly(false, true);
    }
  }

  @Test
  void aFollowerThatStoodBeforeTheCompactedPartReportsNotReady() throws Exception {
    try (CountersignalServer server = TestServers.start(dataDir);
        Database database = TestServers.openDatabase(dataDir)) {
      String admin = server.initialAdminKey().orElseThrow();
      Api api = new Api(server.port());
      long bank = bank(api, admin, "stalled");
      long early = entry(api, admin, bank, MatchTest.randomPdq(random));

      // A replica whose follower reads once, then stalls (it polls once an hour).
      try (MatchIndexes indexes = new MatchIndexes();
          ChangeFollower stalled = new ChangeFollower(database.jdbi(), indexes)) {
        stalled.start(Duration.ofHours(1).toMillis());
        ReplicaTest.await(stalled::isCaughtUp, "the stalled follower loaded");
        assertThat(api.delete("/api/v1/entries/" + early, admin).status()).isEqualTo(204);
        entry(api, admin, bank, MatchTest.randomPdq(random));
        ChangeCompaction.compact(database.jdbi(), soon(), List.of());

        stalled.catchUp();
        assertThat(stalled.isCaughtUp()).as("the removal it had not read is gone").isFalse();
        assertThat(stalled.saveSnapshot()).isFalse();
      }

      // One that starts after the compaction replays what is left and is sound.
      try (MatchIndexes indexes = new MatchIndexes();
          ChangeFollower fresh = new ChangeFollower(database.jdbi(), indexes)) {
        fresh.start(Duration.ofHours(1).toMillis());
        ReplicaTest.await(fresh::isCaughtUp, "the fresh follower loaded");
        fresh.catchUp();
        assertThat(fresh.isCaughtUp()).isTrue();
        assertThat(fresh.cursor()).isEqualTo(database.jdbi().withHandle(ChangeLog::compactedThrough));
        assertThat(indexes.size("pdq")).isEqualTo(1);
      }
      assertThat(server.isReady()).as("the server's own follower was up to date").isTrue();
    }
  }
}
