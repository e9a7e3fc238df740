package org.countersignal.server.exchange.threatexchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.countersignal.server.exchange.threatexchange.Fetching.CREDENTIALS;
import static org.countersignal.server.exchange.threatexchange.Fetching.NOW;
import static org.countersignal.server.exchange.threatexchange.Fetching.T;
import static org.countersignal.server.exchange.threatexchange.Fetching.config;
import static org.countersignal.server.exchange.threatexchange.Fetching.context;
import static org.countersignal.server.exchange.threatexchange.Fetching.drain;
import static org.countersignal.server.exchange.threatexchange.Fetching.updates;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.countersignal.server.exchange.ExchangeException;
import org.countersignal.server.exchange.FetchDelta;
import org.countersignal.server.exchange.FetchDelta.Update;
import org.countersignal.server.exchange.FieldSignals;
import org.countersignal.server.exchange.Opinion;
import org.countersignal.server.exchange.SignalExchange;
import org.countersignal.server.exchange.SignalKey;
import org.countersignal.server.exchange.threatexchange.ThreatExchangeStandIn.Indicator;
import org.countersignal.server.exchange.threatexchange.ThreatExchangeStandIn.Misbehaviour;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Following a privacy group's threat updates against a stand-in of the Graph API: every update
 * arrives once, page by page, in the source's order; a fetch resumes where the last stopped;
 * removals remove; and a source that fails, stalls or answers nonsense ends the fetch with a reason
 * that never shows the access token, the batches before it kept.
 */
class ThreatExchangeExchangeTest {

  static final String PDQ_1 = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  static final String PDQ_2 = "0f0f0c3e1e0b57b0f9c8f5ddfc709c0f4c91d12a699de1e2cc194c63b16364dd";
  static final String PDQ_3 = "a5a5a5a5c3c3c3c3966996690ff00ff0f0f0f0f01e1e1e1e7878787855aa55aa";
  static final String MD5 = "5d41402abc4b2a76b9719d911017c592";
  static final String SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

  final ThreatExchangeExchange kind = new ThreatExchangeExchange();
  ThreatExchangeStandIn source;

  @BeforeEach
  void start() {
    source = new ThreatExchangeStandIn();
  }

  @AfterEach
  void stop() {
    source.close();
  }

  @Test
  void aFullFetchGivesEveryIndicatorOncePageByPageInTheSourcesOrder() {
    String text = "the attack video is here, share before it comes down";
    Indicator first = source.share("HASH_PDQ", PDQ_1, T + 1, "gifct_cat_glorification", "entity_example");
    source.share("HASH_VIDEO_MD5", MD5.toUpperCase(), T + 2);
    source.share("HASH_SHA256", SHA256, T + 3);
    source.share("URI", "https://Evil.Example/manifesto.pdf", T + 4);
    source.share("URI", "http://mirror.example/stream", T + 5);
    source.share("TEXT_STRING", text, T + 6);
    source.share("HASH_PDQ", PDQ_2, T + 7);

    List<FetchDelta<ThreatExchangeCheckpoint>> batches = drain(kind.fetch(config(source, 3), CREDENTIALS, null, context()));

    assertThat(batches).extracting(b -> b.updates().size()).containsExactly(3, 3, 1);
    assertThat(updates(batches)).extracting(Update::key).containsExactly(
        new SignalKey("pdq", PDQ_1),
        new SignalKey("md5", MD5),
        new SignalKey("sha256", SHA256),
        new SignalKey("url", "evil.example/manifesto.pdf"),
        new SignalKey("url", "mirror.example/stream"),
        new SignalKey("text", FieldSignals.toOurs(FieldSignals.RAW_TEXT, text).value()),
        new SignalKey("pdq", PDQ_2));
    Update pdq = updates(batches).get(0);
    assertThat(pdq.record().tags()).containsExactly("entity_example", "gifct_cat_glorification");
    assertThat(pdq.record().opinion()).isEqualTo(Opinion.POSITIVE_CLASS);
    assertThat(pdq.record().note()).contains(first.id).contains("HASH_PDQ");
    assertThat(updates(batches)).allSatisfy(u -> assertThat(u.record().problem()).isNull());

    // Each batch's checkpoint is the largest update time in it; the set of pages ends with no cursor.
    assertThat(batches).extracting(b -> b.checkpoint().progress())
        .containsExactly(Instant.ofEpochSecond(T + 3), Instant.ofEpochSecond(T + 6), Instant.ofEpochSecond(T + 7));
    assertThat(batches.get(0).checkpoint().paging()).isNotNull();
    assertThat(batches.get(2).checkpoint().paging()).isNull();
    assertThat(batches.get(2).checkpoint().caughtUpAt()).isEqualTo(NOW.getEpochSecond());

    Map<String, String> firstQuery = source.updateQueries().get(0);
    assertThat(firstQuery).containsEntry("start_time", "0").containsEntry("limit", "3");
    // Only the types Meta publishes are named: an unknown name could get every request refused.
    assertThat(firstQuery.get("types").split(","))
        .containsExactlyInAnyOrder("HASH_PDQ", "HASH_MD5", "HASH_VIDEO_MD5", "HASH_SHA256", "URI", "TEXT_STRING");
  }

