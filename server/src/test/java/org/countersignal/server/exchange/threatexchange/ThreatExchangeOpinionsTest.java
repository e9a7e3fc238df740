package org.countersignal.server.exchange.threatexchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.countersignal.server.exchange.threatexchange.Fetching.CREDENTIALS;
import static org.countersignal.server.exchange.threatexchange.Fetching.T;
import static org.countersignal.server.exchange.threatexchange.Fetching.config;
import static org.countersignal.server.exchange.threatexchange.Fetching.context;
import static org.countersignal.server.exchange.threatexchange.Fetching.drain;
import static org.countersignal.server.exchange.threatexchange.Fetching.updates;
import static org.countersignal.server.exchange.threatexchange.ThreatExchangeExchangeTest.MD5;
import static org.countersignal.server.exchange.threatexchange.ThreatExchangeExchangeTest.pdq;
import static org.countersignal.server.exchange.threatexchange.ThreatExchangeStandIn.MY_APP;
import static org.countersignal.server.exchange.threatexchange.ThreatExchangeStandIn.OTHER_APP;
import static org.countersignal.server.exchange.threatexchange.ThreatExchangeStandIn.THIRD_APP;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.countersignal.server.exchange.ExchangeException;
import org.countersignal.server.exchange.FetchDelta.Update;
import org.countersignal.server.exchange.Opinion;
import org.countersignal.server.exchange.SignalKey;
import org.countersignal.server.exchange.threatexchange.ThreatExchangeStandIn.Descriptor;
import org.countersignal.server.exchange.threatexchange.ThreatExchangeStandIn.Indicator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Opinions both ways. The members' opinions of a shared signal (their descriptors' status, their
 * reactions) decide whether it is banked: one member calling it non-malicious beside another
 * calling it malicious makes it disputed, and disputed signals are not banked. Ours go back as
 * reactions on the other members' descriptors.
 */
class ThreatExchangeOpinionsTest {

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
  void theMembersOpinionsMakeTheSignalsOpinion() {
    source.share("HASH_PDQ", pdq(1), T + 1);
    Indicator disputedByStatus = source.share("HASH_PDQ", pdq(2), T + 2);
    source.describe(disputedByStatus, THIRD_APP, "NON_MALICIOUS", T + 2);
    Indicator negative = source.entry("HASH_PDQ", pdq(3), T + 3);
    source.describe(negative, OTHER_APP, "NON_MALICIOUS", T + 3);
    Indicator seed = source.entry("HASH_PDQ", pdq(4), T + 4);
    source.describe(seed, OTHER_APP, "SUSPICIOUS", T + 4);
    Indicator disputedByReaction = source.share("HASH_PDQ", pdq(5), T + 5);
    source.react(disputedByReaction.descriptors.get(0), THIRD_APP, "DISAGREE_WITH_TAGS");
    Indicator confirmedByReaction = source.entry("HASH_PDQ", pdq(6), T + 6);
    source.describe(confirmedByReaction, OTHER_APP, "SUSPICIOUS", T + 6);
    source.react(confirmedByReaction.descriptors.get(0), THIRD_APP, "HELPFUL");
    Indicator seenOnly = source.share("HASH_PDQ", pdq(7), T + 7);
    source.react(seenOnly.descriptors.get(0), THIRD_APP, "SAW_THIS_TOO");

    Map<String, Opinion> opinions = updates(drain(kind.fetch(config(source, 100), CREDENTIALS, null, context()))).stream()
        .collect(Collectors.toMap(u -> u.key().signal(), u -> u.record().opinion()));

    assertThat(opinions).containsEntry(pdq(1), Opinion.POSITIVE_CLASS)
        .containsEntry(pdq(2), Opinion.DISPUTED)
        .containsEntry(pdq(3), Opinion.NEGATIVE_CLASS)
        .containsEntry(pdq(4), Opinion.INVESTIGATION_SEED)
        .containsEntry(pdq(5), Opinion.DISPUTED)
        .containsEntry(pdq(6), Opinion.POSITIVE_CLASS)
        .containsEntry(pdq(7), Opinion.POSITIVE_CLASS);
    assertThat(opinions.values().stream().filter(Opinion::banks)).hasSize(4);
  }

