package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The embedded database file compacts itself: a clean stop rewrites a file that is mostly unused
 * space (as bulk imports leave it), and a process killed while it rewrites loses nothing, since
 * the old file stays in force until the new one is complete.
 */
class EmbeddedCompactionTest extends KilledServerTest {

  private Path file() {
    return dataDir.resolve("countersignal.mv.db");
  }

  private static boolean logSays(Path log, String text) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8).contains(text);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  static void allMatch(ServerProcess.Started server, String admin, List<String> hashes) {
    assertThat(ImportCrashTest.matched(new Api(server.port()), admin, hashes)).as("every entry matches").doesNotContain(false);
  }

  @Test
  void aCleanStopCompactsAWastefulFileAndAKillWhileItDoesLosesNothing() throws Exception {
    assumeFalse(TestDatabases.postgresql(), "the embedded database's file");
    Random random = new Random(20261205);
    ServerProcess.Started first = startProcess("first");
    String admin = first.key().orElseThrow();
    Api api = new Api(first.port());
    long bank = api.post("/api/v1/banks", admin, "{\"name\":\"imported\"}").json().get("id").asLong();
    List<String> hashes = new ArrayList<>();
    while (Files.size(file()) < 128L << 20) {
      List<String> batch = ImportCrashTest.hashes(random);
      Api.Response done = api.post("/api/v1/banks/" + bank + "/entries/batch", admin, EntryImportTest.batchOfPdq(batch));
      assertThat(done.status()).as(done.body()).isEqualTo(201);
      hashes.addAll(batch);
    }
    long bloated = Files.size(file());

    // SIGTERM: the server stops and starts rewriting the file; SIGKILL as soon as it has begun.
    first.process().destroy();
    Path firstLog = logs.resolve("first.log");
    WebhookReceiver.await("the stopping server begins to compact (log: " + firstLog + ")",
        () -> logSays(firstLog, "Compacting the database file") || !first.process().isAlive());
    first.process().destroyForcibly();
    assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(logSays(firstLog, "Compacting the database file")).as("the stop began to compact").isTrue();

    ServerProcess.Started second = startProcess("second");
    allMatch(second, admin, hashes);
    second.process().destroy();
    assertThat(second.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(logSays(logs.resolve("second.log"), "Database file compacted from")).as("the second stop compacted").isTrue();
    assertThat(Files.size(file())).as("compacted from " + bloated).isLessThan(bloated / 3);

    ServerProcess.Started third = startProcess("third");
    allMatch(third, admin, hashes);
    third.process().destroy();
    assertThat(third.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(logSays(logs.resolve("third.log"), "Compacting the database file")).as("a compact file is left as it is").isFalse();
  }
}