  @Test
  void indicatorTypesNotAskedForAreStillReadWhenTheySendThem() {
    source.ignoreTypesFilter();
    source.share("UNCLICKABLE_URL", "[h]ttps://mirror[.]example/stream", T + 1);
    source.share("RAW_URI", "https://evil.example/b", T + 2);
    source.share("HASH_VIDEO_SHA256", SHA256, T + 3);

    List<Update> updates = updates(drain(kind.fetch(config(source, 10), CREDENTIALS, null, context())));

    assertThat(updates).extracting(Update::key).containsExactly(
        new SignalKey("url", "mirror.example/stream"),
        new SignalKey("url", "evil.example/b"),
        new SignalKey("sha256", SHA256));
  }

  @Test
  void aFetchFromACheckpointGivesOnlyWhatChangedSince() {
    Indicator early = source.share("HASH_PDQ", PDQ_1, T + 1);
    source.share("HASH_PDQ", PDQ_2, T + 2);
    ThreatExchangeCheckpoint after = last(drain(kind.fetch(config(source, 10), CREDENTIALS, null, context())));
    source.share("HASH_VIDEO_MD5", MD5, T + 20);
    source.describe(early, ThreatExchangeStandIn.THIRD_APP, "NON_MALICIOUS", T + 21);

    List<FetchDelta<ThreatExchangeCheckpoint>> batches = drain(kind.fetch(config(source, 10), CREDENTIALS, after, context()));

    // start_time is inclusive, so the last update already seen may come again; nothing before it does.
    assertThat(source.updateQueries().get(1)).containsEntry("start_time", Long.toString(T + 2));
    assertThat(updates(batches)).extracting(Update::key)
        .contains(new SignalKey("md5", MD5), new SignalKey("pdq", PDQ_1))
        .containsSubsequence(new SignalKey("md5", MD5), new SignalKey("pdq", PDQ_1));
    assertThat(updates(batches).stream().filter(u -> u.key().signal().equals(PDQ_1)).findFirst().orElseThrow().record().opinion())
        .isEqualTo(Opinion.DISPUTED);
    assertThat(last(batches).progress()).isEqualTo(Instant.ofEpochSecond(T + 21));
  }

  @Test
  void aFetchResumesAPageSetInProgressByItsCursor() {
    for (int i = 1; i <= 5; i++) {
      source.share("HASH_PDQ", pdq(i), T + i);
    }
    SignalExchange.Fetch<ThreatExchangeCheckpoint> interrupted = kind.fetch(config(source, 2), CREDENTIALS, null, context());
    ThreatExchangeCheckpoint midway = interrupted.next().checkpoint();
    interrupted.close();

    List<FetchDelta<ThreatExchangeCheckpoint>> rest = drain(kind.fetch(config(source, 2), CREDENTIALS, midway, context()));

    assertThat(source.updateQueries().get(1)).containsEntry("after", midway.paging().after()).containsEntry("start_time", "0");
    assertThat(updates(rest)).extracting(u -> u.key().signal()).containsExactly(pdq(3), pdq(4), pdq(5));
  }

  @Test
  void aCursorTheSourceNoLongerTakesStartsAgainFromTheLastUpdateTimeSeen() {
    for (int i = 1; i <= 5; i++) {
      source.share("HASH_PDQ", pdq(i), T + i);
    }
    SignalExchange.Fetch<ThreatExchangeCheckpoint> interrupted = kind.fetch(config(source, 2), CREDENTIALS, null, context());
    ThreatExchangeCheckpoint midway = interrupted.next().checkpoint();
    source.refuseCursors();

    SignalExchange.Fetch<ThreatExchangeCheckpoint> resumed = kind.fetch(config(source, 10), CREDENTIALS, midway, context());
    FetchDelta<ThreatExchangeCheckpoint> batch = resumed.next();

    assertThat(source.updateQueries().get(2)).doesNotContainKey("after").containsEntry("start_time", Long.toString(T + 2));
    assertThat(batch.updates()).extracting(u -> u.key().signal()).containsExactly(pdq(2), pdq(3), pdq(4), pdq(5));
    assertThat(resumed.next()).isNull();
  }

