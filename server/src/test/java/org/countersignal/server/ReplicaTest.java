package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.countersignal.server.auth.ApiKeys;
import org.countersignal.server.config.ServerConfig;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several server processes (replicas) on one PostgreSQL database: each follows the change
 * sequence, so what is written through one is matched by the others. Two servers in one JVM
 * stand in for two processes; they share nothing but the database (own pools, indexes, ports,
 * data directories). Runs in the PostgreSQL test run only: the embedded H2 file has one owner.
 */
@EnabledIfSystemProperty(named = TestDatabases.PROPERTY, matches = "postgresql")
class ReplicaTest {

  /** Generous: followers poll every second, the machine may be busy. Only a ceiling, never a measurement. */
  static final long WAIT_NANOS = 30_000_000_000L;

  @TempDir Path dirA;
  @TempDir Path dirB;
  @TempDir Path dirC;

  static ServerConfig replica(Path dataDir, String database) {
    return TestDatabases.withPostgresDatabase(ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dataDir), database);
  }

  @Test
  void changesThroughOneReplicaReachTheOthersAndLateOrRestartedReplicasCatchUp() throws Exception {
    String database = TestDatabases.newPostgresDatabase();
    CountersignalServer b = null;
    try (CountersignalServer a = TestServers.start(replica(dirA, database))) {
      b = TestServers.start(replica(dirB, database));
      assertThat(b.initialAdminKey()).as("the second replica finds the first one's key").isEmpty();
      Api apiA = new Api(a.port());
      Api apiB = new Api(b.port());
      String admin = a.initialAdminKey().orElseThrow();
      String curator = TestServers.key(apiA, admin, "curator");
      String matcher = TestServers.key(apiB, admin, "matcher");
      assertThat(apiB.get("/api/v1/banks", curator).status()).as("keys made on A work on B at once").isEqualTo(200);

      long bank = created(apiA.post("/api/v1/banks", curator, "{\"name\":\"shared\"}"));
      long first = entry(apiA, curator, bank, "pdq", pdq(1));
      long second = entry(apiA, curator, bank, "md5", md5(2));
      await(() -> matches(apiB, matcher, "pdq", pdq(1)).equals(List.of(first)), "B matches the PDQ entry added through A");
      await(() -> matches(apiB, matcher, "md5", md5(2)).equals(List.of(second)), "B matches the md5 entry added through A");

      assertThat(apiB.post("/api/v1/entries/" + first + "/disable", curator, "{\"reason\":\"false positive\"}").status()).isEqualTo(200);
      assertThat(apiB.delete("/api/v1/entries/" + second, curator).status()).isEqualTo(204);
      assertThat(matches(apiB, matcher, "pdq", pdq(1))).as("B itself at once").isEmpty();
      await(() -> indexSize(apiA, admin, "pdq") == 0 && indexSize(apiA, admin, "md5") == 0,
          "A's index drops the entries disabled and deleted through B");
      assertThat(matches(apiA, matcher, "pdq", pdq(1))).isEmpty();
      assertThat(matches(apiA, matcher, "md5", md5(2))).isEmpty();

      assertThat(apiB.post("/api/v1/entries/" + first + "/enable", curator, null).status()).isEqualTo(200);
      await(() -> matches(apiA, matcher, "pdq", pdq(1)).equals(List.of(first)), "A matches again after enable through B");

      // A replica started late replays the whole sequence before it reports ready.
      long third = entry(apiA, curator, bank, "sha256", sha256(3));
      try (CountersignalServer c = TestServers.start(replica(dirC, database))) {
        Api apiC = new Api(c.port());
        assertThat(matches(apiC, matcher, "pdq", pdq(1))).containsExactly(first);
        assertThat(matches(apiC, matcher, "md5", md5(2))).isEmpty();
        assertThat(matches(apiC, matcher, "sha256", sha256(3))).containsExactly(third);
        assertThat(indexSize(apiC, admin, "md5")).isZero();
      }

      // B is stopped, changes happen through A, B comes back on the same data directory and has them.
      b.close();
      b = null;
      long fourth = entry(apiA, curator, bank, "md5", md5(4));
      assertThat(apiA.post("/api/v1/entries/" + first + "/disable", curator, "{\"reason\":\"under review\"}").status()).isEqualTo(200);
      assertThat(apiA.delete("/api/v1/entries/" + third, curator).status()).isEqualTo(204);
      b = TestServers.start(replica(dirB, database));
      Api restarted = new Api(b.port());
      assertThat(matches(restarted, matcher, "md5", md5(4))).containsExactly(fourth);
      assertThat(matches(restarted, matcher, "sha256", sha256(3))).isEmpty();
      assertThat(indexSize(restarted, admin, "pdq")).isZero();
      assertThat(indexSize(restarted, admin, "sha256")).isZero();
      // ...and goes on following A.
      long fifth = entry(apiA, curator, bank, "pdq", pdq(5));
      await(() -> matches(restarted, matcher, "pdq", pdq(5)).equals(List.of(fifth)), "the restarted replica follows A");
    } finally {
      if (b != null) {
        b.close();
      }
    }
  }

  @Test
  void aKeyRevokedThroughOneReplicaIsRefusedByTheOtherWithinSeconds() throws Exception {
    String database = TestDatabases.newPostgresDatabase();
    try (CountersignalServer a = TestServers.start(replica(dirA, database));
        CountersignalServer b = TestServers.start(replica(dirB, database))) {
      Api apiA = new Api(a.port());
      Api apiB = new Api(b.port());
      String admin = a.initialAdminKey().orElseThrow();
      Api.Response created = apiA.post("/api/v1/keys", admin, "{\"role\":\"matcher\"}");
      String key = created.json().get("key").asText();
      // Made on A, used on B at once (B has never seen it, so it reads the row).
      assertThat(apiB.get("/api/v1/labels", key).status()).isEqualTo(200);
      assertThat(apiA.delete("/api/v1/keys/" + created.json().get("id").asLong(), admin).status()).isEqualTo(204);
      assertThat(apiA.get("/api/v1/labels", key).status()).as("refused at once where it was revoked").isEqualTo(401);
      long revoked = System.nanoTime();
      await(() -> apiB.get("/api/v1/labels", key).status() == 401, "the other replica refuses the revoked key");
      assertThat(System.nanoTime() - revoked).isLessThan(ApiKeys.REMEMBER.toNanos() + 3_000_000_000L);
    }
  }

  @Test
  void replicasStartingTogetherOnAnEmptyDatabaseMakeOneAdminKey() throws Exception {
    String database = TestDatabases.newPostgresDatabase();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CyclicBarrier together = new CyclicBarrier(2);
    try {
      Future<CountersignalServer> startA = pool.submit(() -> {
        together.await();
        return TestServers.start(replica(dirA, database));
      });
      Future<CountersignalServer> startB = pool.submit(() -> {
        together.await();
        return TestServers.start(replica(dirB, database));
      });
      try (CountersignalServer a = startA.get(); CountersignalServer b = startB.get()) {
        assertThat(a.initialAdminKey().isPresent() ^ b.initialAdminKey().isPresent()).as("exactly one replica made the key").isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(count(database, "SELECT COUNT(*) FROM api_keys")).isEqualTo(1);
  }

  /**
   * The start-up check itself, raced harder than two server starts can: many threads on two
   * connection pools (as two processes would have) ask for the first key at the same moment.
   */
  @Test
  void theFirstAdminKeyIsMadeOnceUnderARace() throws Exception {
    String database = TestDatabases.newPostgresDatabase();
    int threads = 8;
    try (Database one = TestServers.openDatabase(replica(dirA, database)); Database two = TestServers.openDatabase(replica(dirB, database))) {
      List<ApiKeys> keys = List.of(new ApiKeys(one.jdbi()), new ApiKeys(two.jdbi()));
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CyclicBarrier together = new CyclicBarrier(threads);
      List<Future<Boolean>> made = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        ApiKeys onePool = keys.get(t % 2);
        made.add(pool.submit(() -> {
          together.await();
          return onePool.createInitialAdminKeyIfNone().isPresent();
        }));
      }
      int count = 0;
      for (Future<Boolean> f : made) {
        count += f.get() ? 1 : 0;
      }
      pool.shutdown();
      assertThat(count).isEqualTo(1);
    }
    assertThat(count(database, "SELECT COUNT(*) FROM api_keys")).isEqualTo(1);
  }

  /**
   * Many writers through two replicas at once: additions, disables, enables and deletions
   * interleave across processes. Afterwards the sequence is gap-free and both replicas' indexes
   * hold exactly the enabled signals of the database — no change committed late was skipped.
   */
  @Test
  void concurrentWritersThroughTwoReplicasLeaveBothIndexesEqualToTheDatabase() throws Exception {
    String database = TestDatabases.newPostgresDatabase();
    try (CountersignalServer a = TestServers.start(replica(dirA, database));
        CountersignalServer b = TestServers.start(replica(dirB, database))) {
      List<Api> apis = List.of(new Api(a.port()), new Api(b.port()));
      String admin = a.initialAdminKey().orElseThrow();
      String curator = TestServers.key(apis.get(0), admin, "curator");
      long bank = created(apis.get(0).post("/api/v1/banks", curator, "{\"name\":\"busy\"}"));

      int threads = 8;
      int perThread = 12;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CyclicBarrier together = new CyclicBarrier(threads);
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        work.add(pool.submit(() -> {
          Random random = new Random(thread);
          together.await();
          for (int i = 0; i < perThread; i++) {
            int n = thread * 1000 + i;
            // Each call goes to either replica; an entry's later calls often go to the other one.
            Api api = apis.get(random.nextInt(2));
            long id = created(api.post("/api/v1/banks/" + bank + "/entries", curator,
                "{\"signals\":{\"md5\":\"" + md5(n) + "\",\"pdq\":\"" + pdq(n) + "\"}}"));
            switch (i % 4) {
              case 1 -> assertThat(apis.get(random.nextInt(2))
                  .post("/api/v1/entries/" + id + "/disable", curator, "{\"reason\":\"x\"}").status()).isEqualTo(200);
              case 2 -> assertThat(apis.get(random.nextInt(2)).delete("/api/v1/entries/" + id, curator).status()).isEqualTo(204);
              case 3 -> {
                assertThat(apis.get(random.nextInt(2))
                    .post("/api/v1/entries/" + id + "/disable", curator, "{\"reason\":\"x\"}").status()).isEqualTo(200);
                assertThat(apis.get(random.nextInt(2)).post("/api/v1/entries/" + id + "/enable", curator, null).status())
                    .isEqualTo(200);
              }
              default -> { }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get();
      }
      pool.shutdown();

      long last = count(database, "SELECT MAX(seq) FROM signal_changes");
      assertThat(count(database, "SELECT COUNT(*) FROM signal_changes")).as("gap-free 1..last").isEqualTo(last);
      Map<String, Map<String, Long>> live = liveSignals(database);
      // cases 0 and 3 stay enabled: half of all entries
      assertThat(live.get("md5")).hasSize(threads * perThread / 2);
      for (Api api : apis) {
        await(() -> appliedSeq(api, admin) == last, "replica applied the whole sequence");
        for (String type : List.of("md5", "pdq")) {
          assertThat(indexSize(api, admin, type)).as(type + " index size").isEqualTo(live.get(type).size());
          for (Map.Entry<String, Long> signal : live.get(type).entrySet()) {
            assertThat(matches(api, admin, type, signal.getKey())).as(type + " " + signal.getKey()).contains(signal.getValue());
          }
        }
      }
    }
  }

  // ---- helpers ----

  static long created(Api.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json().get("id").asLong();
  }

  static long entry(Api api, String key, long bank, String type, String value) {
    return created(api.post("/api/v1/banks/" + bank + "/entries", key, "{\"signals\":{\"" + type + "\":\"" + value + "\"}}"));
  }

  /** Entry ids that match {@code value} exactly (distance 0 for PDQ). */
  static List<Long> matches(Api api, String key, String type, String value) {
    Api.Response response = api.post("/api/v1/match", key, "{\"signals\":{\"" + type + "\":\"" + value + "\"}}");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    List<Long> ids = new ArrayList<>();
    for (JsonNode match : response.json().get("matches")) {
      if (match.get("distance").asInt() == 0) {
        ids.add(match.get("entry_id").asLong());
      }
    }
    return ids;
  }

  static long indexSize(Api api, String key, String type) {
    return (long) metric(api, key, "countersignal_index_entries\\{signal_type=\"" + type + "\"\\}");
  }

  static long appliedSeq(Api api, String key) {
    return (long) metric(api, key, "countersignal_changes_applied_seq");
  }

  static double metric(Api api, String key, String nameRegex) {
    String text = api.get("/metrics", key).body();
    Matcher m = Pattern.compile("(?m)^" + nameRegex + " ([0-9.E+-]+)$").matcher(text);
    assertThat(m.find()).as(nameRegex + " in " + text).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /** signal type → value → entry id, for the enabled entries in the database. */
  static Map<String, Map<String, Long>> liveSignals(String database) throws Exception {
    Map<String, Map<String, Long>> live = new HashMap<>();
    try (Connection c = TestDatabases.connect(database);
        ResultSet rows = c.createStatement().executeQuery(
            "SELECT s.signal_type, s.signal_value, e.id FROM entry_signals s JOIN entries e ON e.id = s.entry_id WHERE e.enabled")) {
      while (rows.next()) {
        live.computeIfAbsent(rows.getString(1), t -> new HashMap<>()).put(rows.getString(2), rows.getLong(3));
      }
    }
    return live;
  }

  static long count(String database, String sql) throws Exception {
    try (Connection c = TestDatabases.connect(database); ResultSet rows = c.createStatement().executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_NANOS;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** A PDQ hash made from {@code n}: far apart for different n (a hash of the number, not nearby bits). */
  static String pdq(int n) {
    return sha256(n);
  }

  static String md5(int n) {
    return String.format("%032x", n);
  }

  static String sha256(int n) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Integer.toString(n).getBytes()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
