package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.countersignal.server.incident.report.SpreadCharts;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An incident's figures and debrief through the API: uploads matched and stopped hour by hour
 * (the server's clock moved between them), peers' reports, variants, and the debrief kept at the
 * closing, read back as JSON, HTML and a PDF whose pages are rendered and looked at. The rendered
 * pages are left in {@code target/debrief-pages/} for a person to read.
 */
class IncidentDebriefTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Database database;
  static Api api;
  static String admin;
  static String coordinator;
  static String auditor;
  static String platform;
  static final TestClock CLOCK = new TestClock();
  static final Random RANDOM = new Random(31);
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Path PAGES = Path.of("target", "debrief-pages");

  @BeforeAll
  static void start() {
    // Rendering the PDF looks for fonts to stand in for Helvetica; its cache goes with the build.
    System.setProperty("pdfbox.fontcache", Path.of("target").toAbsolutePath().toString());
    server = TestServers.start(dataDir, CLOCK);
    database = TestServers.openDatabase(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    coordinator = TestServers.key(api, admin, "coordinator");
    auditor = TestServers.key(api, admin, "auditor");
    platform = TestServers.key(api, admin, "matcher");
  }

  @AfterAll
  static void stop() {
    database.close();
    server.close();
  }

  static String database() {
    return TestDatabases.postgresql() ? "postgresql" : "h2";
  }

  /** Moves the server's clock to five minutes past the next hour, so what a test does next falls in one hour. */
  static void toFivePastTheHour() {
    Instant now = CLOCK.instant();
    Instant target = now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofMinutes(65));
    CLOCK.advance(Duration.between(now, target));
  }

  static JsonNode declare(String name) {
    Api.Response declared = api.post("/api/v1/incidents", coordinator, "{\"name\":" + Api.JSON.valueToTree(name)
        + ",\"kind\":\"attack_livestreamed\",\"level\":\"content_incident_protocol\",\"region\":\"Test region\","
        + "\"description\":\"A livestreamed attack; copies are being re-uploaded.\\nSecond paragraph of the description.\"}");
    assertThat(declared.status()).as(declared.header()).isEqualTo(201);
    return declared.json();
  }

  static void bank(long bankId, String pdq) {
    Api.Response entry = api.post("/api/v1/banks/" + bankId + "/entries", coordinator, "{\"signals\":{\"pdq\":\"" + pdq + "\"}}");
    assertThat(entry.status()).as(entry.header()).isEqualTo(201);
  }

  /** Submits content with {@code pdq} as the platform, recorded; returns the stored submission. */
  static JsonNode upload(String pdq, String contentId) {
    Api.Response match = api.post("/api/v1/match", platform, "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"content\":{\"id\":\"" + contentId + "\"}}");
    assertThat(match.status()).as(match.header()).isEqualTo(200);
    return api.get("/api/v1/submissions?content_id=" + contentId, platform).json().get("items").get(0);
  }

  static void peerHour(long incident, String peer, Instant hour, long matches) {
    database.jdbi().useHandle(h -> h.createUpdate(
            "INSERT INTO incident_peer_hours (incident_id, peer, hour_start, matches) VALUES (:incident, :peer, :hour, :matches)")
        .bind("incident", incident).bind("peer", peer).bind("hour", java.time.OffsetDateTime.ofInstant(hour, java.time.ZoneOffset.UTC))
        .bind("matches", matches).execute());
  }

  static JsonNode patch(long incident, String body) {
    Api.Response changed = api.patch("/api/v1/incidents/" + incident, coordinator, body);
    assertThat(changed.status()).as(changed.header()).isEqualTo(200);
    return changed.json();
  }

  static JsonNode get(String path) {
    Api.Response response = api.get(path, auditor);
    assertThat(response.status()).as(response.header()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    return response.json();
  }

  record Bytes(int status, String contentType, String disposition, String policy, byte[] body) {}

  static Bytes bytes(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Authorization", "Bearer " + auditor).timeout(Duration.ofSeconds(60)).build();
    try {
      HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Bytes(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
          response.headers().firstValue("Content-Disposition").orElse(null),
          response.headers().firstValue("Content-Security-Policy").orElse(null), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static List<String> kinds(JsonNode timeline) {
    List<String> kinds = new ArrayList<>();
    timeline.forEach(event -> kinds.add(event.get("kind").asText()));
    return kinds;
  }

  @Test
  void theDebriefKeptAtTheClosingCountsWhatHappenedHourByHourAndItsPdfReadsWell() throws IOException {
    toFivePastTheHour();
    String name = "Livestream <attack> & re-uploads";
    JsonNode incident = declare(name);
    long id = incident.get("id").asLong();
    long bankId = incident.get("bank_id").asLong();
    Instant declared = Instant.parse(incident.get("declared_at").asText());
    Instant hour0 = declared.truncatedTo(ChronoUnit.HOURS);
    String video = MatchTest.randomPdq(RANDOM);
    String manifesto = MatchTest.randomPdq(RANDOM);
    bank(bankId, video);
    bank(bankId, manifesto);
    Api.Response rule = api.post("/api/v1/rules", admin, "{\"name\":\"stop uploads of incident " + id + "\",\"action\":\"remove\","
        + "\"conditions\":{\"incident\":\"" + id + "\",\"incident_statuses\":[\"active\"]}}");
    assertThat(rule.status()).as(rule.header()).isEqualTo(201);

    // Hour 0: three uploads, one an edited copy (4 bits off); the rule stops all three.
    JsonNode first = upload(video, "d1-a");
    upload(MatchTest.flip(video, 4, RANDOM), "d1-b");
    upload(manifesto, "d1-c");
    // A lookup that matches nothing is no figure of the incident.
    upload(MatchTest.randomPdq(RANDOM), "d1-unrelated");
    // Hour 1: two more, one a second variant.
    CLOCK.advance(Duration.ofHours(1));
    upload(MatchTest.flip(manifesto, 6, RANDOM), "d1-d");
    upload(video, "d1-e");
    // Hour 3: the incident is being monitored, so the rule no longer stops uploads: matched, not stopped.
    CLOCK.advance(Duration.ofHours(2));
    patch(id, "{\"status\":\"monitoring\"}");
    upload(video, "d1-f");
    long[] matchesByHour = {3, 2, 0, 1};
    long[] stoppedByHour = {3, 2, 0, 0};
    // What peers reported, as the federation records it; one peer's name is Arabic.
    String arabic = "\u0645\u0646\u0635\u0629";
    peerHour(id, "hub-eu", hour0, 4);
    peerHour(id, "hub-eu", hour0.plus(Duration.ofHours(1)), 7);
    peerHour(id, "platform-b", hour0.plus(Duration.ofHours(1)), 2);
    peerHour(id, "platform-b", hour0.plus(Duration.ofHours(3)), 1);
    peerHour(id, arabic, hour0.plus(Duration.ofHours(3)), 5);

    // Open: the debrief is a draft made from what is known now.
    JsonNode draft = get("/api/v1/incidents/" + id + "/debrief");
    assertThat(draft.get("draft").asBoolean()).isTrue();
    assertThat(draft.at("/figures/matches").asLong()).isEqualTo(6);

    // Two and a half days of quiet, then it is closed.
    CLOCK.advance(Duration.ofHours(60));
    JsonNode closed = patch(id, "{\"status\":\"closed\"}");
    Instant closedAt = Instant.parse(closed.get("closed_at").asText());
    // Its entries go on matching after the closing; the debrief kept then does not count this.
    CLOCK.advance(Duration.ofMinutes(10));
    upload(video, "d1-after");

    JsonNode figures = get("/api/v1/incidents/" + id + "/figures");
    long hours = Duration.between(hour0, closedAt.truncatedTo(ChronoUnit.HOURS)).toHours() + 1;
    assertThat(figures.get("bucket").asText()).isEqualTo("hour");
    assertThat(figures.get("from").asText()).isEqualTo(hour0.toString());
    assertThat(figures.get("to").asText()).isEqualTo(closedAt.toString());
    assertThat(figures.get("buckets")).hasSize((int) hours);
    for (int h = 0; h < matchesByHour.length; h++) {
      JsonNode bucket = figures.get("buckets").get(h);
      assertThat(bucket.get("start").asText()).isEqualTo(hour0.plus(Duration.ofHours(h)).toString());
      assertThat(bucket.get("matches").asLong()).as("hour %d", h).isEqualTo(matchesByHour[h]);
      assertThat(bucket.get("uploads_stopped").asLong()).as("hour %d", h).isEqualTo(stoppedByHour[h]);
    }
    assertThat(figures.at("/buckets/1/peer_matches/hub-eu").asLong()).isEqualTo(7);
    assertThat(figures.at("/buckets/1/peer_matches/platform-b").asLong()).isEqualTo(2);
    assertThat(figures.get("matches").asLong()).isEqualTo(6);
    assertThat(figures.get("uploads_stopped").asLong()).isEqualTo(5);
    assertThat(figures.get("peer_matches").asLong()).isEqualTo(4 + 7 + 2 + 1 + 5);
    assertThat(figures.get("peers")).extracting(p -> p.get("peer").asText() + "=" + p.get("matches").asLong())
        .containsExactly("hub-eu=11", arabic + "=5", "platform-b=3");
    assertThat(figures.at("/peers/0/busiest").asText()).isEqualTo(hour0.plus(Duration.ofHours(1)).toString());
    assertThat(figures.get("first_match_at").asText()).isEqualTo(first.get("submitted_at").asText());
    assertThat(figures.get("first_block_at").asText()).isEqualTo(first.get("removed_at").asText());
    assertThat(figures.get("seconds_to_first_block").asLong())
        .isEqualTo(Duration.between(declared, Instant.parse(first.get("removed_at").asText())).getSeconds());
    assertThat(figures.get("entries").asLong()).isEqualTo(2);
    assertThat(figures.at("/entries_by_signal_type/pdq").asLong()).isEqualTo(2);
    assertThat(figures.get("variants").asLong()).isEqualTo(2);

    JsonNode debrief = get("/api/v1/incidents/" + id + "/debrief");
    assertThat(debrief.get("draft").asBoolean()).isFalse();
    assertThat(debrief.at("/incident/status").asText()).isEqualTo("closed");
    assertThat(debrief.at("/incident/name").asText()).isEqualTo(name);
    assertThat(debrief.get("figures")).isEqualTo(figures);
    assertThat(kinds(debrief.get("timeline"))).containsSubsequence("declared", "entry_added", "entry_added", "first_match", "first_block",
        "variant_found", "variant_found", "status_changed", "closed");
    assertThat(debrief.get("shared")).extracting(e -> e.get("signal_type").asText() + ":" + e.get("signal").asText())
        .containsExactly("pdq:" + video, "pdq:" + manifesto);
    assertThat(debrief.at("/shared/0/origin").isNull()).as("added here").isTrue();
    assertThat(debrief.get("variants")).extracting(v -> v.get("distance").asInt()).containsExactly(4, 6);
    assertThat(debrief.at("/variants/0/first_seen").asText()).startsWith(hour0.toString().substring(0, 13));

    // The HTML page: self-contained, the charts inside it, every user's text escaped.
    Bytes html = bytes("/api/v1/incidents/" + id + "/debrief.html");
    assertThat(html.status()).isEqualTo(200);
    assertThat(html.contentType()).startsWith("text/html");
    assertThat(html.policy()).isEqualTo("default-src 'none'; img-src data:; style-src 'unsafe-inline'");
    String page = new String(html.body(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(page).contains("Livestream &lt;attack&gt; &amp; re-uploads").doesNotContain("<attack>");
    assertThat(page.split("src=\"data:image/png;base64,", -1)).hasSize(3);
    assertThat(page).contains(arabic).doesNotContain("http://", "https://");
    Files.createDirectories(PAGES);
    Files.write(PAGES.resolve("debrief-" + database() + ".html"), html.body());

    // The charts as the console shows them.
    for (String chart : List.of("matches", "peers")) {
      Bytes png = bytes("/api/v1/incidents/" + id + "/charts/" + chart + ".png");
      assertThat(png.status()).isEqualTo(200);
      assertThat(png.contentType()).isEqualTo("image/png");
      BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(png.body()));
      assertThat(image.getWidth()).isEqualTo(SpreadCharts.WIDTH);
      Files.write(PAGES.resolve("chart-" + chart + "-" + database() + ".png"), png.body());
    }

    Bytes pdf = bytes("/api/v1/incidents/" + id + "/debrief.pdf");
    assertThat(pdf.status()).isEqualTo(200);
    assertThat(pdf.contentType()).isEqualTo("application/pdf");
    assertThat(pdf.disposition()).isEqualTo("attachment; filename=\"incident-" + id + "-debrief.pdf\"");
    try (PDDocument document = Loader.loadPDF(pdf.body())) {
      List<String> texts = pages(document, "closed");
      // The title page, the charts' page, and the 64 hours' table over the pages after.
      assertThat(hours).isGreaterThan(60);
      assertThat(document.getNumberOfPages()).isBetween(4, 6);
      String all = String.join("\n", texts);
      assertThat(texts.get(0)).contains("INCIDENT DEBRIEF", "Incident " + id + ": " + name, "attack livestreamed",
          "content incident protocol", "Matches here 6", "Uploads stopped 5", "Matches peers reported 19 from 3 peers", "Variants found 2",
          "Entries in the bank 2 (pdq 2)", "Second paragraph of the description.")
          .doesNotContain("DRAFT");
      assertThat(texts.get(1)).contains("How it spread", "By peer", "hub-eu", "platform-b");
      // The standard PDF fonts have no Arabic: the name is printed as question marks, and nothing failed.
      assertThat(texts.get(1)).contains("???? 5");
      // The hours' table runs over more than one page, its header on each.
      assertThat(texts.stream().filter(t -> t.contains("Hour starting (UTC)")).count()).isGreaterThanOrEqualTo(2);
      assertThat(all).contains("Total 6 5 19");
      assertThat(all).contains("Timeline", "Declared", "Entry added", "First match", "First block", "Variant found", "Status changed", "Closed");
      assertThat(all).contains("What was shared", "2 signals were added to the incident's bank", "Variants found");
      assertThat(all.replace("\n", "")).contains(video);
      assertThat(texts.getLast()).contains("page " + texts.size() + " of " + texts.size());

      // The charts are on the second page, in their colours, and only there.
      PDFRenderer renderer = new PDFRenderer(document);
      BufferedImage titlePage = renderer.renderImageWithDPI(0, 100, ImageType.RGB);
      BufferedImage chartPage = renderer.renderImageWithDPI(1, 100, ImageType.RGB);
      assertThat(pixels(chartPage, SpreadCharts.MATCHES)).isGreaterThan(100);
      assertThat(pixels(chartPage, SpreadCharts.STOPPED)).isGreaterThan(100);
      assertThat(pixels(chartPage, SpreadCharts.PEER_COLOURS.get(2))).as("the third peer's line").isGreaterThan(20);
      assertThat(pixels(titlePage, SpreadCharts.MATCHES) + pixels(titlePage, SpreadCharts.STOPPED)).isZero();
      for (int p = 0; p < document.getNumberOfPages(); p++) {
        BufferedImage image = p == 0 ? titlePage : p == 1 ? chartPage : renderer.renderImageWithDPI(p, 100, ImageType.RGB);
        assertThat(image.getWidth()).isBetween(820, 830);
        ImageIO.write(image, "png", PAGES.resolve("closed-" + database() + "-page-" + (p + 1) + ".png").toFile());
      }
    }

    // Reopened, it is a draft again with what came since; closed again, a new debrief is kept.
    patch(id, "{\"status\":\"active\"}");
    JsonNode reopened = get("/api/v1/incidents/" + id + "/debrief");
    assertThat(reopened.get("draft").asBoolean()).isTrue();
    assertThat(reopened.at("/figures/matches").asLong()).isEqualTo(7);
    patch(id, "{\"status\":\"closed\"}");
    JsonNode again = get("/api/v1/incidents/" + id + "/debrief");
    assertThat(again.get("draft").asBoolean()).isFalse();
    assertThat(again.at("/figures/matches").asLong()).isEqualTo(7);
    assertThat(kinds(again.get("timeline")).stream().filter("closed"::equals).count()).isEqualTo(2);
    long kept = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM incident_debriefs WHERE incident_id = :id")
        .bind("id", id).mapTo(Long.class).one());
    assertThat(kept).isEqualTo(2);
  }

  @Test
  void anIncidentWithoutMatchesHasAnEmptyButWholeDebrief() throws IOException {
    JsonNode incident = declare("Quiet incident");
    long id = incident.get("id").asLong();
    JsonNode draft = get("/api/v1/incidents/" + id + "/figures");
    assertThat(draft.get("matches").asLong()).isZero();
    assertThat(draft.get("seconds_to_first_block").isNull()).isTrue();
    assertThat(draft.get("buckets").size()).isBetween(1, 2);
    // Before the closing, the PDF says on its first page and every footer that it is a draft.
    try (PDDocument document = Loader.loadPDF(bytes("/api/v1/incidents/" + id + "/debrief.pdf").body())) {
      List<String> texts = pages(document, "draft");
      assertThat(texts.get(0)).contains("INCIDENT DEBRIEF  \u00b7  DRAFT", "DRAFT: the incident is active");
      assertThat(texts).allSatisfy(text -> assertThat(text).contains("debrief (DRAFT)"));
    }
    patch(id, "{\"status\":\"closed\"}");

    JsonNode debrief = get("/api/v1/incidents/" + id + "/debrief");
    assertThat(debrief.get("draft").asBoolean()).isFalse();
    assertThat(debrief.get("variants")).isEmpty();
    assertThat(debrief.get("shared")).isEmpty();
    assertThat(debrief.at("/figures/peers")).isEmpty();
    assertThat(debrief.at("/figures/first_match_at").isNull()).isTrue();
    assertThat(kinds(debrief.get("timeline"))).containsExactly("declared", "closed");

    Bytes pdf = bytes("/api/v1/incidents/" + id + "/debrief.pdf");
    assertThat(pdf.status()).isEqualTo(200);
    try (PDDocument document = Loader.loadPDF(pdf.body())) {
      List<String> texts = pages(document, "quiet");
      // The facts; the charts with the (short) tables after them; the end of the timeline and the variants.
      assertThat(document.getNumberOfPages()).isEqualTo(3);
      String all = String.join("\n", texts);
      assertThat(all).contains("Quiet incident", "Matches here 0", "no upload was stopped", "No peer reported matches.",
          "No variants", "No signals were added");
    }
    assertThat(bytes("/api/v1/incidents/" + id + "/charts/peers.png").status()).isEqualTo(200);
  }

  @Test
  void anUnknownOrMalformedIncidentIsAProblem() {
    for (String suffix : List.of("figures", "debrief", "debrief.html", "debrief.pdf", "charts/matches.png", "charts/peers.png")) {
      Api.Response missing = api.get("/api/v1/incidents/999999/" + suffix, auditor);
      assertThat(missing.status()).as(suffix).isEqualTo(404);
      assertThat(missing.contentType()).startsWith("application/problem+json");
      assertThat(missing.json().get("detail").asText()).contains("incident 999999");
      // Not a number: malformed, as every id of the API.
      Api.Response malformed = api.get("/api/v1/incidents/abc/" + suffix, auditor);
      assertThat(malformed.status()).as(suffix).isEqualTo(400);
      assertThat(malformed.contentType()).startsWith("application/problem+json");
    }
  }

  /** Each page's text; the pages are written as PNG files too, for a person to look at. */
  static List<String> pages(PDDocument document, String name) throws IOException {
    List<String> texts = new ArrayList<>();
    PDFTextStripper stripper = new PDFTextStripper();
    for (int p = 1; p <= document.getNumberOfPages(); p++) {
      stripper.setStartPage(p);
      stripper.setEndPage(p);
      texts.add(stripper.getText(document));
    }
    if (!"closed".equals(name)) {
      Files.createDirectories(PAGES);
      PDFRenderer renderer = new PDFRenderer(document);
      for (int p = 0; p < document.getNumberOfPages(); p++) {
        ImageIO.write(renderer.renderImageWithDPI(p, 100, ImageType.RGB), "png", PAGES.resolve(name + "-" + database() + "-page-" + (p + 1) + ".png").toFile());
      }
    }
    return texts;
  }

  /** Pixels of {@code image} within a small distance of {@code colour}. */
  static int pixels(BufferedImage image, Color colour) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int distance = Math.abs(((rgb >> 16) & 0xff) - colour.getRed()) + Math.abs(((rgb >> 8) & 0xff) - colour.getGreen())
            + Math.abs((rgb & 0xff) - colour.getBlue());
        if (distance <= 24) {
          count++;
        }
      }
    }
    return count;
  }
}
