package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A server killed with SIGKILL while it writes its index snapshot (at its stop, after a SIGTERM)
 * leaves the snapshot before it in force: the next start loads that one, or replays the sequence,
 * and every entry matches; the half-written folder is cleared by the next snapshot.
 */
class SnapshotCrashTest extends KilledServerTest {

  private Path snapshots() {
    return dataDir.resolve("index-snapshot");
  }

  private boolean partialSnapshot() {
    try (Stream<Path> files = Files.list(snapshots())) {
      return files.anyMatch(p -> p.getFileName().toString().endsWith(".partial"));
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void aKillWhileTheSnapshotIsWrittenLeavesTheOneBeforeInForce() throws Exception {
    Random random = new Random(20261205);
    ServerProcess.Started server = startProcess("start-0");
    String admin = server.key().orElseThrow();
    long bank = new Api(server.port()).post("/api/v1/banks", admin, "{\"name\":\"snapshots\"}").json().get("id").asLong();
    List<String> hashes = new ArrayList<>();
    boolean cutShort = false;
    // The kill has to land inside the write, which takes a fraction of a second: each round adds
    // entries (a larger index writes longer) and tries again.
    for (int round = 1; round <= 6 && !cutShort; round++) {
      Api api = new Api(server.port());
      for (int i = 0; i < 5; i++) {
        List<String> batch = ImportCrashTest.hashes(random);
        Api.Response done = api.post("/api/v1/banks/" + bank + "/entries/batch", admin, EntryImportTest.batchOfPdq(batch));
        assertThat(done.status()).as(done.body()).isEqualTo(201);
        hashes.addAll(batch);
      }
      Process process = server.process();
      process.destroy(); // SIGTERM: the stop writes the snapshot
      while (process.isAlive() && !partialSnapshot()) {
        Thread.onSpinWait();
      }
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      cutShort = partialSnapshot();

      server = startProcess("start-" + round);
      EmbeddedCompactionTest.allMatch(server, admin, hashes);
    }
    assertThat(cutShort).as("a kill landed while a snapshot was being written").isTrue();

    // The next snapshot clears what the killed one left.
    server.process().destroy();
    assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(partialSnapshot()).isFalse();
    assertThat(snapshots().resolve("CURRENT")).exists();
    server = startProcess("last");
    EmbeddedCompactionTest.allMatch(server, admin, hashes);
  }
}