  @Test
  void aRemovedIndicatorArrivesAsATombstoneOfTheSignalItHadBeen() {
    Indicator removed = source.share("HASH_PDQ", PDQ_1.toUpperCase(), T + 1);
    Indicator unvouched = source.share("URI", "https://evil.example/a", T + 2);
    source.share("HASH_PDQ", PDQ_2, T + 3);
    List<Update> before = updates(drain(kind.fetch(config(source, 10), CREDENTIALS, null, context())));
    ThreatExchangeCheckpoint checkpoint = new ThreatExchangeCheckpoint(T + 3, NOW.getEpochSecond(), null);
    source.remove(removed, T + 10);
    // Its only descriptor withdrawn, the entry comes without should_delete (ThreatExchange issue #834).
    source.withdrawDescriptors(unvouched, T + 11);

    List<Update> after = updates(drain(kind.fetch(config(source, 10), CREDENTIALS, checkpoint, context())));

    assertThat(after).filteredOn(Update::isDeletion).extracting(Update::key)
        .containsExactly(before.get(0).key(), before.get(1).key());
    assertThat(after).filteredOn(u -> !u.isDeletion()).extracting(u -> u.key().signal()).containsExactly(PDQ_2);
  }

  @Test
  void aMalformedRecordIsReportedAndTheRestOfItsPageArrives() {
    source.ignoreTypesFilter();
    source.share("HASH_PDQ", PDQ_1, T + 1);
    Indicator notAHash = source.share("HASH_PDQ", "not-a-pdq-hash", T + 2);
    Indicator noIndicator = source.share("HASH_VIDEO_MD5", null, T + 3);
    Indicator unknownType = source.share("IP_ADDRESS", "203.0.113.7", T + 4);
    source.share("HASH_SHA256", SHA256, T + 5);

    List<FetchDelta<ThreatExchangeCheckpoint>> batches = drain(kind.fetch(config(source, 10), CREDENTIALS, null, context()));

    assertThat(batches).hasSize(1);
    List<Update> updates = batches.get(0).updates();
    assertThat(updates).hasSize(5);
    assertThat(updates).filteredOn(u -> u.record().problem() == null).extracting(Update::key)
        .containsExactly(new SignalKey("pdq", PDQ_1), new SignalKey("sha256", SHA256));
    assertThat(updates.get(1).record().problem()).contains(notAHash.id).contains("pdq");
    assertThat(updates.get(2).record().problem()).contains(noIndicator.id).contains("no indicator");
    assertThat(updates.get(3).record().problem()).contains(unknownType.id).contains("IP_ADDRESS");
    assertThat(batches.get(0).checkpoint().progress()).isEqualTo(Instant.ofEpochSecond(T + 5));
  }

  @Test
  void aTokenTheSourceRefusesEndsTheFetchWithoutShowingTheToken() {
    source.share("HASH_PDQ", PDQ_1, T + 1);
    String wrong = ThreatExchangeStandIn.MY_APP + "|aWrongSecretThatMustNotLeak0123";
    SignalExchange.Fetch<ThreatExchangeCheckpoint> fetch =
        kind.fetch(config(source, 10), Map.of(ThreatExchangeExchange.ACCESS_TOKEN, wrong), null, context());

    assertThatThrownBy(fetch::next)
        .isInstanceOf(ExchangeException.class)
        .hasMessageContaining("privacy group " + ThreatExchangeStandIn.GROUP)
        .hasMessageContaining("Invalid OAuth access token")
        .hasMessageContaining("OAuthException, code 190")
        .hasMessageNotContaining(wrong)
        .hasMessageNotContaining("aWrongSecretThatMustNotLeak0123")
        .hasMessageNotContaining("access_token=")
        .hasMessageNotContaining("127.0.0.1");
  }

  @Test
  void aMissingTokenIsNamed() {
    assertThatThrownBy(() -> kind.fetch(config(source, 10), Map.of(), null, context()).next())
        .isInstanceOf(ExchangeException.class)
        .hasMessageStartingWith("access_token: missing");
  }

