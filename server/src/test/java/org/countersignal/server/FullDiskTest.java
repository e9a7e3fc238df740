package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory's disk fills up under writes: the writes past the end are refused with an
 * error, the process keeps answering, and once there is room again a restart finds every
 * acknowledged write, nothing corrupted. The disk is a small tmpfs mounted for the test, which
 * needs root (skipped, loudly, without).
 */
class FullDiskTest {

  static final int ENTRIES_A_BATCH = 200;

  @TempDir Path dir;

  private static int run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return process.exitValue();
  }

  private static String noise(Random random, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) ('a' + random.nextInt(26)));
    }
    return text.toString();
  }

  @Test
  void aFullDiskRefusesWritesAndLosesNothingAcknowledged() throws Exception {
    assumeFalse(TestDatabases.postgresql(), "the embedded database's own disk; PostgreSQL's disk is its operator's");
    Path disk = dir.resolve("disk");
    Files.createDirectories(disk);
    boolean mounted = "root".equals(System.getProperty("user.name")) && run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", disk.toString()) == 0;
    if (!mounted) {
      System.err.println("FullDiskTest: cannot mount a small tmpfs (needs root): SKIPPED");
    }
    assumeTrue(mounted, "a small disk to fill");
    try {
      Path data = disk.resolve("data");
      Random random = new Random(20261205);
      List<String> acknowledged = new ArrayList<>();
      String admin;
      int refused = 0;
      try (CountersignalServer server = TestServers.start(data)) {
        Api api = new Api(server.port());
        admin = server.initialAdminKey().orElseThrow();
        long bank = api.post("/api/v1/banks", admin, "{\"name\":\"filling\"}").json().get("id").asLong();
        while (refused < 3) {
          List<String> hashes = new ArrayList<>();
          List<ObjectNode> entries = new ArrayList<>();
          for (int i = 0; i < ENTRIES_A_BATCH; i++) {
            String hash = MatchTest.randomPdq(random);
            hashes.add(hash);
            ObjectNode entry = EntryImportTest.entry("pdq", hash);
            entry.put("note", noise(random, 3_900));
            entries.add(entry);
          }
          Api.Response made = api.post("/api/v1/banks/" + bank + "/entries/batch", admin, EntryImportTest.batch(entries));
          if (made.status() == 201) {
            acknowledged.addAll(hashes);
          } else {
            assertThat(made.status()).as(made.body()).isEqualTo(507);
            assertThat(made.json().get("type").asText()).isEqualTo("urn:countersignal:problem:insufficient-storage");
            refused++;
          }
          assertThat(acknowledged.size()).as("the disk filled up").isLessThan(100_000);
        }
        assertThat(api.get("/health/live", null).status()).as("the process keeps answering").isEqualTo(200);
      }
      assertThat(acknowledged).as("writes before the disk was full").isNotEmpty();

      // Room again, and a restart on the same files.
      assertThat(run("mount", "-o", "remount,size=512m", disk.toString())).isZero();
      try (CountersignalServer server = TestServers.start(data)) {
        Api api = new Api(server.port());
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < acknowledged.size(); i += 97) { // a sample across every batch
          if (!TestServers.matches(api, admin, "pdq", acknowledged.get(i))) {
            missing.add(acknowledged.get(i));
          }
        }
        assertThat(missing).as("acknowledged before the disk filled, of " + acknowledged.size()).isEmpty();
        assertThat(TestServers.matches(api, admin, "pdq", acknowledged.getLast())).isTrue();
        long bank = api.get("/api/v1/banks", admin).json().at("/items/0/id").asLong();
        assertThat(api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + MatchTest.randomPdq(random) + "\"}}")
            .status()).as("writes work again").isEqualTo(201);
      }
    } finally {
      run("umount", "-l", disk.toString());
    }
  }
}
