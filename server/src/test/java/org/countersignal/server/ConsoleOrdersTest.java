package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.countersignal.server.order.Orders;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Removal orders in the console without a browser: a coordinator takes an order in through the
 * form with its document and works it through every step the API has, with the same records and
 * events; auditors read without forms and are refused every change; reviewers and curators have
 * no order pages; forms without their token are refused; the document's cap holds while the form
 * streams; the clock read on the server's (test) clock shows an order overdue once its hour has
 * passed. Time only moves forward here, so each test makes its own orders.
 */
class ConsoleOrdersTest {

  static final TestClock CLOCK = new TestClock();
  static final AtomicInteger REFERENCES = new AtomicInteger();
  /** An order as an authority sends it: a scanned PDF of a few megabytes, far past a form's own cap. */
  static final byte[] PDF = ("%PDF-1.7\n% Removal order TCO-2026, Annex I\n" + "x".repeat(3 << 20) + "\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);
  private static final Pattern WHEN = Pattern.compile("id=\"as-of\">Clocks as of <time datetime=\"([^\"]+)\"");

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Database database;
  static Api api;
  static String admin;
  static String coordinator;
  static String auditor;
  static long authority;

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir, CLOCK);
    database = TestServers.openDatabase(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    coordinator = TestServers.key(api, admin, "coordinator");
    auditor = TestServers.key(api, admin, "auditor");
    authority = TestServers.authority(api, admin,
        "{\"name\":\"Pôle national de lutte contre la haine en ligne\",\"member_state\":\"FR\",\"contact\":\"tco@example.gouv.fr\"}");
  }

  @AfterAll
  static void stop() {
    database.close();
    server.close();
  }

  static ConsoleClient signedIn(String key) {
    ConsoleClient client = new ConsoleClient(server.port());
    assertThat(client.signInWithKey(key).status()).isEqualTo(303);
    return client;
  }

  static String reference() {
    return "TCO-CONSOLE-" + REFERENCES.incrementAndGet();
  }

  /** An order taken in through the API, received now. */
  static long received(String contentId) {
    Api.Response made = api.post("/api/v1/orders", coordinator, "{\"authority_id\":" + authority + ",\"reference\":\"" + reference()
        + "\",\"content_id\":\"" + contentId + "\",\"reasons\":\"Glorifies the attack of 15 March.\"}");
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    return made.json().get("id").asLong();
  }

  static JsonNode order(long id) {
    Api.Response order = api.get("/api/v1/orders/" + id, admin);
    assertThat(order.status()).as(order.body()).isEqualTo(200);
    return order.json();
  }

  static List<String> auditActions(long id) {
    return database.jdbi().withHandle(h -> h.createQuery(
            "SELECT action FROM audit_log WHERE target_type = 'removal_order' AND target_id = :id ORDER BY id")
        .bind("id", Long.toString(id)).mapTo(String.class).list());
  }

  static List<String> eventTypes(long id) {
    return database.jdbi().withHandle(h -> h.createQuery("SELECT event_type, payload FROM webhook_events ORDER BY id")
            .map((rs, ctx) -> Map.entry(rs.getString("event_type"), rs.getString("payload"))).list())
        .stream().filter(e -> e.getValue().contains("\"order_id\":" + id + ",")).map(Map.Entry::getKey).toList();
  }

  static Map<String, String> form(String csrf, String... pairs) {
    return ConsoleIncidentsTest.form(csrf, pairs);
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** The row of order {@code id} on a list page. */
  static String row(String page, long id) {
    int start = page.indexOf("<tr data-order-id=\"" + id + "\"");
    assertThat(start).as("order " + id + " on the list").isNotNegative();
    return page.substring(start, page.indexOf("</tr>", start));
  }

  @Test
  void aCoordinatorTakesAnOrderInWithItsDocumentAndRecordsItsRemoval() throws Exception {
    ConsoleClient console = signedIn(coordinator);
    ConsoleClient.Page list = console.get("/console/orders");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).contains("href=\"/console/orders\" aria-current=\"page\"").contains("id=\"new-order\"").contains("id=\"exposure\"");
    ConsoleClient.Page intake = console.get("/console/orders/new");
    assertThat(intake.body()).contains("id=\"intake\"").contains("enctype=\"multipart/form-data\"")
        .contains("<option value=\"" + authority + "\">Pôle national de lutte contre la haine en ligne (FR)</option>");
    String csrf = intake.csrf();

    // Refused by the service: no content named. The message is on the page, what was typed is kept, no order is made.
    String reference = reference();
    int before = api.get("/api/v1/orders", admin).json().get("items").size();
    ConsoleClient.Page refused = console.postMultipart("/console/orders", form(csrf, "authority_id", Long.toString(authority),
        "reference", reference, "reasons", "Recruits for <the group>."), "document", "order.pdf", "application/pdf", PDF);
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body()).contains("class=\"notice error\"").contains("an order names its content")
        .contains("Recruits for &lt;the group&gt;.").contains("value=\"" + reference + "\"");
    assertThat(api.get("/api/v1/orders", admin).json().get("items")).hasSize(before);

