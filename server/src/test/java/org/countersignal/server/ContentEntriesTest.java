package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.countersignal.server.fetch.FetchPolicy;
import org.countersignal.server.fetch.AllowedNetwork;
import org.countersignal.server.jobs.JobSettings;
import org.countersignal.signals.testing.ConformanceData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Banking content itself: an uploaded image, or the image at a URL, becomes an entry with its signals (videos: VideoBankTest). */
class ContentEntriesTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String curator;
  static byte[] photo;
  static byte[] otherPhoto;
  static HttpServer content;
  static String contentBase;

  @BeforeAll
  static void start() throws IOException, InterruptedException {
    Path images = ConformanceData.directory("pdq").resolve("images");
    photo = Files.readAllBytes(images.resolve("aaa-orig.jpg"));
    otherPhoto = Files.readAllBytes(images.resolve("blur-a-lot.jpg"));
    content = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    content.createContext("/photo.jpg", exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
      exchange.sendResponseHeaders(200, otherPhoto.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(otherPhoto);
      }
    });
    content.start();
    contentBase = "http://127.0.0.1:" + content.getAddress().getPort();
    FetchPolicy fetch = FetchPolicy.DEFAULT.withAllowedNetworks(
        List.of(AllowedNetwork.parse("127.0.0.1/32:" + content.getAddress().getPort())));
    server = CountersignalServer.builder(TestServers.config(dataDir)).fetchPolicy(fetch).jobSettings(JobSettings.DEFAULT).start();
    assertThat(server.awaitReady(Duration.ofSeconds(20))).isTrue();
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    curator = TestServers.key(api, admin, "curator");
  }

  @AfterAll
  static void stop() {
    content.stop(0);
    server.close();
  }

  static long bank(String name) {
    return api.post("/api/v1/banks", admin, "{\"name\":\"" + name + "\"}").json().get("id").asLong();
  }

  @Test
  void anUploadedImageIsBankedWithItsSignalsAndThenMatches() throws Exception {
    long bank = bank("uploads");
    Api.Response created = api.send("POST", "/api/v1/banks/" + bank
        + "/entries/upload?labels=attacker_manifesto&entities=group%20x&note=from%20a%20report&provenance=report%2017",
        curator, "image/jpeg", photo);
    assertThat(created.status()).as(created.header()).isEqualTo(201);
    JsonNode entry = created.json();
    assertThat(entry.at("/signals/pdq").asText()).hasSize(64);
    assertThat(entry.at("/signals/md5").asText()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(photo)));
    assertThat(entry.at("/signals/sha256").asText()).hasSize(64);
    assertThat(entry.get("labels").toString()).contains("attacker_manifesto");
    assertThat(entry.get("entities").toString()).contains("group x");
    assertThat(entry.get("note").asText()).isEqualTo("from a report");
    assertThat(entry.get("provenance").asText()).isEqualTo("report 17");

    Api.Response match = api.send("POST", "/api/v1/match/upload?banks=" + bank, admin, "image/jpeg", photo);
    assertThat(match.json().get("matches").findValuesAsText("entry_id")).containsOnly(entry.get("id").asText());
    assertThat(match.json().get("matches").findValuesAsText("signal_type")).containsExactlyInAnyOrder("pdq", "md5", "sha256");

    JsonNode audit = api.get("/api/v1/audit?after=0&limit=1000", admin).json().get("items");
    assertThat(audit.findValuesAsText("action")).contains("entry.created");
  }

  @Test
  void theImageAtAUrlIsBankedWithTheUrlAsItsProvenance() {
    long bank = bank("from urls");
    Api.Response created = api.post("/api/v1/banks/" + bank + "/entries/url", curator,
        "{\"url\":\"" + contentBase + "/photo.jpg\",\"labels\":[\"recruitment_and_instruction\"]}");
    assertThat(created.status()).as(created.header()).isEqualTo(201);
    assertThat(created.json().get("provenance").asText()).isEqualTo(contentBase + "/photo.jpg");
    Api.Response match = api.post("/api/v1/match/url", admin, "{\"url\":\"" + contentBase + "/photo.jpg\",\"banks\":[" + bank + "]}");
    assertThat(match.status()).isEqualTo(200);
    assertThat(match.json().get("matches").findValuesAsText("entry_id")).containsOnly(created.json().get("id").asText());
  }

  @Test
  void contentThatCannotBeBankedIsRefused() throws IOException {
    long bank = bank("refusals");
    Api.Response text = api.send("POST", "/api/v1/banks/" + bank + "/entries/upload", curator, "image/jpeg", "not an image".getBytes());
    assertThat(text.status()).isEqualTo(415);
    Api.Response badLabel = api.send("POST", "/api/v1/banks/" + bank + "/entries/upload?labels=not_a_label", curator, "image/jpeg", photo);
    assertThat(badLabel.status()).isEqualTo(422);
    Api.Response noBank = api.send("POST", "/api/v1/banks/999999/entries/upload", curator, "image/jpeg", photo);
    assertThat(noBank.status()).isEqualTo(404);
    Api.Response refused = api.post("/api/v1/banks/" + bank + "/entries/url", curator, "{\"url\":\"http://10.0.0.1/x.jpg\"}");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(api.get("/api/v1/banks/" + bank + "/entries", admin).json().get("items")).isEmpty();
  }
}
