package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.countersignal.server.match.ChangeFollower;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart loads the indexes from the snapshot written when the server stopped and replays only
 * the changes made after it; a damaged snapshot, or one of another database, is not used.
 */
class IndexSnapshotTest {

  @TempDir Path dataDir;

  /** Adds {@code n} PDQ entries to a new bank and returns their hashes. */
  static List<String> addEntries(Api api, String admin, String bankName, int n, Random random) {
    long bank = api.post("/api/v1/banks", admin, "{\"name\":\"" + bankName + "\"}").json().get("id").asLong();
    List<String> hashes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String hash = MatchTest.randomPdq(random);
      assertThat(api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + hash + "\"}}").status())
          .isEqualTo(201);
      hashes.add(hash);
    }
    return hashes;
  }

  static void assertAllMatch(Api api, String admin, List<String> hashes) {
    for (String hash : hashes) {
      Api.Response response = api.post("/api/v1/match", admin, "{\"signals\":{\"pdq\":\"" + hash + "\"}}");
      assertThat(response.json().get("matches")).as(hash).hasSize(1);
    }
  }

  @Test
  void aRestartLoadsTheSnapshotAndReplaysOnlyWhatCameAfter() throws IOException {
    Random random = new Random(7);
    String admin;
    List<String> first;
    try (CountersignalServer server = TestServers.start(dataDir)) {
      admin = server.initialAdminKey().orElseThrow();
      first = addEntries(new Api(server.port()), admin, "first", 5, random);
    }
    assertThat(dataDir.resolve("index-snapshot/CURRENT")).exists();
    Path kept = dataDir.resolve("kept-snapshot");
    copyTree(dataDir.resolve("index-snapshot"), kept);

    long snapshotSeq;
    List<String> second;
    try (CountersignalServer server = TestServers.start(dataDir)) {
      ChangeFollower.LoadReport report = server.indexLoadReport();
      assertThat(report.snapshotSeq()).isPositive();
      assertThat(report.replayedChanges()).isZero();
      snapshotSeq = report.snapshotSeq();
      Api api = new Api(server.port());
      assertAllMatch(api, admin, first);
      second = addEntries(api, admin, "second", 3, random);
    }

    // As if the server had crashed before writing a newer snapshot: the old one is in force.
    replaceTree(kept, dataDir.resolve("index-snapshot"));
    try (CountersignalServer server = TestServers.start(dataDir)) {
      ChangeFollower.LoadReport report = server.indexLoadReport();
      assertThat(report.snapshotSeq()).isEqualTo(snapshotSeq);
      assertThat(report.replayedChanges()).isEqualTo(3);
      Api api = new Api(server.port());
      assertAllMatch(api, admin, first);
      assertAllMatch(api, admin, second);
    }
  }

  @Test
  void aDamagedSnapshotIsIgnoredAndTheSequenceReplayed() throws IOException {
    String admin;
    List<String> hashes;
    try (CountersignalServer server = TestServers.start(dataDir)) {
      admin = server.initialAdminKey().orElseThrow();
      hashes = addEntries(new Api(server.port()), admin, "bank", 4, new Random(11));
    }
    Path snapshot = dataDir.resolve("index-snapshot").resolve(
        Files.readString(dataDir.resolve("index-snapshot/CURRENT")).strip());
    Path pdq = snapshot.resolve("pdq.snapshot");
    byte[] bytes = Files.readAllBytes(pdq);
    bytes[bytes.length / 2] ^= 0x5A;
    Files.write(pdq, bytes);
    try (CountersignalServer server = TestServers.start(dataDir)) {
      assertThat(server.indexLoadReport().snapshotSeq()).isZero();
      assertThat(server.indexLoadReport().replayedChanges()).isEqualTo(4);
      assertAllMatch(new Api(server.port()), admin, hashes);
    }
  }

  @Test
  void aSnapshotOfAnotherDatabaseIsNotUsed(@TempDir Path otherDir) throws IOException {
    try (CountersignalServer other = TestServers.start(otherDir)) {
      addEntries(new Api(other.port()), other.initialAdminKey().orElseThrow(), "elsewhere", 6, new Random(3));
    }
    String admin;
    List<String> hashes;
    try (CountersignalServer server = TestServers.start(dataDir)) {
      admin = server.initialAdminKey().orElseThrow();
      hashes = addEntries(new Api(server.port()), admin, "here", 2, new Random(5));
    }
    replaceTree(otherDir.resolve("index-snapshot"), dataDir.resolve("index-snapshot"));
    try (CountersignalServer server = TestServers.start(dataDir)) {
      assertThat(server.indexLoadReport().snapshotSeq()).isZero();
      Api api = new Api(server.port());
      assertAllMatch(api, admin, hashes);
      String foreign = MatchTest.randomPdq(new Random(3));
      assertThat(api.post("/api/v1/match", admin, "{\"signals\":{\"pdq\":\"" + foreign + "\"}}").json().get("matches")).isEmpty();
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path path : walk.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static void replaceTree(Path from, Path to) throws IOException {
    try (var walk = Files.walk(to)) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
    copyTree(from, to);
  }
}