    ConsoleClient.Page taken = console.postMultipart("/console/orders", form(csrf, "authority_id", Long.toString(authority),
        "reference", reference, "content_url", "https://video.example/watch/abc", "content_id", "video-abc",
        "reasons", "Glorifies the attack of 15 March; Art. 2(7)(a).", "threat_to_life", "on"),
        "document", "order-0042.pdf", "application/pdf", PDF);
    assertThat(taken.status()).as(taken.body()).isEqualTo(303);
    assertThat(taken.header("location")).matches("/console/orders/\\d+\\?done=received");
    long id = Long.parseLong(taken.header("location").replaceAll("/console/orders/(\\d+).*", "$1"));
    JsonNode order = order(id);
    assertThat(order.get("state").asText()).isEqualTo("received");
    assertThat(order.get("reference").asText()).isEqualTo(reference);
    assertThat(order.get("content_id").asText()).isEqualTo("video-abc");
    assertThat(order.get("threat_to_life").asBoolean()).isTrue();
    assertThat(order.get("notify_provider").asBoolean()).isTrue();
    assertThat(order.at("/document/sha256").asText()).isEqualTo(sha256(PDF));
    assertThat(order.at("/document/file_name").asText()).isEqualTo("order-0042.pdf");
    assertThat(order.at("/document/media_type").asText()).isEqualTo("application/pdf");

    ConsoleClient.Page page = console.get(taken.header("location"));
    assertThat(page.body()).contains("Order taken in").contains(" left</span>").contains("id=\"record-removal\"")
        .contains("id=\"not-complied\"").contains(sha256(PDF)).doesNotContain("id=\"attach-document\"");
    HttpResponse<byte[]> document = console.download("/console/orders/" + id + "/document");
    assertThat(document.statusCode()).isEqualTo(200);
    assertThat(document.body()).isEqualTo(PDF);
    assertThat(document.headers().firstValue("content-disposition").orElseThrow()).startsWith("attachment; filename=\"order-0042.pdf\"");
    assertThat(document.headers().firstValue("x-content-sha256").orElseThrow()).isEqualTo(sha256(PDF));

    // A submission that is not a number: refused on the page with the note kept; then the removal.
    ConsoleClient.Page badSubmission = console.post("/console/orders/" + id + "/removal", form(csrf, "action", "disabled",
        "submission_id", "the latest", "note", "geo-blocked everywhere"));
    assertThat(badSubmission.status()).isEqualTo(422);
    assertThat(badSubmission.body()).contains("submission_id").contains("geo-blocked everywhere").contains("value=\"disabled\" checked");
    ConsoleClient.Page removed = console.post("/console/orders/" + id + "/removal", form(csrf, "action", "disabled",
        "note", "geo-blocked everywhere"));
    assertThat(removed.status()).isEqualTo(303);
    order = order(id);
    assertThat(order.get("state").asText()).isEqualTo("acted");
    assertThat(order.get("action").asText()).isEqualTo("disabled");
    assertThat(order.get("acted_in_time").asBoolean()).isTrue();
    assertThat(order.get("action_note").asText()).isEqualTo("geo-blocked everywhere");
    assertThat(order.get("holds")).hasSize(1);
    assertThat(console.post("/console/orders/" + id + "/removal", form(csrf, "action", "removed")).status())
        .as("recorded once").isEqualTo(409);

