package org.countersignal.server.exchange.tat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.countersignal.server.exchange.tat.TatStandIn.PASSWORD;
import static org.countersignal.server.exchange.tat.TatStandIn.USERNAME;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.countersignal.server.exchange.ExchangeContext;
import org.countersignal.server.exchange.ExchangeException;
import org.countersignal.server.exchange.FetchDelta;
import org.countersignal.server.exchange.FetchDelta.Update;
import org.countersignal.server.exchange.Opinion;
import org.countersignal.server.exchange.SignalExchange.Fetch;
import org.countersignal.server.exchange.SignalKey;
import org.countersignal.server.exchange.VerifiesSignals.Verdict;
import org.countersignal.server.exchange.tat.TatStandIn.HashRecord;
import org.countersignal.signals.digest.DigestSignalType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Tech Against Terrorism kind against a stand-in of its API ({@link TatStandIn}): the hash list
 * fetched page by page and resumed from a checkpoint, deletions, malformed records, a source that
 * refuses, fails, hangs or answers nonsense, token renewal, hash verification and the
 * configuration it refuses.
 */
class TechAgainstTerrorismExchangeTest {

  // How exchanges store configurations and checkpoints: snake_case, unknown fields refused.
  private static final ObjectMapper STORE = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private final TechAgainstTerrorismExchange kind = new TechAgainstTerrorismExchange();
  private TatStandIn tat;
  private HttpClient http;