  @Test
  void anErrorStatusEndsTheFetchAfterTheBatchesBeforeIt() {
    sharePdqs(5);
    source.misbehave(Misbehaviour.SERVER_ERROR, 2);
    SignalExchange.Fetch<ThreatExchangeCheckpoint> fetch = kind.fetch(config(source, 2), CREDENTIALS, null, context());

    FetchDelta<ThreatExchangeCheckpoint> first = fetch.next();

    assertThat(first.updates()).hasSize(2);
    assertThatThrownBy(fetch::next)
        .isInstanceOf(ExchangeException.class)
        .hasMessageContaining("HTTP 500")
        .hasMessageContaining("An unexpected error has occurred")
        .hasMessageNotContaining(ThreatExchangeStandIn.TOKEN)
        .hasMessageNotContaining("127.0.0.1");
  }

  @Test
  void aSourceThatStopsAnsweringEndsTheFetchWithinTheTimeout() {
    sharePdqs(5);
    source.misbehave(Misbehaviour.HANG, 2);
    SignalExchange.Fetch<ThreatExchangeCheckpoint> fetch =
        kind.fetch(config(source, 2), CREDENTIALS, null, context(Duration.ofMillis(500), NOW));
    assertThat(fetch.next().updates()).hasSize(2);

    long started = System.nanoTime();
    assertThatThrownBy(fetch::next)
        .isInstanceOf(ExchangeException.class)
        .hasMessageContaining("did not answer within 500 ms")
        .hasMessageNotContaining(ThreatExchangeStandIn.TOKEN);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aPageThatIsNotJsonEndsTheFetchAfterTheBatchesBeforeIt() {
    sharePdqs(5);
    source.misbehave(Misbehaviour.NOT_JSON, 2);
    SignalExchange.Fetch<ThreatExchangeCheckpoint> fetch = kind.fetch(config(source, 2), CREDENTIALS, null, context());
    assertThat(fetch.next().updates()).hasSize(2);

    assertThatThrownBy(fetch::next)
        .isInstanceOf(ExchangeException.class)
        .hasMessageContaining("not JSON");
  }

  @Test
  void aGroupTheTokenCannotReadIsRefusedByName() {
    ThreatExchangeConfig elsewhere = new ThreatExchangeConfig("42", source.baseUrl(), null);

    assertThatThrownBy(() -> kind.fetch(elsewhere, CREDENTIALS, null, context()).next())
        .isInstanceOf(ExchangeException.class)
        .hasMessageContaining("privacy group 42")
        .hasMessageContaining("does not exist");
  }

  @Test
  void aQuietGroupStaysFreshWhileItIsFetched() {
    source.share("HASH_PDQ", PDQ_1, T + 1);
    Instant muchLater = Instant.ofEpochSecond(T).plus(Duration.ofDays(200));

    ThreatExchangeCheckpoint reached = last(drain(kind.fetch(config(source, 10), CREDENTIALS, null,
        context(Duration.ofSeconds(10), muchLater))));

    // No update for 200 days, but nothing can have been missed: the fetch just read the group to its end.
    assertThat(reached.progress()).isEqualTo(Instant.ofEpochSecond(T + 1));
    assertThat(reached.isStale(muchLater.plus(Duration.ofDays(1)))).isFalse();
    assertThat(reached.isStale(muchLater.plus(Duration.ofDays(86)))).isTrue();
  }

  @Test
  void theKindNamesItselfAndItsCredential() {
    assertThat(kind.name()).isEqualTo("threatexchange");
    assertThat(kind.credentialNames()).containsExactly("access_token");
    assertThat(kind.takesOpinions()).isTrue();
    assertThat(kind.configType()).isEqualTo(ThreatExchangeConfig.class);
    assertThat(kind.checkpointType()).isEqualTo(ThreatExchangeCheckpoint.class);
  }

  private void sharePdqs(int count) {
    for (int i = 1; i <= count; i++) {
      source.share("HASH_PDQ", pdq(i), T + i);
    }
  }

  /** A distinct PDQ hash for each {@code i}. */
  static String pdq(int i) {
    return String.format("%02x", i) + PDQ_3.substring(2);
  }

  private static ThreatExchangeCheckpoint last(List<FetchDelta<ThreatExchangeCheckpoint>> batches) {
    assertThat(batches).isNotEmpty();
    return batches.get(batches.size() - 1).checkpoint();
  }
}
