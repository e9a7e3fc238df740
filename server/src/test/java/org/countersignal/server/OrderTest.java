package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.countersignal.server.order.Orders;
import org.countersignal.server.retention.Retention;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCO Regulation removal orders over HTTP: taken in only from an active authority on the list,
 * with the document kept as sent; the one-hour clock and its alerts at 30, 10 and 0 minutes left
 * as webhook events, moved by the server's clock; removal recorded against the clock and linked
 * to the content's submission, with a six-month hold the retention purge respects; orders not
 * complied with, with their reasons and replies; the provider's notice; exposure from final
 * orders in twelve months; every change audited. Time only moves forward here, so each test
 * makes its own orders.
 */
class OrderTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Database database;
  static Api api;
  static String admin;
  static String coordinator;
  static String auditor;
  static String curator;
  static long authority;
  static final TestClock CLOCK = new TestClock();
  static final AtomicInteger REFERENCES = new AtomicInteger();

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir, CLOCK);
    database = TestServers.openDatabase(dataDir);
    // The sweeps the server runs on its schedule, run here when the test says, on the server's clock.
    Clock.use(database.jdbi(), CLOCK);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    coordinator = TestServers.key(api, admin, "coordinator");
    auditor = TestServers.key(api, admin, "auditor");
    curator = TestServers.key(api, admin, "curator");
    authority = addAuthority("Pôle national de lutte contre la haine en ligne", "fr");
  }

  @AfterAll
  static void stop() {
    database.close();
    server.close();
  }

  static long addAuthority(String name, String memberState) {
    return TestServers.authority(api, admin,
        "{\"name\":\"" + name + "\",\"member_state\":\"" + memberState + "\",\"contact\":\"tco@example.gouv.fr\"}");
  }

  static String reference() {
    return "TCO-2026-" + REFERENCES.incrementAndGet();
  }

  static JsonNode receive(String contentId, String extra) {
    Api.Response received = api.post("/api/v1/orders", coordinator, "{\"authority_id\":" + authority + ",\"reference\":\"" + reference()
        + "\",\"content_url\":\"https://video.example/watch/" + contentId + "\",\"content_id\":\"" + contentId
        + "\",\"reasons\":\"Glorifies the attack of 15 March; Art. 2(7)(a).\"" + extra + "}");
    assertThat(received.status()).as(received.body()).isEqualTo(201);
    return received.json();
  }

  static JsonNode get(long id) {
    Api.Response order = api.get("/api/v1/orders/" + id, auditor);
    assertThat(order.status()).as(order.body()).isEqualTo(200);
    return order.json();
  }

  /**
   * Sends the alerts due now, as the server's schedule does every few seconds (which may send
   * them first: tests look at the events, not at who sent them).
   */
  static void sweep() {
    new Orders(database.jdbi()).sendDueAlerts();
  }

  /** The payloads of events of {@code type} about order {@code id}, oldest first. */
  static List<JsonNode> events(String type, long id) {
    return database.jdbi().withHandle(h -> h.createQuery("SELECT payload FROM webhook_events WHERE event_type = :type ORDER BY created_at, id")
            .bind("type", type).mapTo(String.class).list())
        .stream().map(OrderTest::tree).filter(e -> e.path("order_id").asLong() == id).toList();
  }

  static List<String> auditActions(long id) {
    return database.jdbi().withHandle(h -> h.createQuery(
            "SELECT action FROM audit_log WHERE target_type = 'removal_order' AND target_id = :id ORDER BY id")
        .bind("id", Long.toString(id)).mapTo(String.class).list());
  }

  static JsonNode tree(String json) {
    try {
      return Api.JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void ordersAreTakenInOnlyFromAnActiveAuthorityOnTheList() {
    Api.Response unknown = api.post("/api/v1/orders", coordinator,
        "{\"authority_id\":999999,\"reference\":\"X-1\",\"content_id\":\"c\",\"reasons\":\"r\"}");
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.json().get("detail").asText()).contains("not an active competent authority");

    long retired = addAuthority("Retired authority", "DE");
    Api.Response off = api.patch("/api/v1/order-authorities/" + retired, admin, "{\"active\":false}");
    assertThat(off.status()).isEqualTo(200);
    assertThat(off.json().get("active").asBoolean()).isFalse();
    Api.Response refused = api.post("/api/v1/orders", coordinator,
        "{\"authority_id\":" + retired + ",\"reference\":\"X-2\",\"content_id\":\"c\",\"reasons\":\"r\"}");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().get("field").asText()).isEqualTo("authority_id");

    assertThat(api.post("/api/v1/order-authorities", admin, "{\"name\":\"Retired authority\",\"member_state\":\"DE\"}").status())
        .as("names are unique").isEqualTo(409);
    assertThat(api.post("/api/v1/order-authorities", admin, "{\"name\":\"Somewhere\",\"member_state\":\"Germany\"}").status())
        .isEqualTo(422);
    assertThat(api.post("/api/v1/order-authorities", coordinator, "{\"name\":\"Mine\",\"member_state\":\"DE\"}").status())
        .as("the list is the admins'").isEqualTo(403);
    JsonNode list = api.get("/api/v1/order-authorities", coordinator).json().get("items");
    assertThat(list.findValuesAsText("name")).contains("Retired authority", "Pôle national de lutte contre la haine en ligne");
    assertThat(api.get("/api/v1/order-authorities/" + authority, auditor).json().get("member_state").asText()).isEqualTo("FR");
  }

  @Test
  void intakeRefusesWhatAnOrderCannotBe() {
    String base = "{\"authority_id\":" + authority + ",\"reasons\":\"r\"";
    assertThat(api.post("/api/v1/orders", coordinator, base + ",\"reference\":\"N-1\"}").json().get("field").asText())
        .as("no content named").isEqualTo("content_url");
    assertThat(api.post("/api/v1/orders", coordinator, base + ",\"reference\":\"N-2\",\"content_url\":\"javascript:alert(1)\"}").status())
        .isEqualTo(422);
    assertThat(api.post("/api/v1/orders", coordinator, base + ",\"content_id\":\"c\"}").json().get("field").asText()).isEqualTo("reference");
    assertThat(api.post("/api/v1/orders", coordinator, base + ",\"reference\":\"N-3\",\"content_id\":\"c\",\"received_at\":\""
        + CLOCK.now().plusHours(2) + "\"}").json().get("field").asText()).isEqualTo("received_at");
    assertThat(api.post("/api/v1/orders", coordinator, base + ",\"reference\":\"N-4\",\"content_id\":\"c\",\"colour\":\"red\"}").status())
        .isEqualTo(400);
    assertThat(api.post("/api/v1/orders", curator, base + ",\"reference\":\"N-5\",\"content_id\":\"c\"}").status()).isEqualTo(403);

    JsonNode first = receive("dup", "");
    Api.Response again = api.post("/api/v1/orders", coordinator, base + ",\"reference\":\"" + first.get("reference").asText()
        + "\",\"content_id\":\"dup\"}");
    assertThat(again.status()).as("the same order twice").isEqualTo(409);
  }

  @Test
  void theOrderDocumentIsKeptAsSentOnce() throws Exception {
    long id = receive("with-document", "").get("id").asLong();
    assertThat(get(id).get("document").isNull()).isTrue();
    byte[] pdf = ("%PDF-1.7\n" + "order body ".repeat(5000) + "\u00e9\n%%EOF").getBytes(java.nio.charset.StandardCharsets.UTF_8);

    Api.Response attached = api.send("PUT", "/api/v1/orders/" + id + "/document?file_name=order.pdf", coordinator, "application/pdf", pdf);
    assertThat(attached.status()).as(attached.body()).isEqualTo(200);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pdf));
    JsonNode document = attached.json().get("document");
    assertThat(document.get("sha256").asText()).isEqualTo(sha);
    assertThat(document.get("size_bytes").asLong()).isEqualTo(pdf.length);
    assertThat(document.get("media_type").asText()).isEqualTo("application/pdf");

    HttpResponse<byte[]> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/api/v1/orders/" + id + "/document"))
        .header("Authorization", "Bearer " + auditor).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(pdf);
    assertThat(download.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/pdf");
    assertThat(download.headers().firstValue("Content-Disposition").orElseThrow()).contains("order.pdf");

    Api.Response replaced = api.send("PUT", "/api/v1/orders/" + id + "/document", coordinator, "application/pdf", "%PDF-other".getBytes());
    assertThat(replaced.status()).as("the document is not replaced").isEqualTo(409);
    Api.Response empty = api.send("PUT", "/api/v1/orders/" + receive("empty-doc", "").get("id").asLong() + "/document", coordinator,
        "application/pdf", new byte[0]);
    assertThat(empty.status()).isEqualTo(422);
    assertThat(auditActions(id)).containsExactly("order.received", "order.document_attached");
  }

  @Test
  void theHourRunsDownWithAlertsAtThirtyTenAndZeroMinutesAndTheOverdueViewShowsIt() {
    sweep(); // what earlier tests left
    JsonNode order = receive("clock", "");
    long id = order.get("id").asLong();
    OffsetDateTime received = OffsetDateTime.parse(order.get("received_at").asText());
    assertThat(OffsetDateTime.parse(order.get("due_at").asText())).isEqualTo(received.plusHours(1));
    assertThat(order.get("seconds_left").asLong()).isBetween(3500L, 3600L);
    assertThat(order.get("state").asText()).isEqualTo("received");
    assertThat(events("order.received", id)).hasSize(1);

    sweep();
    assertThat(events("order.deadline_approaching", id)).as("an hour left: nothing to say").isEmpty();
    CLOCK.advance(Duration.ofMinutes(31));
    sweep();
    sweep();
    List<JsonNode> approaching = events("order.deadline_approaching", id);
    assertThat(approaching).as("each alert once").hasSize(1);
    assertThat(approaching.get(0).get("minutes_left").asInt()).isEqualTo(30);
    assertThat(approaching.get(0).get("reference").asText()).isEqualTo(order.get("reference").asText());

    CLOCK.advance(Duration.ofMinutes(20));
    sweep();
    assertThat(events("order.deadline_approaching", id)).extracting(e -> e.get("minutes_left").asInt()).containsExactly(30, 10);
    assertThat(api.get("/api/v1/orders?overdue=true", coordinator).json().get("items").findValuesAsText("reference"))
        .doesNotContain(order.get("reference").asText());

    CLOCK.advance(Duration.ofMinutes(10));
    sweep();
    assertThat(events("order.overdue", id)).hasSize(1);
    CLOCK.advance(Duration.ofMinutes(10));
    sweep();
    assertThat(events("order.overdue", id)).as("overdue is said once").hasSize(1);
    JsonNode late = get(id);
    assertThat(late.get("overdue").asBoolean()).isTrue();
    assertThat(late.get("seconds_left").asLong()).isNegative();
    JsonNode overdue = api.get("/api/v1/orders?overdue=true", auditor).json().get("items");
    assertThat(overdue.findValuesAsText("reference")).contains(order.get("reference").asText());
    assertThat(auditActions(id)).containsExactly("order.received", "order.deadline_approaching", "order.deadline_approaching",
        "order.overdue");

    // Acted on late: the record says so, and no alert follows.
    JsonNode acted = api.post("/api/v1/orders/" + id + "/removal", coordinator, "{\"action\":\"disabled\"}").json();
    assertThat(acted.get("state").asText()).isEqualTo("acted");
    assertThat(acted.get("acted_in_time").asBoolean()).isFalse();
    assertThat(acted.get("overdue").asBoolean()).isFalse();
    assertThat(acted.get("seconds_left").isNull()).isTrue();
    assertThat(api.get("/api/v1/orders?overdue=true", auditor).json().get("items").findValuesAsText("reference"))
        .doesNotContain(order.get("reference").asText());
  }

  @Test
  void anAlertMissedWhileDownIsNotSentBesideAMoreUrgentOne() {
    sweep();
    // Received 55 minutes ago (by e-mail, entered late): only the ten-minute alert is due.
    long id = receive("entered-late", ",\"received_at\":\"" + CLOCK.now().minusMinutes(55) + "\"").get("id").asLong();
    sweep();
    assertThat(events("order.deadline_approaching", id)).extracting(e -> e.get("minutes_left").asInt()).containsExactly(10);
  }

  @Test
  void theServerSendsDueAlertsOnItsOwnSchedule() throws InterruptedException {
    // Entered after its hour had passed; nothing here sweeps: the server's housekeeping must.
    long id = receive("scheduled", ",\"received_at\":\"" + CLOCK.now().minusMinutes(61) + "\"").get("id").asLong();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    // Waits for the background work to run (every 15 s of real time); the clock is not moved by waiting.
    while (events("order.overdue", id).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(events("order.overdue", id)).hasSize(1);
    assertThat(events("order.deadline_approaching", id)).as("only the most urgent alert").isEmpty();
  }

  @Test
  void removalIsRecordedAgainstTheClockAndItsContentIsHeldPastItsRetention() {
    OffsetDateTime now = CLOCK.now();
    // Content the platform submitted earlier, whose normal retention would end tomorrow.
    long submission = database.jdbi().inTransaction(h ->
        AccountRows.submission(h, "held-post", "acct-1", null, "matched", now.minusDays(1), now.plusDays(1)));
    long unrelated = database.jdbi().inTransaction(h ->
        AccountRows.submission(h, "other-post", "acct-2", null, "matched", now.minusDays(1), now.plusDays(1)));
    JsonNode order = receive("held-post", "");
    long id = order.get("id").asLong();
    CLOCK.advance(Duration.ofMinutes(20));

    Api.Response wrong = api.post("/api/v1/orders/" + id + "/removal", coordinator, "{\"action\":\"removed\",\"submission_id\":" + unrelated + "}");
    assertThat(wrong.status()).as("a submission of other content").isEqualTo(422);
    assertThat(api.post("/api/v1/orders/" + id + "/removal", coordinator, "{\"action\":\"deleted\"}").status()).isEqualTo(422);

    Api.Response removed = api.post("/api/v1/orders/" + id + "/removal", coordinator, "{\"action\":\"removed\",\"note\":\"taken down in all regions\"}");
    assertThat(removed.status()).as(removed.body()).isEqualTo(200);
    JsonNode acted = removed.json();
    assertThat(acted.get("state").asText()).isEqualTo("acted");
    assertThat(acted.get("action").asText()).isEqualTo("removed");
    assertThat(acted.get("acted_in_time").asBoolean()).isTrue();
    assertThat(acted.get("submission_id").asLong()).as("linked by the content id").isEqualTo(submission);
    JsonNode hold = acted.get("holds").get(0);
    assertThat(OffsetDateTime.parse(hold.get("held_until").asText()))
        .isEqualTo(OffsetDateTime.parse(acted.get("acted_at").asText()).plusMonths(6));
    assertThat(hold.get("content_id").asText()).isEqualTo("held-post");
    assertThat(api.post("/api/v1/orders/" + id + "/removal", coordinator, "{\"action\":\"removed\"}").status())
        .as("acted on once").isEqualTo(409);

    JsonNode actedEvent = events("order.acted", id).get(0);
    assertThat(actedEvent.get("acted_in_time").asBoolean()).isTrue();
    JsonNode notice = events("order.provider_notice", id).get(0);
    assertThat(notice.get("content_id").asText()).isEqualTo("held-post");
    assertThat(notice.get("reasons").asText()).contains("15 March");
    assertThat(notice.get("complaint").asText()).contains("Art. 10");
    assertThat(notice.get("authority").asText()).isEqualTo("Pôle national de lutte contre la haine en ligne");

    // Past its retention, the held content stays; the unrelated content goes.
    CLOCK.advance(Duration.ofDays(30));
    try (Retention retention = new Retention(database.dataSource(), database.jdbi(), Duration.ofDays(183))) {
      retention.purgeNow();
      assertThat(RetentionTest.stored(database, submission).purgedAt()).as("held by the order").isNull();
      assertThat(RetentionTest.stored(database, submission).media()).containsExactly(1, 2, 3, 4);
      assertThat(RetentionTest.stored(database, unrelated).purgedAt()).isNotNull();

      // The authority asks for longer (Art. 6(2)); past six months the extension still holds it.
      String until = CLOCK.now().plusMonths(9).toString();
      Api.Response extended = api.post("/api/v1/orders/" + id + "/holds", coordinator, "{\"until\":\"" + until
          + "\",\"reason\":\"Court of Paris, review proceedings RG 26/123\"}");
      assertThat(extended.status()).as(extended.body()).isEqualTo(201);
      assertThat(extended.json().get("holds")).hasSize(2);
      assertThat(api.post("/api/v1/orders/" + id + "/holds", coordinator, "{\"until\":\"" + CLOCK.now().minusDays(1)
          + "\",\"reason\":\"x\"}").status()).isEqualTo(422);

      CLOCK.advance(Duration.ofDays(200));
      retention.purgeNow();
      assertThat(RetentionTest.stored(database, submission).purgedAt()).as("the extension holds it").isNull();
      assertThat(get(id).get("holds").get(0).get("active").asBoolean()).isFalse();

      CLOCK.advance(Duration.ofDays(120));
      retention.purgeNow();
      assertThat(RetentionTest.stored(database, submission).purgedAt()).as("every hold has ended").isNotNull();
    }
    assertThat(auditActions(id)).containsExactly("order.received", "order.acted", "order.hold_extended");
  }

  @Test
  void anOrderNotCompliedWithKeepsItsReasonAndReplyAndMayBeActedOnLater() {
    long id = receive("broken-order", "").get("id").asLong();
    assertThat(api.post("/api/v1/orders/" + id + "/not-complied", coordinator, "{\"reason\":\"too_busy\",\"reply\":\"x\"}").status())
        .isEqualTo(422);
    assertThat(api.post("/api/v1/orders/" + id + "/not-complied", coordinator, "{\"reason\":\"manifest_errors\",\"reply\":\" \"}")
        .json().get("field").asText()).isEqualTo("reply");

    Api.Response refused = api.post("/api/v1/orders/" + id + "/not-complied", coordinator,
        "{\"reason\":\"manifest_errors\",\"reply\":\"The URL in section B names no content on our service; please clarify.\"}");
    assertThat(refused.status()).as(refused.body()).isEqualTo(200);
    assertThat(refused.json().get("state").asText()).isEqualTo("not_complied");
    assertThat(refused.json().get("not_complied_reason").asText()).isEqualTo("manifest_errors");
    assertThat(refused.json().get("reply").asText()).contains("please clarify");
    JsonNode event = events("order.not_complied", id).get(0);
    assertThat(event.get("article").asText()).isEqualTo("3(8)");
    assertThat(event.get("reply").asText()).contains("please clarify");

    CLOCK.advance(Duration.ofHours(2));
    sweep();
    assertThat(events("order.overdue", id)).as("the clock stopped").isEmpty();
    assertThat(api.post("/api/v1/orders/" + id + "/not-complied", coordinator,
        "{\"reason\":\"force_majeure\",\"reply\":\"x\"}").status()).isEqualTo(409);

    // Clarified by the authority: now removed.
    JsonNode acted = api.post("/api/v1/orders/" + id + "/removal", coordinator, "{\"action\":\"removed\"}").json();
    assertThat(acted.get("state").asText()).isEqualTo("acted");
    assertThat(acted.get("not_complied_reason").asText()).as("the history stays").isEqualTo("manifest_errors");
    assertThat(auditActions(id)).containsExactly("order.received", "order.not_complied", "order.acted");
  }

  @Test
  void onceAForceMajeureEndsTheHourRunsAgainFromThen() {
    sweep();
    long id = receive("outage", "").get("id").asLong();
    assertThat(api.post("/api/v1/orders/" + id + "/resume", coordinator, "{}").status()).as("its clock is running").isEqualTo(409);
    JsonNode refused = api.post("/api/v1/orders/" + id + "/not-complied", coordinator,
        "{\"reason\":\"force_majeure\",\"reply\":\"Our hosting region is down after the flood; we will act when it is back.\"}").json();
    assertThat(refused.get("state").asText()).isEqualTo("not_complied");
    CLOCK.advance(Duration.ofHours(3));
    sweep();
    assertThat(events("order.overdue", id)).as("no clock while the force majeure lasts").isEmpty();

    assertThat(api.post("/api/v1/orders/" + id + "/resume", coordinator, "{\"from\":\"" + CLOCK.now().minusHours(4) + "\"}").status())
        .as("not before it was not complied with").isEqualTo(422);
    OffsetDateTime ceased = CLOCK.now().minusMinutes(10);
    Api.Response resumed = api.post("/api/v1/orders/" + id + "/resume", coordinator,
        "{\"from\":\"" + ceased + "\",\"note\":\"region back at 09:50\"}");
    assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
    JsonNode order = resumed.json();
    assertThat(order.get("state").asText()).isEqualTo("received");
    assertThat(OffsetDateTime.parse(order.get("clock_started_at").asText())).isEqualTo(ceased.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    assertThat(OffsetDateTime.parse(order.get("due_at").asText())).isEqualTo(OffsetDateTime.parse(order.get("clock_started_at").asText()).plusHours(1));
    assertThat(order.get("seconds_left").asLong()).isBetween(2900L, 3000L);
    assertThat(order.get("not_complied_reason").asText()).as("the history stays").isEqualTo("force_majeure");
    assertThat(events("order.clock_restarted", id).get(0).get("after_reason").asText()).isEqualTo("force_majeure");

    CLOCK.advance(Duration.ofMinutes(25));
    sweep();
    assertThat(events("order.deadline_approaching", id)).extracting(e -> e.get("minutes_left").asInt()).containsExactly(30);
    JsonNode acted = api.post("/api/v1/orders/" + id + "/removal", coordinator, "{\"action\":\"removed\"}").json();
    assertThat(acted.get("acted_in_time").asBoolean()).as("within the hour that ran from the end of the outage").isTrue();
    assertThat(auditActions(id)).containsExactly("order.received", "order.not_complied", "order.clock_restarted",
        "order.deadline_approaching", "order.acted");
  }

  @Test
  void aComplaintUpheldReinstatesTheContentAndOneRejectedLetsTheRemovalStand() {
    long id = receive("complained", "").get("id").asLong();
    assertThat(api.post("/api/v1/orders/" + id + "/complaints", coordinator, "{\"text\":\"too early\"}").status())
        .as("nothing removed yet").isEqualTo(409);
    api.post("/api/v1/orders/" + id + "/removal", coordinator, "{\"action\":\"removed\"}");
    assertThat(api.post("/api/v1/orders/" + id + "/complaints", coordinator, "{\"complainant\":\"acct-9\"}").status()).isEqualTo(422);

    Api.Response filed = api.post("/api/v1/orders/" + id + "/complaints", coordinator,
        "{\"complainant\":\"acct-9\",\"text\":\"This is a news report on the attack, not propaganda.\"}");
    assertThat(filed.status()).as(filed.body()).isEqualTo(201);
    long first = filed.json().get("id").asLong();
    assertThat(filed.json().get("status").asText()).isEqualTo("open");
    assertThat(events("order.complaint_filed", id).get(0).get("complainant").asText()).isEqualTo("acct-9");
    long second = api.post("/api/v1/orders/" + id + "/complaints", coordinator, "{\"text\":\"Please restore it.\"}").json().get("id").asLong();

    assertThat(api.post("/api/v1/orders/" + id + "/complaints/" + first + "/decision", coordinator,
        "{\"outcome\":\"open\",\"reason\":\"x\"}").status()).isEqualTo(422);
    assertThat(api.post("/api/v1/orders/" + id + "/complaints/999999/decision", coordinator,
        "{\"outcome\":\"rejected\",\"reason\":\"x\"}").status()).isEqualTo(404);
    Api.Response rejected = api.post("/api/v1/orders/" + id + "/complaints/" + second + "/decision", coordinator,
        "{\"outcome\":\"rejected\",\"reason\":\"The video is the attacker's own recording, posted without context.\"}");
    assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
    assertThat(get(id).get("state").asText()).as("the removal stands").isEqualTo("acted");
    assertThat(events("order.complaint_decided", id).get(0).get("reinstate").asBoolean()).isFalse();
    assertThat(api.post("/api/v1/orders/" + id + "/complaints/" + second + "/decision", coordinator,
        "{\"outcome\":\"upheld\",\"reason\":\"x\"}").status()).as("decided once").isEqualTo(409);

    Api.Response upheld = api.post("/api/v1/orders/" + id + "/complaints/" + first + "/decision", coordinator,
        "{\"outcome\":\"upheld\",\"reason\":\"A news report with editorial context; reinstated.\"}");
    assertThat(upheld.status()).as(upheld.body()).isEqualTo(200);
    assertThat(upheld.json().get("decided_at").isNull()).isFalse();
    JsonNode order = get(id);
    assertThat(order.get("state").asText()).isEqualTo("reinstated");
    assertThat(order.get("reinstated_at").isNull()).isFalse();
    assertThat(order.get("complaints").findValuesAsText("status")).containsExactly("upheld", "rejected");
    assertThat(order.get("holds").get(0).get("active").asBoolean()).as("still held for review").isTrue();
    JsonNode decided = events("order.complaint_decided", id).get(1);
    assertThat(decided.get("reinstate").asBoolean()).isTrue();
    assertThat(decided.get("state").asText()).isEqualTo("reinstated");
    assertThat(auditActions(id)).containsExactly("order.received", "order.acted", "order.complaint_filed", "order.complaint_filed",
        "order.complaint_decided", "order.complaint_decided");
  }

  @Test
  void noProviderNoticeWhenTheAuthorityAskedForNoneAndAThreatToLifeGoesOutAtOnce() {
    long quiet = receive("confidential", ",\"notify_provider\":false").get("id").asLong();
    assertThat(api.post("/api/v1/orders/" + quiet + "/removal", coordinator, "{\"action\":\"removed\"}").status()).isEqualTo(200);
    assertThat(events("order.acted", quiet)).hasSize(1);
    assertThat(events("order.provider_notice", quiet)).isEmpty();

    long urgent = receive("threat", ",\"threat_to_life\":true").get("id").asLong();
    assertThat(events("order.threat_to_life", urgent)).hasSize(1);
    assertThat(events("order.threat_to_life", quiet)).isEmpty();
  }

  @Test
  void twoFinalOrdersInTwelveMonthsMakeTheProviderExposed() {
    JsonNode before = api.get("/api/v1/orders/exposure", auditor).json();
    int counted = before.get("final_orders").asInt();
    long first = receive("exposure-1", "").get("id").asLong();
    long second = receive("exposure-2", "").get("id").asLong();

    assertThat(api.post("/api/v1/orders/" + first + "/final", coordinator, "{}").status()).isEqualTo(200);
    assertThat(api.post("/api/v1/orders/" + first + "/final", coordinator, "{}").status()).as("final once").isEqualTo(409);
    JsonNode one = api.get("/api/v1/orders/exposure", auditor).json();
    assertThat(one.get("final_orders").asInt()).isEqualTo(counted + 1);
    assertThat(api.post("/api/v1/orders/" + second + "/final", coordinator, "{}").status()).isEqualTo(200);

    JsonNode exposed = api.get("/api/v1/orders/exposure", coordinator).json();
    assertThat(exposed.get("exposed").asBoolean()).isTrue();
    assertThat(exposed.get("threshold").asInt()).isEqualTo(2);
    assertThat(exposed.get("orders").findValuesAsText("id")).contains(Long.toString(first), Long.toString(second));

    CLOCK.advance(Duration.ofDays(366));
    JsonNode later = api.get("/api/v1/orders/exposure", auditor).json();
    assertThat(later.get("orders").findValuesAsText("id")).doesNotContain(Long.toString(first), Long.toString(second));
    assertThat(later.get("exposed").asBoolean()).isFalse();
    assertThat(events("order.final", first)).hasSize(1);
  }

  @Test
  void listsFilterByStateAndUnknownOnesAreRefused() {
    long id = receive("listed", "").get("id").asLong();
    JsonNode received = api.get("/api/v1/orders?state=received", auditor).json().get("items");
    assertThat(received.findValuesAsText("state")).containsOnly("received");
    assertThat(received.findValuesAsText("reference")).contains(get(id).get("reference").asText());
    assertThat(api.get("/api/v1/orders?state=lost", auditor).status()).isEqualTo(422);
    assertThat(api.get("/api/v1/orders?overdue=maybe", auditor).status()).isEqualTo(400);
    assertThat(api.get("/api/v1/orders/999999", auditor).status()).isEqualTo(404);
  }
}
