package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.countersignal.server.config.ServerConfig;
import org.countersignal.server.store.ChangeNotifications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas on one PostgreSQL are told of each other's changes as they commit (LISTEN/NOTIFY), not
 * only at their next poll. Both replicas here poll every ten minutes, longer than the test waits
 * for anything, so whatever reaches the other replica's index came by notification (or by the
 * catch-up after the listening connection came back). The waits are ceilings, never measurements.
 */
@EnabledIfSystemProperty(named = TestDatabases.PROPERTY, matches = "postgresql")
class ReplicaNotificationTest {

  /** Longer than the whole test: no change reaches a replica by polling. */
  static final Duration NO_POLL_DURING_THE_TEST = Duration.ofMinutes(10);

  @TempDir Path dirA;
  @TempDir Path dirB;

  static ServerConfig replica(Path dataDir, String database) {
    return ReplicaTest.replica(dataDir, database).withFollowInterval(NO_POLL_DURING_THE_TEST);
  }

  @Test
  void changesThroughOneReplicaReachTheOtherWithoutWaitingForItsPoll() throws Exception {
    String database = TestDatabases.newPostgresDatabase();
    try (CountersignalServer a = TestServers.start(replica(dirA, database));
        CountersignalServer b = TestServers.start(replica(dirB, database))) {
      ReplicaTest.await(() -> listeningSessions(database).size() == 2, "both replicas listen");
      Api apiA = new Api(a.port());
      Api apiB = new Api(b.port());
      String admin = a.initialAdminKey().orElseThrow();
      String curator = TestServers.key(apiA, admin, "curator");
      long bank = ReplicaTest.created(apiA.post("/api/v1/banks", curator, "{\"name\":\"shared\"}"));

      long first = ReplicaTest.entry(apiA, curator, bank, "pdq", ReplicaTest.pdq(1));
      long second = ReplicaTest.entry(apiA, curator, bank, "md5", ReplicaTest.md5(2));
      ReplicaTest.await(() -> ReplicaTest.matches(apiB, admin, "pdq", ReplicaTest.pdq(1)).equals(List.of(first)),
          "B matches the PDQ entry added through A");
      ReplicaTest.await(() -> ReplicaTest.matches(apiB, admin, "md5", ReplicaTest.md5(2)).equals(List.of(second)),
          "B matches the md5 entry added through A");

      // A match checks the entry's row, so B stops matching a disabled or deleted entry even before
      // its index hears of it; the index dropping the signal is what shows the change arrived.
      assertThat(apiA.post("/api/v1/entries/" + first + "/disable", curator, "{\"reason\":\"false positive\"}").status()).isEqualTo(200);
      assertThat(apiA.delete("/api/v1/entries/" + second, curator).status()).isEqualTo(204);
      ReplicaTest.await(() -> ReplicaTest.indexSize(apiB, admin, "pdq") == 0, "B's index drops the entry disabled through A");
      ReplicaTest.await(() -> ReplicaTest.indexSize(apiB, admin, "md5") == 0, "B's index drops the entry deleted through A");
      assertThat(ReplicaTest.matches(apiB, admin, "pdq", ReplicaTest.pdq(1))).isEmpty();
      assertThat(ReplicaTest.matches(apiB, admin, "md5", ReplicaTest.md5(2))).isEmpty();

      assertThat(apiA.post("/api/v1/entries/" + first + "/enable", curator, null).status()).isEqualTo(200);
      ReplicaTest.await(() -> ReplicaTest.matches(apiB, admin, "pdq", ReplicaTest.pdq(1)).equals(List.of(first)),
          "B matches again after enable through A");

      // The other way round, and a bulk import (hundreds of rows in one transaction) is heard as well.
      long third = ReplicaTest.entry(apiB, curator, bank, "sha256", ReplicaTest.sha256(3));
      ReplicaTest.await(() -> ReplicaTest.matches(apiA, admin, "sha256", ReplicaTest.sha256(3)).equals(List.of(third)),
          "A matches the entry added through B");
      StringBuilder batch = new StringBuilder("{\"entries\":[");
      for (int n = 100; n < 400; n++) {
        batch.append(n > 100 ? "," : "").append("{\"signals\":{\"md5\":\"").append(ReplicaTest.md5(n)).append("\"}}");
      }
      Api.Response imported = apiB.post("/api/v1/banks/" + bank + "/entries/batch", curator, batch.append("]}").toString());
      assertThat(imported.status()).as(imported.body()).isEqualTo(201);
      ReplicaTest.await(() -> ReplicaTest.indexSize(apiA, admin, "md5") == 300, "A's index has all 300 entries imported through B");
    }
    ReplicaTest.await(() -> listeningSessions(database).isEmpty(), "closed servers stop listening");
  }

  @Test
  void afterTheListeningSessionsAreKilledLaterChangesStillArrive() throws Exception {
    String database = TestDatabases.newPostgresDatabase();
    try (CountersignalServer a = TestServers.start(replica(dirA, database));
        CountersignalServer b = TestServers.start(replica(dirB, database))) {
      ReplicaTest.await(() -> listeningSessions(database).size() == 2, "both replicas listen");
      Api apiA = new Api(a.port());
      Api apiB = new Api(b.port());
      String admin = a.initialAdminKey().orElseThrow();
      long bank = ReplicaTest.created(apiA.post("/api/v1/banks", admin, "{\"name\":\"shared\"}"));

      // As a PostgreSQL restart would, from the replicas' side: their listening sessions end.
      Set<Integer> killed = listeningSessions(database);
      try (Connection c = TestDatabases.connect(database); Statement s = c.createStatement()) {
        s.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
            + " AND application_name = '" + ChangeNotifications.APPLICATION_NAME + "'").close();
      }
      // Committed at once, most likely before the replicas listen again: the catch-up after
      // reconnecting brings it.
      long meanwhile = ReplicaTest.entry(apiA, admin, bank, "md5", ReplicaTest.md5(10));
      ReplicaTest.await(() -> {
        Set<Integer> now = listeningSessions(database);
        return now.size() == 2 && now.stream().noneMatch(killed::contains);
      }, "both replicas listen again on new sessions");
      ReplicaTest.await(() -> ReplicaTest.matches(apiB, admin, "md5", ReplicaTest.md5(10)).equals(List.of(meanwhile)),
          "B has the entry added through A while it was not listening");

      // Committed once they listen again: heard as before.
      long after = ReplicaTest.entry(apiA, admin, bank, "pdq", ReplicaTest.pdq(11));
      ReplicaTest.await(() -> ReplicaTest.matches(apiB, admin, "pdq", ReplicaTest.pdq(11)).equals(List.of(after)),
          "B hears of the entry added through A after it listened again");
    }
  }

  /** The backend ids of the replicas' listening sessions on {@code database}. */
  static Set<Integer> listeningSessions(String database) {
    Set<Integer> pids = new HashSet<>();
    try (Connection c = TestDatabases.connect(database);
        ResultSet rows = c.createStatement().executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            + " AND application_name = '" + ChangeNotifications.APPLICATION_NAME + "'")) {
      while (rows.next()) {
        pids.add(rows.getInt(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return pids;
  }
}
