package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.countersignal.index.snapshot.SnapshotFormat;
import org.countersignal.index.snapshot.SnapshotReader;
import org.countersignal.server.match.ChangeFollower;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Texts and links survive a restart: both indexes from their snapshot files, and changes after the
 * snapshot replayed onto both.
 */
class TextRestartTest {

  @TempDir Path dataDir;

  static List<String> hits(Api api, String admin, String post) {
    JsonNode matches = api.post("/api/v1/match/text", admin, TextMatchTest.json(post)).json().get("matches");
    List<String> found = new ArrayList<>();
    matches.forEach(hit -> found.add(hit.get("signal_type").asText() + ":" + hit.get("entry_id").asLong()));
    return found;
  }

  @Test
  void textsAndLinksAreMatchedAfterARestart() throws Exception {
    List<String> words = TextMatchTest.prose(31, 1200);
    String post = TextMatchTest.text(words.subList(300, 800)) + " mirror: https://cdn.hate.example/v/1";
    String admin;
    long text;
    long link;
    try (CountersignalServer server = TestServers.start(dataDir)) {
      admin = server.initialAdminKey().orElseThrow();
      Api api = new Api(server.port());
      long bank = api.post("/api/v1/banks", admin, "{\"name\":\"kept\"}").json().get("id").asLong();
      text = api.post("/api/v1/banks/" + bank + "/entries/text", admin, TextMatchTest.json(TextMatchTest.text(words)))
          .json().get("id").asLong();
      link = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"url\":\"domain:hate.example\"}}")
          .json().get("id").asLong();
      assertThat(hits(api, admin, post)).containsExactlyInAnyOrder("text:" + text, "url:" + link);
    }
    Path snapshot = dataDir.resolve("index-snapshot").resolve(Files.readString(dataDir.resolve("index-snapshot/CURRENT")).strip());
    assertThat(Files.readString(snapshot.resolve("url.snapshot"))).contains(link + "\tdomain:hate.example");
    try (SnapshotReader texts = new SnapshotReader(snapshot.resolve("text.snapshot"), SnapshotFormat.KIND_TEXT_MINHASH)) {
      assertThat(texts.count()).as("live text entries in the snapshot").isEqualTo(1);
    }

    try (CountersignalServer server = TestServers.start(dataDir)) {
      ChangeFollower.LoadReport report = server.indexLoadReport();
      assertThat(report.snapshotSeq()).isPositive();
      assertThat(report.replayedChanges()).isZero();
      Api api = new Api(server.port());
      assertThat(hits(api, admin, post)).containsExactlyInAnyOrder("text:" + text, "url:" + link);
      assertThat(api.post("/api/v1/entries/" + text + "/disable", admin, "{\"reason\":\"false positive\"}").status()).isEqualTo(200);
    }

    try (CountersignalServer server = TestServers.start(dataDir)) {
      assertThat(hits(new Api(server.port()), admin, post)).containsExactly("url:" + link);
    }
  }

  @Test
  void aDamagedUrlSnapshotIsIgnoredAndTheSequenceReplayed() throws Exception {
    String admin;
    long link;
    try (CountersignalServer server = TestServers.start(dataDir)) {
      admin = server.initialAdminKey().orElseThrow();
      Api api = new Api(server.port());
      long bank = api.post("/api/v1/banks", admin, "{\"name\":\"links\"}").json().get("id").asLong();
      link = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"url\":\"prefix:board.example/pnd\"}}")
          .json().get("id").asLong();
    }
    Path snapshot = dataDir.resolve("index-snapshot").resolve(Files.readString(dataDir.resolve("index-snapshot/CURRENT")).strip());
    Path urls = snapshot.resolve("url.snapshot");
    Files.writeString(urls, Files.readString(urls).replace("prefix:board.example/pnd", "prefix:board.example/pnx"));
    try (CountersignalServer server = TestServers.start(dataDir)) {
      assertThat(server.indexLoadReport().snapshotSeq()).isZero();
      assertThat(hits(new Api(server.port()), admin, "see board.example/pnd/res/1.html")).containsExactly("url:" + link);
    }
  }

  @Test
  void aDamagedTextSnapshotIsIgnoredAndTheSequenceReplayed() throws Exception {
    List<String> words = TextMatchTest.prose(32, 900);
    String post = TextMatchTest.text(words.subList(100, 700));
    String admin;
    long text;
    try (CountersignalServer server = TestServers.start(dataDir)) {
      admin = server.initialAdminKey().orElseThrow();
      Api api = new Api(server.port());
      long bank = api.post("/api/v1/banks", admin, "{\"name\":\"texts\"}").json().get("id").asLong();
      text = api.post("/api/v1/banks/" + bank + "/entries/text", admin, TextMatchTest.json(TextMatchTest.text(words)))
          .json().get("id").asLong();
    }
    Path snapshot = dataDir.resolve("index-snapshot").resolve(Files.readString(dataDir.resolve("index-snapshot/CURRENT")).strip());
    Path texts = snapshot.resolve("text.snapshot");
    byte[] bytes = Files.readAllBytes(texts);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(texts, bytes);
    try (CountersignalServer server = TestServers.start(dataDir)) {
      assertThat(server.indexLoadReport().snapshotSeq()).isZero();
      assertThat(hits(new Api(server.port()), admin, post)).containsExactly("text:" + text);
    }
  }
}