  @Test
  void sawThisTooReachesTheOtherMembersDescriptorsAndNotOurs() {
    Indicator shared = source.share("HASH_PDQ", pdq(1), T + 1);
    Descriptor theirs = shared.descriptors.get(0);
    Descriptor ours = source.describe(shared, MY_APP, "MALICIOUS", T + 1);
    Indicator elsewhere = source.share("HASH_PDQ", pdq(2), T + 2);

    kind.reportOpinion(config(source, 10), CREDENTIALS, new SignalKey("pdq", pdq(1)), Opinion.SAW_THIS_TOO, context());

    assertThat(source.reactionsOn(theirs)).isEqualTo(Map.of("SAW_THIS_TOO", Set.of(MY_APP)));
    assertThat(source.reactionsOn(ours)).isEmpty();
    assertThat(source.reactionsOn(elsewhere.descriptors.get(0))).isEmpty();
  }

  @Test
  void positiveAndNegativeGoBackAsTheReactionsThatSayThem() {
    Descriptor video = source.share("HASH_VIDEO_MD5", MD5, T + 1).descriptors.get(0);
    Descriptor link = source.share("URI", "https://evil.example/a", T + 2).descriptors.get(0);

    kind.reportOpinion(config(source, 10), CREDENTIALS, new SignalKey("md5", MD5), Opinion.NEGATIVE_CLASS, context());
    // A URL as a bank keeps it: canonical, without its scheme.
    kind.reportOpinion(config(source, 10), CREDENTIALS, new SignalKey("url", "evil.example/a"), Opinion.POSITIVE_CLASS, context());

    assertThat(source.reactionsOn(video)).isEqualTo(Map.of("NON_MALICIOUS", Set.of(MY_APP)));
    assertThat(source.reactionsOn(link)).isEqualTo(Map.of("HELPFUL", Set.of(MY_APP)));
  }

  @Test
  void ourNegativeReactionComesBackAndUnbanksTheSignal() {
    source.share("HASH_PDQ", pdq(1), T + 1);
    kind.reportOpinion(config(source, 10), CREDENTIALS, new SignalKey("pdq", pdq(1)), Opinion.NEGATIVE_CLASS, context());

    Update update = updates(drain(kind.fetch(config(source, 10), CREDENTIALS, null, context()))).get(0);

    assertThat(update.record().opinion()).isEqualTo(Opinion.DISPUTED);
    assertThat(update.record().opinion().banks()).isFalse();
  }

  @Test
  void anOpinionOrSignalThereIsNoReactionForIsRefusedAndNothingIsSent() {
    Descriptor theirs = source.share("HASH_PDQ", pdq(1), T + 1).descriptors.get(0);

    assertThatThrownBy(() -> kind.reportOpinion(config(source, 10), CREDENTIALS, new SignalKey("pdq", pdq(1)),
        Opinion.INVESTIGATION_SEED, context()))
        .isInstanceOf(ExchangeException.class)
        .hasMessageContaining("no reaction for INVESTIGATION_SEED");
    // Our text signal is a sketch of a text that is not kept: there is nothing to look it up by.
    assertThatThrownBy(() -> kind.reportOpinion(config(source, 10), CREDENTIALS, new SignalKey("text", "0a1b"),
        Opinion.SAW_THIS_TOO, context()))
        .isInstanceOf(ExchangeException.class)
        .hasMessageContaining("text signal");
    assertThat(source.reactionsOn(theirs)).isEmpty();
  }

  @Test
  void aSignalTheGroupDoesNotHoldCannotBeReactedTo() {
    assertThatThrownBy(() -> kind.reportOpinion(config(source, 10), CREDENTIALS, new SignalKey("pdq", pdq(9)),
        Opinion.SAW_THIS_TOO, context()))
        .isInstanceOf(ExchangeException.class)
        .hasMessageContaining("no other member's descriptor");
  }

  @Test
  void aRefusedReactionIsAnExchangeFailureWithoutTheToken() {
    source.share("HASH_PDQ", pdq(1), T + 1);
    Map<String, String> wrong = Map.of(ThreatExchangeExchange.ACCESS_TOKEN, MY_APP + "|notTheSecretAtAllNotAtAll0123");

    assertThatThrownBy(() -> kind.reportOpinion(config(source, 10), wrong, new SignalKey("pdq", pdq(1)),
        Opinion.SAW_THIS_TOO, context()))
        .isInstanceOf(ExchangeException.class)
        .hasMessageContaining("code 190")
        .hasMessageNotContaining("notTheSecretAtAllNotAtAll0123");
  }
}
