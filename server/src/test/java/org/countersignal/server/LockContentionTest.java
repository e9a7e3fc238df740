package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.countersignal.server.store.ChangeLog;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that waits past the lock timeout behind another transaction (a long import, say) is a
 * refusal to retry, 503 with {@code Retry-After}, and keeps nothing; not a server fault.
 */
class LockContentionTest {

  @TempDir Path dataDir;

  @Test
  void aDeleteHeldUpByTheChangeLogLockIsRefusedAsBusyAndSucceedsOnceTheLockIsFree() throws Exception {
    try (CountersignalServer server = TestServers.start(dataDir);
        Database database = TestServers.openDatabase(dataDir)) {
      String admin = server.initialAdminKey().orElseThrow();
      Api api = new Api(server.port());
      long bank = ReplicaTest.created(api.post("/api/v1/banks", admin, "{\"name\":\"contended\"}"));
      String pdq = MatchTest.randomPdq(new Random(5));
      long entry = ReplicaTest.entry(api, admin, bank, "pdq", pdq);

      // Another writer holds the change-log lock for longer than the lock timeout.
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> {
        try {
          database.jdbi().useTransaction(h -> {
            ChangeLog.lockForWriting(h);
            held.countDown();
            release.await(60, TimeUnit.SECONDS);
          });
        } catch (InterruptedException e) {
          throw new CompletionException(e);
        }
      });
      assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
      Api.Response refused;
      try {
        refused = api.delete("/api/v1/entries/" + entry, admin);
      } finally {
        release.countDown();
      }
      holder.get(10, TimeUnit.SECONDS);

      assertThat(refused.status()).as(refused.body()).isEqualTo(503);
      assertThat(refused.header("Retry-After")).isEqualTo("1");
      assertThat(refused.json().get("type").asText()).isEqualTo("urn:countersignal:problem:busy");
      assertThat(TestServers.matches(api, admin, "pdq", pdq)).as("the refused delete kept nothing").isTrue();

      assertThat(api.delete("/api/v1/entries/" + entry, admin).status()).isEqualTo(204);
      assertThat(TestServers.matches(api, admin, "pdq", pdq)).isFalse();
    }
  }
}