    ConsoleClient.Page acted = console.get(removed.header("location"));
    assertThat(acted.body()).contains("Removal recorded.").contains("acted within the hour").doesNotContain("id=\"record-removal\"")
        .contains("id=\"file-complaint\"").contains("id=\"extend-hold\"").contains("id=\"mark-final\"");

    // The same records and events as through the API.
    assertThat(auditActions(id)).containsExactly("order.received", "order.document_attached", "order.acted");
    assertThat(eventTypes(id)).contains("order.received", "order.threat_to_life", "order.acted");
  }

  @Test
  void complaintsHoldsAndFinalGoThroughTheOrdersService() {
    long id = received("video-complained");
    ConsoleClient console = signedIn(coordinator);
    String csrf = console.get("/console/orders/" + id).csrf();
    assertThat(console.post("/console/orders/" + id + "/complaints", form(csrf, "text", "news")).status())
        .as("no complaint before a removal").isEqualTo(409);
    assertThat(console.post("/console/orders/" + id + "/removal", form(csrf, "action", "removed")).status()).isEqualTo(303);

    ConsoleClient.Page noText = console.post("/console/orders/" + id + "/complaints", form(csrf, "complainant", "acct-9", "text", " "));
    assertThat(noText.status()).isEqualTo(422);
    assertThat(noText.body()).contains("value=\"acct-9\"");
    assertThat(console.post("/console/orders/" + id + "/complaints", form(csrf, "complainant", "acct-9",
        "text", "This is a news report on the attack.")).status()).isEqualTo(303);
    JsonNode complaint = order(id).at("/complaints/0");
    assertThat(complaint.get("status").asText()).isEqualTo("open");
    long complaintId = complaint.get("id").asLong();
    assertThat(console.get("/console/orders/" + id).body()).contains("id=\"decide-complaint-" + complaintId + "\"")
        .contains("This is a news report on the attack.");
    assertThat(console.post("/console/orders/" + id + "/complaints/" + complaintId + "/decision", form(csrf, "outcome", "upheld",
        "reason", "A news report with editorial context.")).status()).isEqualTo(303);
    JsonNode order = order(id);
    assertThat(order.get("state").asText()).isEqualTo("reinstated");
    assertThat(order.at("/complaints/0/status").asText()).isEqualTo("upheld");

    String until = CLOCK.now().plusYears(1).withNano(0).toLocalDateTime().toString().substring(0, 16);
    assertThat(console.post("/console/orders/" + id + "/holds", form(csrf, "until", until, "reason", "Tribunal judiciaire, RG 26/123"))
        .status()).isEqualTo(303);
    assertThat(order(id).get("holds")).hasSize(2);
    assertThat(order(id).at("/holds/1/held_until").asText()).startsWith(until);
    assertThat(console.post("/console/orders/" + id + "/final", form(csrf)).status()).isEqualTo(303);
    assertThat(order(id).get("final_at").isNull()).isFalse();
    ConsoleClient.Page finalPage = console.get("/console/orders/" + id);
    assertThat(finalPage.body()).doesNotContain("id=\"mark-final\"").contains("Tribunal judiciaire, RG 26/123");
    assertThat(console.get("/console/orders").body()).contains("id=\"exposure-orders\"").contains("href=\"/console/orders/" + id + "\"");

    assertThat(auditActions(id)).containsExactly("order.received", "order.acted", "order.complaint_filed", "order.complaint_decided",
        "order.hold_extended", "order.final");
    assertThat(eventTypes(id)).contains("order.complaint_filed", "order.complaint_decided", "order.final");
  }

  @Test
  void anOrderNotCompliedWithHasItsHourStartedAgain() {
    long id = received("video-unclear");
    ConsoleClient console = signedIn(coordinator);
    String csrf = console.get("/console/orders/" + id).csrf();
    ConsoleClient.Page noReply = console.post("/console/orders/" + id + "/not-complied", form(csrf, "reason", "manifest_errors", "reply", ""));
    assertThat(noReply.status()).isEqualTo(422);
    assertThat(noReply.body()).contains("reply").contains("<option value=\"manifest_errors\" selected>");
    assertThat(console.post("/console/orders/" + id + "/not-complied", form(csrf, "reason", "manifest_errors",
        "reply", "The URL in section B names no content on our service; please clarify.")).status()).isEqualTo(303);
    assertThat(order(id).get("state").asText()).isEqualTo("not_complied");
    ConsoleClient.Page stopped = console.get("/console/orders/" + id);
    assertThat(stopped.body()).contains("stopped: not complied with").contains("id=\"resume-clock\"").contains("Manifest errors in the order (Art. 3(8))")
        .doesNotContain("id=\"not-complied\"");

    assertThat(console.post("/console/orders/" + id + "/resume", form(csrf, "note", "clarified by phone")).status()).isEqualTo(303);
    JsonNode order = order(id);
    assertThat(order.get("state").asText()).isEqualTo("received");
    assertThat(OffsetDateTime.parse(order.get("clock_started_at").asText())).isAfter(OffsetDateTime.parse(order.get("received_at").asText()));
    assertThat(console.get("/console/orders/" + id).body()).contains("when the clock was started again").contains(" left</span>");
    assertThat(auditActions(id)).containsExactly("order.received", "order.not_complied", "order.clock_restarted");
  }

  @Test
  void anOverdueOrderShowsAsOverdueOnceTheServersClockPassesItsHour() {
    long id = received("video-late");
    ConsoleClient console = signedIn(coordinator);
    String before = console.get("/console/orders").body();
    assertThat(row(before, id)).contains(" left</span>").doesNotContain("OVERDUE").doesNotContain("class=\"overdue\"");
    assertThat(console.get("/console/orders?state=overdue").body()).doesNotContain("data-order-id=\"" + id + "\"");

    CLOCK.advance(Duration.ofMinutes(61));
    String after = console.get("/console/orders").body();
    assertThat(row(after, id)).contains("class=\"overdue\"").contains("OVERDUE").contains("by 1 min");
    assertThat(row(console.get("/console/orders?state=overdue").body(), id)).contains("OVERDUE");
    // The page says when its clocks were read: on the server's clock, moved an hour ahead of this machine's.
    Matcher when = WHEN.matcher(after);
    assertThat(when.find()).isTrue();
    assertThat(Duration.between(CLOCK.now(), OffsetDateTime.parse(when.group(1))).abs()).isLessThan(Duration.ofMinutes(1));
    ConsoleClient.Page page = console.get("/console/orders/" + id);
    assertThat(page.body()).contains("clock-card overdue").contains("OVERDUE");

    // Acted on late, it says so and stays on the record as late.
    assertThat(console.post("/console/orders/" + id + "/removal", form(page.csrf(), "action", "removed")).status()).isEqualTo(303);
    assertThat(order(id).get("acted_in_time").asBoolean()).isFalse();
    assertThat(console.get("/console/orders/" + id).body()).contains("acted after the hour").contains("after the hour</strong>");
  }

  @Test
  void aDocumentRefusedAfterIntakeLeavesTheOrderToBeGivenItsDocumentOnItsPage() throws Exception {
    ConsoleClient console = signedIn(coordinator);
    String csrf = console.get("/console/orders/new").csrf();
    String reference = reference();
    ConsoleClient.Page taken = console.postMultipart("/console/orders", form(csrf, "authority_id", Long.toString(authority),
        "reference", reference, "content_id", "video-named", "reasons", "Recruitment."), "document", "n".repeat(250) + ".pdf",
        "application/pdf", PDF);
    assertThat(taken.status()).isEqualTo(422);
    assertThat(taken.body()).contains("was taken in, but its document was refused").contains("file_name").contains("id=\"attach-document\"");
    JsonNode listed = api.get("/api/v1/orders?state=received", admin).json().get("items");
    long id = java.util.stream.StreamSupport.stream(listed.spliterator(), false).filter(o -> o.get("reference").asText().equals(reference))
        .findFirst().orElseThrow().get("id").asLong();
    assertThat(order(id).get("document").isNull()).isTrue();
    assertThat(row(console.get("/console/orders").body(), id)).contains("no document");

    assertThat(console.postMultipart("/console/orders/" + id + "/document", form(csrf), "document", null, null, null).status())
        .as("no file chosen").isEqualTo(422);
    ConsoleClient.Page attached = console.postMultipart("/console/orders/" + id + "/document", form(csrf), "document", "order.pdf",
        "application/pdf", PDF);
    assertThat(attached.status()).isEqualTo(303);
    assertThat(order(id).at("/document/sha256").asText()).isEqualTo(sha256(PDF));
    assertThat(console.get(attached.header("location")).body()).contains("Document attached.").doesNotContain("id=\"attach-document\"");
    assertThat(console.postMultipart("/console/orders/" + id + "/document", form(csrf), "document", "again.pdf", "application/pdf", PDF)
        .status()).as("kept as received, not replaced").isEqualTo(409);
  }

  @Test
  void ordersWhoseHourRunsComeFirstOnTheList() {
    long waiting = received("video-waiting");
    long done = received("video-done");
    assertThat(api.post("/api/v1/orders/" + done + "/removal", coordinator, "{\"action\":\"removed\"}").status()).isEqualTo(200);
    String list = signedIn(auditor).get("/console/orders").body();
    // Newest first would put the order acted on above the older one still waiting.
    assertThat(list.indexOf("data-order-id=\"" + waiting + "\"")).isLessThan(list.indexOf("data-order-id=\"" + done + "\""));
    assertThat(row(list, waiting)).contains(" left</span>");
    String acted = signedIn(auditor).get("/console/orders?state=acted").body();
    assertThat(acted).contains("data-order-id=\"" + done + "\"").doesNotContain("data-order-id=\"" + waiting + "\"");
  }

  @Test
  void anAuditorReadsOrdersWithoutFormsAndIsRefusedEveryChange() throws Exception {
    long id = received("video-audited");
    ConsoleClient console = signedIn(auditor);
    ConsoleClient.Page list = console.get("/console/orders");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).contains("data-order-id=\"" + id + "\"").contains("id=\"exposure\"").doesNotContain("id=\"new-order\"");
    ConsoleClient.Page page = console.get("/console/orders/" + id);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("Glorifies the attack of 15 March.").doesNotContain("id=\"record-removal\"")
        .doesNotContain("id=\"not-complied\"").doesNotContain("id=\"mark-final\"").doesNotContain("id=\"attach-document\"");
    assertThat(console.get("/console/orders/new").status()).isEqualTo(403);
    String csrf = page.csrf();
    assertThat(console.post("/console/orders/" + id + "/removal", form(csrf, "action", "removed")).status()).isEqualTo(403);
    assertThat(console.post("/console/orders/" + id + "/not-complied", form(csrf, "reason", "force_majeure", "reply", "r")).status())
        .isEqualTo(403);
    assertThat(console.post("/console/orders/" + id + "/final", form(csrf)).status()).isEqualTo(403);
    assertThat(console.postMultipart("/console/orders/" + id + "/document", form(csrf), "document", "o.pdf", "application/pdf", PDF)
        .status()).isEqualTo(403);
    assertThat(console.postMultipart("/console/orders", form(csrf, "authority_id", Long.toString(authority), "reference", reference(),
        "content_id", "x", "reasons", "r"), "document", null, null, null).status()).isEqualTo(403);
    JsonNode order = order(id);
    assertThat(order.get("state").asText()).isEqualTo("received");
    assertThat(order.get("final_at").isNull()).isTrue();
    assertThat(order.get("document").isNull()).isTrue();
  }

  @Test
  void reviewersAndCuratorsHaveNoOrderPages() {
    long id = received("video-not-theirs");
    for (String role : List.of("reviewer", "curator")) {
      ConsoleClient console = signedIn(TestServers.key(api, admin, role));
      assertThat(console.get("/console/orders").status()).as(role).isEqualTo(403);
      assertThat(console.get("/console/orders/" + id).status()).as(role).isEqualTo(403);
      assertThat(console.download("/console/orders/" + id + "/document").statusCode()).as(role).isEqualTo(403);
      ConsoleClient.Page queue = console.get("/console/queue");
      assertThat(queue.body()).as(role).doesNotContain("href=\"/console/orders\"");
      assertThat(console.post("/console/orders/" + id + "/removal", form(queue.csrf(), "action", "removed")).status()).as(role).isEqualTo(403);
    }
    assertThat(order(id).get("state").asText()).isEqualTo("received");
    assertThat(new ConsoleClient(server.port()).get("/console/orders").header("location")).as("no session").isEqualTo("/console/sign-in");
  }

  @Test
  void aFormWithoutItsTokenIsRefused() {
    long id = received("video-forged");
    ConsoleClient console = signedIn(coordinator);
    int before = api.get("/api/v1/orders", admin).json().get("items").size();
    assertThat(console.post("/console/orders/" + id + "/removal", Map.of("action", "removed")).status()).isEqualTo(403);
    assertThat(console.post("/console/orders/" + id + "/removal", Map.of("csrf", "forged", "action", "removed")).status()).isEqualTo(403);
    ConsoleClient.Page intake = console.postMultipart("/console/orders", Map.of("authority_id", Long.toString(authority),
        "reference", reference(), "content_id", "video-forged-2", "reasons", "r"), "document", "o.pdf", "application/pdf", PDF);
    assertThat(intake.status()).isEqualTo(403);
    assertThat(intake.body()).contains("security token");
    assertThat(order(id).get("state").asText()).isEqualTo("received");
    assertThat(api.get("/api/v1/orders", admin).json().get("items")).hasSize(before);
  }

  @Test
  void theDocumentsCapHoldsWhileTheFormStreamsAndNobodyElseSendsOne() throws IOException {
    ConsoleClient console = signedIn(coordinator);
    String cookie = "cs_console=" + console.cookies.get("cs_console");
    long cap = Orders.MAX_DOCUMENT_BYTES;
    // The client writes ahead of what the server reads by as much as the two ends' socket buffers
    // hold, all of it on a busy machine where the answer takes a while; a body far longer than
    // that shows the server stopped reading early.
    long inFlight = socketBuffers() + (1L << 20);
    long huge = cap + 4 * inFlight;

    Answer past = streamedForm(List.of("Cookie: " + cookie), huge);
    assertThat(past.status()).as(past.head()).isEqualTo(413);
    assertThat(past.sent()).isLessThan(cap + inFlight);

    Answer stranger = streamedForm(List.of(), huge);
    assertThat(stranger.status()).isEqualTo(401);
    assertThat(stranger.sent()).isLessThan(inFlight);

    // A role that may not take orders in is refused before its body is read, token or not.
    ConsoleClient reviewer = signedIn(TestServers.key(api, admin, "reviewer"));
    Answer refused = streamedForm(List.of("Cookie: cs_console=" + reviewer.cookies.get("cs_console")), huge);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.sent()).isLessThan(inFlight);
  }

  /**
   * The most a loopback connection can hold between the client's writes and the server's reads:
   * the largest send and receive buffers Linux grows a socket's to, or 16 MB where that cannot be
   * read.
   */
  static long socketBuffers() {
    try {
      long total = 0;
      for (String file : List.of("/proc/sys/net/ipv4/tcp_wmem", "/proc/sys/net/ipv4/tcp_rmem")) {
        String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of(file)).trim().split("\\s+");
        total += Long.parseLong(fields[2]);
      }
      return total;
    } catch (IOException | RuntimeException unknown) {
      return 16L << 20;
    }
  }

  /** What the server answered, and how much of the body had been sent when it did. */
  record Answer(int status, String head, long sent) {}

  /**
   * An intake form sent chunked (so it declares no length), its document part going on for
   * {@code total} bytes unless the server answers first.
   */
  static Answer streamedForm(List<String> headers, long total) throws IOException {
    String boundary = "----streamed";
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      StringBuilder head = new StringBuilder("POST /console/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
          + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n");
      headers.forEach(h -> head.append(h).append("\r\n"));
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      byte[] start = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"document\"; filename=\"big.pdf\"\r\n"
          + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] chunk = new byte[64 * 1024];
      java.util.Arrays.fill(chunk, (byte) 'x');
      long sent = 0;
      try {
        out.write((Integer.toHexString(start.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(start);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        while (sent < total && in.available() == 0) {
          out.write(size);
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          sent += chunk.length;
        }
        out.flush();
      } catch (IOException closedByServer) {
        // The server answered and closed while the body was still coming: what a cap should do.
      }
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          response.write(buffer, 0, n);
          if (response.toString(StandardCharsets.UTF_8).contains("\r\n\r\n")) {
            break; // the status line and headers are enough
          }
        }
      } catch (java.net.SocketException reset) {
        // a reset after the answer: what arrived is enough
      }
      String text = response.toString(StandardCharsets.UTF_8);
      assertThat(text).as("an HTTP answer").startsWith("HTTP/1.1 ");
      return new Answer(Integer.parseInt(text.substring(9, 12)), text.substring(0, Math.max(12, text.indexOf("\r\n\r\n"))), sent);
    }
  }
}