  @BeforeEach
  void start() {
    tat = new TatStandIn();
    http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stop() {
    tat.close();
    http.close();
  }

  // --- fetching -----------------------------------------------------------------------------

  @Test
  void fetchesTheWholeListFromTheStartOnePageABatch() {
    HashRecord video = tat.add("MD5", md5("video-1"), "islamist");
    HashRecord file = tat.add("SHA256", sha256("file-2"), "far-right");
    HashRecord image = tat.add("PDQ", pdq("image-3"), "islamist");
    HashRecord other = tat.add("MD5", md5("video-4"), "far-right");
    HashRecord last = tat.add("MD5", md5("video-5").toUpperCase(), "islamist");

    List<FetchDelta<TatCheckpoint>> batches = fetchAll(config(2), null);

    assertThat(batches).extracting(b -> b.updates().size()).containsExactly(2, 2, 1);
    assertThat(keys(batches)).containsExactly(
        new SignalKey("md5", md5("video-1")), new SignalKey("sha256", sha256("file-2")), new SignalKey("pdq", pdq("image-3")),
        new SignalKey("md5", md5("video-4")), new SignalKey("md5", md5("video-5")));
    assertThat(batches).extracting(b -> b.checkpoint().cursor()).containsExactly(file.cursor(), other.cursor(), last.cursor());
    assertThat(batches.getLast().checkpoint().progress()).isEqualTo(TatStandIn.instant(last.updatedMicros()));

    Update first = batches.getFirst().updates().getFirst();
    assertThat(first.record().tags()).containsExactly("islamist");
    assertThat(first.record().note()).contains(String.valueOf(video.id()));
    assertThat(first.record().opinion()).isEqualTo(Opinion.POSITIVE_CLASS);
    assertThat(first.record().problem()).isNull();
    assertThat(batches.get(1).updates().getFirst().record().tags()).containsExactly("islamist");
    assertThat(batches.get(1).updates().getFirst().record().note()).contains(String.valueOf(image.id()));
    // Each page after the cursor the one before ended at; none after the page that said it was the last.
    assertThat(tat.cursorsAsked()).containsExactly("", file.cursor(), other.cursor());
  }

  @Test
  void resumingFromAStoredCheckpointFetchesOnlyWhatCameAfterIt() throws Exception {
    tat.add("MD5", md5("a"), "islamist");
    tat.add("MD5", md5("b"), "islamist");
    tat.add("MD5", md5("c"), "far-right");
    FetchDelta<TatCheckpoint> firstBatch;
    try (Fetch<TatCheckpoint> fetch = kind.fetch(config(2), credentials(), null, context())) {
      firstBatch = fetch.next();
    }
    TatCheckpoint stored = STORE.readValue(STORE.writeValueAsString(firstBatch.checkpoint()), TatCheckpoint.class);

    assertThat(keys(fetchAll(config(2), stored))).containsExactly(new SignalKey("md5", md5("c")));

    List<FetchDelta<TatCheckpoint>> all = fetchAll(config(2), null);
    tat.add("SHA256", sha256("d"), "islamist");
    tat.add("PDQ", pdq("e"), "islamist");
    assertThat(keys(fetchAll(config(2), all.getLast().checkpoint())))
        .containsExactly(new SignalKey("sha256", sha256("d")), new SignalKey("pdq", pdq("e")));
  }

  @Test
  void upToDateFetchesEndAtOnce() {
    tat.add("MD5", md5("a"), "islamist");
    List<FetchDelta<TatCheckpoint>> all = fetchAll(config(10), null);

    assertThat(fetchAll(config(10), all.getLast().checkpoint())).isEmpty();
  }

  @Test
  void aHashTheSourceWithdrawsArrivesAsATombstone() {
    HashRecord withdrawn = tat.add("MD5", md5("withdrawn"), "islamist");
    tat.add("PDQ", pdq("kept"), "far-right");
    TatCheckpoint upToDate = fetchAll(config(10), null).getLast().checkpoint();

    tat.delete(withdrawn);

    List<Update> since = updates(fetchAll(config(10), upToDate));
    assertThat(since).containsExactly(Update.deleted(new SignalKey("md5", md5("withdrawn"))));
    assertThat(since.getFirst().isDeletion()).isTrue();
    // From the start, the withdrawn hash comes as its deletion, after what was kept.
    assertThat(updates(fetchAll(config(10), null))).extracting(Update::isDeletion).containsExactly(false, true);
  }

  @Test
  void aMalformedRecordIsReportedAndTheRestOfItsPageArrives() {
    tat.add("MD5", md5("good-1"), "islamist");
    HashRecord sha512 = tat.add("SHA512", "ab".repeat(64), "islamist");
    HashRecord shortMd5 = tat.add("MD5", "d41d8cd9", "far-right");
    HashRecord badPdq = tat.add("PDQ", "zz" + pdq("x").substring(2), "islamist");
    HashRecord vague = tat.addWith("MD5", md5("vague"), Map.of("deleted", new TextNode("yes")));
    tat.delete(tat.add("TMK", "a-tmk-file", "islamist"));
    tat.add("PDQ", pdq("good-2"), "far-right");

    List<Update> updates = updates(fetchAll(config(100), null));

    assertThat(updates).hasSize(6);
    assertThat(updates.getFirst().key()).isEqualTo(new SignalKey("md5", md5("good-1")));
    assertThat(updates.getFirst().record().problem()).isNull();
    assertThat(updates.getLast().key()).isEqualTo(new SignalKey("pdq", pdq("good-2")));
    assertThat(updates.getLast().record().problem()).isNull();
    List<String> problems = updates.subList(1, 5).stream().map(u -> u.record().problem()).toList();
    assertThat(problems).allSatisfy(problem -> assertThat(problem).isNotNull());
    assertThat(problems.get(0)).contains(String.valueOf(sha512.id())).contains("SHA512");
    assertThat(problems.get(1)).contains(String.valueOf(shortMd5.id())).contains("32 hex digits");
    assertThat(problems.get(2)).contains(String.valueOf(badPdq.id())).contains("hex digit");
    assertThat(problems.get(3)).contains(String.valueOf(vague.id())).contains("deleted");
  }

  // --- failures -----------------------------------------------------------------------------

  @Test
  void wrongCredentialsFailTheFetchWithoutRepeatingThePassword() {
    String wrong = "not-the-password-" + PASSWORD.hashCode();
    tat.add("MD5", md5("a"), "islamist");

    try (Fetch<TatCheckpoint> fetch = kind.fetch(config(10), Map.of("username", USERNAME, "password", wrong), null, context())) {
      assertThatThrownBy(fetch::next).isInstanceOf(ExchangeException.class)
          .hasMessageContaining("refused the username and password")
          .hasMessageNotContaining(wrong);
    }
    assertThatThrownBy(() -> kind.fetch(config(10), Map.of("username", USERNAME), null, context()).next())
        .isInstanceOf(ExchangeException.class).hasMessage("credentials: password is missing");
  }

  @Test
  void anErrorStatusFailsTheFetchAndTheNextResumesAfterTheLastBatch() {
    for (String name : List.of("a", "b", "c", "d")) {
      tat.add("MD5", md5(name), "islamist");
    }
    TatCheckpoint applied;
    try (Fetch<TatCheckpoint> fetch = kind.fetch(config(2), credentials(), null, context())) {
      applied = fetch.next().checkpoint();
      tat.answerPagesWith(500);
      assertThatThrownBy(fetch::next).isInstanceOf(ExchangeException.class)
          .hasMessageContaining("HTTP 500")
          .satisfies(this::namesNoSecret);
    }

    tat.answerPagesWith(200);
    assertThat(keys(fetchAll(config(2), applied))).containsExactly(new SignalKey("md5", md5("c")), new SignalKey("md5", md5("d")));
  }

  @Test
  void aSourceThatCannotBeReachedFailsTheFetchNamingWhere() {
    String closed = tat.baseUrl();
    tat.close();

    try (Fetch<TatCheckpoint> fetch = kind.fetch(TatConfig.of(closed), credentials(), null, context())) {
      assertThatThrownBy(fetch::next).isInstanceOf(ExchangeException.class)
          .hasMessageStartingWith("cannot reach Tech Against Terrorism at " + closed.substring("http://".length(), closed.length() - 1))
          .satisfies(this::namesNoSecret);
    }
  }

  @Test
  void aSourceThatDoesNotAnswerFailsWithinTheTimeout() {
    tat.add("MD5", md5("a"), "islamist");
    tat.add("MD5", md5("b"), "islamist");
    ExchangeContext impatient = context(Duration.ofMillis(400));
    try (Fetch<TatCheckpoint> fetch = kind.fetch(config(1), credentials(), null, impatient)) {
      assertThat(fetch.next().updates()).hasSize(1);
      tat.hang();
      long start = System.nanoTime();
      assertThatThrownBy(fetch::next).isInstanceOf(ExchangeException.class)
          .hasMessage("Tech Against Terrorism did not answer a hash list page within 400 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aBodyThatStallsHalfwayFailsWithinTheTimeout() {
    tat.add("MD5", md5("a"), "islamist");
    tat.add("MD5", md5("b"), "islamist");
    ExchangeContext impatient = context(Duration.ofMillis(400));
    try (Fetch<TatCheckpoint> fetch = kind.fetch(config(1), credentials(), null, impatient)) {
      assertThat(fetch.next().updates()).hasSize(1);
      tat.stallBodies();
      long start = System.nanoTime();
      assertThatThrownBy(fetch::next).isInstanceOf(ExchangeException.class).hasMessageContaining("did not answer");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void anAnswerThatIsNotJsonFailsTheFetchAfterTheBatchesBefore() {
    tat.add("MD5", md5("a"), "islamist");
    tat.add("MD5", md5("b"), "islamist");
    try (Fetch<TatCheckpoint> fetch = kind.fetch(config(1), credentials(), null, context())) {
      assertThat(fetch.next().updates()).hasSize(1);
      tat.answerPagesWithBody("<html><body>502 Bad Gateway</body></html>");
      assertThatThrownBy(fetch::next).isInstanceOf(ExchangeException.class)
          .hasMessageContaining("not JSON")
          .satisfies(this::namesNoSecret);
      tat.answerPagesWithBody("{\"detail\": \"down for maintenance\"}");
      assertThatThrownBy(fetch::next).isInstanceOf(ExchangeException.class).hasMessageContaining("without a results list");
    }
  }

  @Test
  void aTokenAnswerThatIsNotJsonIsNotQuotedWithTheTokenInIt() {
    tat.add("MD5", md5("a"), "islamist");
    // Unquoted, as a broken proxy might write it: a JSON parser's message quotes such a word.
    tat.answerTokensWithBody("{\"token\": jwtcutshortsecret");

    try (Fetch<TatCheckpoint> fetch = kind.fetch(config(10), credentials(), null, context())) {
      assertThatThrownBy(fetch::next).isInstanceOf(ExchangeException.class)
          .hasMessageContaining("token request")
          .hasMessageNotContaining("cutshortsecret")
          .satisfies(e -> assertThat(e.getCause()).isNull());
    }
  }

  @Test
  void aPageThatDoesNotMovePastItsCursorFailsRatherThanAskingForEver() {
    tat.add("MD5", md5("a"), "islamist");
    tat.add("MD5", md5("b"), "islamist");
    try (Fetch<TatCheckpoint> fetch = kind.fetch(config(1), credentials(), null, context())) {
      TatCheckpoint first = fetch.next().checkpoint();
      tat.answerPagesWithBody("{\"count\": 1, \"next\": \"more\", \"previous\": null, \"checkpoint\": \"" + first.cursor() + "\","
          + " \"results\": [{\"id\": 1, \"hash_digest\": \"" + md5("a") + "\", \"algorithm\": \"MD5\", \"deleted\": false}]}");
      assertThatThrownBy(fetch::next).isInstanceOf(ExchangeException.class).hasMessageContaining(first.cursor());
    }
  }

  // --- the token ----------------------------------------------------------------------------

  @Test
  void anExpiredTokenIsRenewedAndTheFetchGoesOn() {
    for (String name : List.of("a", "b", "c")) {
      tat.add("MD5", md5(name), "islamist");
    }
    try (Fetch<TatCheckpoint> fetch = kind.fetch(config(1), credentials(), null, context())) {
      assertThat(fetch.next().updates()).hasSize(1);
      tat.expireTokens();
      assertThat(fetch.next().updates()).hasSize(1);
      assertThat(fetch.next().updates()).hasSize(1);
    }
    assertThat(tat.issuedTokens()).hasSize(2);
  }

  @Test
  void aTokenRefusedEvenWhenNewFailsTheFetchAfterOneRenewal() {
    tat.add("MD5", md5("a"), "islamist");
    tat.add("MD5", md5("b"), "islamist");
    try (Fetch<TatCheckpoint> fetch = kind.fetch(config(1), credentials(), null, context())) {
      fetch.next();
      tat.refuseTokens();
      assertThatThrownBy(fetch::next).isInstanceOf(ExchangeException.class)
          .hasMessageContaining("HTTP 401")
          .satisfies(this::namesNoSecret);
    }
    assertThat(tat.issuedTokens()).hasSize(2);
  }

  // --- verification -------------------------------------------------------------------------

  @Test
  void verificationSaysWhichSignalsTheSourceHasVerified() {
    tat.add("MD5", md5("known-video"), "islamist");
    tat.add("PDQ", pdq("known-image"), "far-right");
    tat.delete(tat.add("MD5", md5("withdrawn"), "islamist"));
    String nearImage = flipLastBit(pdq("known-image"));
    List<SignalKey> asked = List.of(
        new SignalKey("md5", md5("known-video")),
        new SignalKey("sha256", sha256("never-seen")),
        new SignalKey("pdq", nearImage),
        new SignalKey("md5", md5("withdrawn")),
        new SignalKey("url", "example.com/a"));

    List<Verdict> verdicts = kind.verify(config(10), credentials(), asked, context());

    assertThat(verdicts).extracting(Verdict::signal).containsExactlyElementsOf(asked);
    assertThat(verdicts).extracting(Verdict::verified).containsExactly(true, false, true, false, false);
    assertThat(verdicts.get(0).detail()).contains("islamist");
    assertThat(verdicts.get(2).detail()).contains("far-right");
    assertThat(verdicts.get(4).detail()).contains("only md5, sha256 and pdq");
    JsonNode sent = tat.verifyRequests().getFirst();
    assertThat(sent).hasSize(4);
    assertThat(sent.get(0).get("hash_type").asText()).isEqualTo("MD5");
    assertThat(sent.get(0).has("confidence")).isFalse();
    assertThat(sent.get(1).get("hash_type").asText()).isEqualTo("SHA256");
    assertThat(sent.get(2).get("hash_type").asText()).isEqualTo("PDQ");
    assertThat(sent.get(2).get("confidence").asDouble()).isEqualTo(TatConfig.DEFAULT_PDQ_CONFIDENCE);
  }

  @Test
  void verificationAsksAtMostFiftyHashesARequest() {
    tat.add("MD5", md5("known-110"), "islamist");
    List<SignalKey> asked = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      asked.add(new SignalKey("md5", md5(i == 110 ? "known-110" : "unknown-" + i)));
    }

    List<Verdict> verdicts = kind.verify(config(10), credentials(), asked, context());

    assertThat(tat.verifyRequests()).extracting(JsonNode::size).containsExactly(50, 50, 20);
    assertThat(verdicts).extracting(Verdict::signal).containsExactlyElementsOf(asked);
    assertThat(verdicts.stream().filter(Verdict::verified).map(Verdict::signal)).containsExactly(asked.get(110));
  }

  @Test
  void verificationWithWrongCredentialsFails() {
    assertThatThrownBy(() -> kind.verify(config(10), Map.of("username", USERNAME, "password", "wrong"),
        List.of(new SignalKey("md5", md5("a"))), context()))
        .isInstanceOf(ExchangeException.class).hasMessageContaining("refused the username and password");
  }

  // --- the kind and its configuration -------------------------------------------------------

  @Test
  void isNamedAndAsksForItsCredentialsAsTheApiListsThem() {
    assertThat(kind.name()).isEqualTo("tech_against_terrorism");
    assertThat(kind.credentialNames()).containsExactly("username", "password");
    assertThat(kind.takesOpinions()).isFalse();
    assertThat(kind.configType()).isEqualTo(TatConfig.class);
    assertThat(kind.checkpointType()).isEqualTo(TatCheckpoint.class);
  }

  @Test
  void checkRefusesConfigurationsThatCouldNeverFetch() {
    List<Map.Entry<TatConfig, String>> refused = List.of(
        Map.entry(new TatConfig(null, null, null), "base_url: missing"),
        Map.entry(new TatConfig(" ", null, null), "base_url: missing"),
        Map.entry(new TatConfig("ftp://app.terrorismanalytics.org/", null, null), "base_url: must be an https URL"),
        Map.entry(new TatConfig("app.terrorismanalytics.org", null, null), "base_url: must be an https URL"),
        Map.entry(new TatConfig("http://app.terrorismanalytics.org/", null, null), "base_url: must be https"),
        Map.entry(new TatConfig("https://exa mple.org/", null, null), "base_url: not a URL"),
        Map.entry(new TatConfig("https://analyst:url-secret@app.terrorismanalytics.org/", null, null), "base_url: must not hold"),
        Map.entry(new TatConfig("https://analyst:url secret@app.terrorismanalytics.org/", null, null), "base_url: not a URL"),
        Map.entry(new TatConfig("https://app.terrorismanalytics.org/?ideology=all", null, null), "base_url: must not have a query"),
        Map.entry(new TatConfig("https://app.terrorismanalytics.org/", 0, null), "page_size: 0 is not between 1 and 1000"),
        Map.entry(new TatConfig("https://app.terrorismanalytics.org/", 5000, null), "page_size: 5000 is not between 1 and 1000"),
        Map.entry(new TatConfig("https://app.terrorismanalytics.org/", null, 1.5), "pdq_confidence: 1.5"));
    for (Map.Entry<TatConfig, String> entry : refused) {
      assertThatThrownBy(() -> kind.check(entry.getKey(), context()))
          .as(entry.getKey().toString())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(entry.getValue())
          .hasMessageNotContaining("secret");
    }

    kind.check(TatConfig.of("https://app.terrorismanalytics.org"), context());
    kind.check(new TatConfig("http://127.0.0.1:8080/tcap", 1000, 1.0), context());
  }

  @Test
  void configurationReadsFromTheExchangesSnakeCaseJson() throws Exception {
    TatConfig config = STORE.readValue(
        "{\"base_url\": \"https://app.terrorismanalytics.org/\", \"page_size\": 200, \"pdq_confidence\": 0.95}", TatConfig.class);

    assertThat(config).isEqualTo(new TatConfig("https://app.terrorismanalytics.org/", 200, 0.95));
    assertThat(STORE.readValue(STORE.writeValueAsString(config), TatConfig.class)).isEqualTo(config);
    assertThat(STORE.readValue("{\"base_url\": \"https://app.terrorismanalytics.org/\"}", TatConfig.class).effectivePageSize())
        .isEqualTo(1000);
  }

  // --- helpers ------------------------------------------------------------------------------

  private ExchangeContext context() {
    return context(Duration.ofSeconds(10));
  }

  private ExchangeContext context(Duration timeout) {
    return new ExchangeContext(http, timeout, null, Clock.systemUTC());
  }

  private TatConfig config(int pageSize) {
    return new TatConfig(tat.baseUrl(), pageSize, null);
  }

  private static Map<String, String> credentials() {
    return Map.of("username", USERNAME, "password", PASSWORD);
  }

  private List<FetchDelta<TatCheckpoint>> fetchAll(TatConfig config, TatCheckpoint from) {
    List<FetchDelta<TatCheckpoint>> batches = new ArrayList<>();
    try (Fetch<TatCheckpoint> fetch = kind.fetch(config, credentials(), from, context())) {
      for (FetchDelta<TatCheckpoint> batch = fetch.next(); batch != null; batch = fetch.next()) {
        batches.add(batch);
        assertThat(batches).as("a fetch that never ends").hasSizeLessThan(100);
      }
    }
    return batches;
  }

  private static List<Update> updates(List<FetchDelta<TatCheckpoint>> batches) {
    return batches.stream().flatMap(b -> b.updates().stream()).toList();
  }

  private static List<SignalKey> keys(List<FetchDelta<TatCheckpoint>> batches) {
    return updates(batches).stream().map(Update::key).toList();
  }

  private void namesNoSecret(Throwable failure) {
    assertThat(failure.getMessage()).doesNotContain(PASSWORD);
    for (String token : tat.issuedTokens()) {
      assertThat(failure.getMessage()).doesNotContain(token);
    }
  }

  private static String md5(String content) {
    return DigestSignalType.MD5.digest(content.getBytes(StandardCharsets.UTF_8)).hex();
  }

  private static String sha256(String content) {
    return DigestSignalType.SHA256.digest(content.getBytes(StandardCharsets.UTF_8)).hex();
  }

  /** 64 hex digits with structure in them, as a real image's PDQ hash has. */
  private static String pdq(String image) {
    return sha256("pdq:" + image);
  }

  private static String flipLastBit(String hex) {
    int last = Character.digit(hex.charAt(hex.length() - 1), 16) ^ 1;
    return hex.substring(0, hex.length() - 1) + Character.forDigit(last, 16);
  }
}
