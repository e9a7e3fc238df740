package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.countersignal.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped and started again under load, with two replicas on it: while it is down
 * writes are refused (never acknowledged), the replicas keep running, and once it is back every
 * write that was acknowledged is there and matches on both replicas, and new writes work again.
 */
class DatabaseRestartTest {

  @TempDir Path pgData;
  @TempDir Path dirA;
  @TempDir Path dirB;

  private static EmbeddedPostgres startPostgres(Path data, int port) throws Exception {
    return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
  }

  @Test
  void writesAcknowledgedBeforeAndAfterARestartOfPostgresqlAllMatchOnEveryReplica() throws Exception {
    assumeTrue(TestDatabases.postgresql(), "PostgreSQL's restart; the PostgreSQL run");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    EmbeddedPostgres postgres = startPostgres(pgData, port);
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE restarted");
    }
    String url = "jdbc:postgresql://localhost:" + port + "/restarted";
    ServerConfig configA = TestServers.config(dirA).withDatabaseUrl(url).withDatabaseUser("postgres");
    ServerConfig configB = TestServers.config(dirB).withDatabaseUrl(url).withDatabaseUser("postgres");
    Random random = new Random(20261205);
    try (CountersignalServer a = TestServers.start(configA); CountersignalServer b = TestServers.start(configB)) {
      Api apiA = new Api(a.port());
      Api apiB = new Api(b.port());
      String admin = a.initialAdminKey().orElseThrow();
      long bank = apiA.post("/api/v1/banks", admin, "{\"name\":\"under load\"}").json().get("id").asLong();

      List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicInteger refused = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        while (!stop.get()) {
          String hash = MatchTest.randomPdq(random);
          Api.Response made;
          try {
            made = apiA.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + hash + "\"}}");
          } catch (RuntimeException e) {
            refused.incrementAndGet();
            continue;
          }
          if (made.status() == 201) {
            acknowledged.add(hash);
          } else {
            assertThat(made.status()).as(made.body()).isGreaterThanOrEqualTo(500);
            refused.incrementAndGet();
          }
        }
      });
      WebhookReceiver.await("writes before the restart", () -> acknowledged.size() >= 50);
      postgres.close();
      int before = acknowledged.size();
      Thread.sleep(3000);
      assertThat(acknowledged.size()).as("nothing acknowledged while PostgreSQL is down").isLessThanOrEqualTo(before + 1);
      assertThat(new Api(a.port()).get("/health/live", null).status()).as("the replica keeps running").isEqualTo(200);

      postgres = startPostgres(pgData, port);
      int restartedAt = acknowledged.size();
      WebhookReceiver.await("writes acknowledged again after the restart", () -> acknowledged.size() >= restartedAt + 50);
      stop.set(true);
      writer.get(60, TimeUnit.SECONDS);
      assertThat(refused.get()).as("writes were refused while it was down").isPositive();

      List<String> all = List.copyOf(acknowledged);
      WebhookReceiver.await("replica B has caught up", () -> TestServers.matches(apiB, admin, "pdq", all.getLast()));
      List<String> missing = new ArrayList<>();
      for (String hash : all) {
        if (!TestServers.matches(apiA, admin, "pdq", hash) || !TestServers.matches(apiB, admin, "pdq", hash)) {
          missing.add(hash);
        }
      }
      assertThat(missing).as("acknowledged writes that do not match on both replicas, of " + all.size()).isEmpty();
      long stored;
      try (Connection c = postgres.getDatabase("postgres", "restarted").getConnection(); Statement s = c.createStatement();
          java.sql.ResultSet count = s.executeQuery("SELECT COUNT(*) FROM entries WHERE bank_id = " + bank)) {
        count.next();
        stored = count.getLong(1);
      }
      assertThat(stored).as("nothing unacknowledged beyond the one cut short").isBetween((long) all.size(), (long) all.size() + 1);
    } finally {
      postgres.close();
    }
  }
}
