package org.countersignal.server.exchange.threatexchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.countersignal.server.exchange.threatexchange.ThreatExchangeConfigTest.STORE_JSON;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A checkpoint is kept by the exchange store between batches, so it must come back as it was, in
 * the middle of a page set or between them; and it must say when resuming from it would miss
 * deletions ThreatExchange no longer keeps, so that everything is fetched again.
 */
class ThreatExchangeCheckpointTest {

  @Test
  void aCheckpointSurvivesTheStoreMidPageSetAndBetweenThem() throws Exception {
    ThreatExchangeCheckpoint midway = new ThreatExchangeCheckpoint(1_700_000_003L, 1_699_000_000L,
        new ThreatExchangeCheckpoint.Paging(1_700_000_000L, "MTcwMDAwMDAwMzoxMDAwMDA0"));
    ThreatExchangeCheckpoint between = new ThreatExchangeCheckpoint(1_700_000_003L, 1_700_100_000L, null);

    for (ThreatExchangeCheckpoint checkpoint : new ThreatExchangeCheckpoint[] {midway, between}) {
      String json = STORE_JSON.writeValueAsString(checkpoint);
      assertThat(STORE_JSON.readValue(json, ThreatExchangeCheckpoint.class)).isEqualTo(checkpoint);
    }
    assertThat(STORE_JSON.writeValueAsString(midway)).contains("\"update_time\":1700000003").contains("\"after\":");
  }

  @Test
  void aCheckpointGoesStaleBeforeThe90DaysThatDeletionsAreKept() {
    Instant updated = Instant.ofEpochSecond(1_700_000_000L);
    ThreatExchangeCheckpoint neverCaughtUp = new ThreatExchangeCheckpoint(updated.getEpochSecond(), 0, null);

    assertThat(neverCaughtUp.isStale(updated.plus(Duration.ofDays(84)))).isFalse();
    assertThat(neverCaughtUp.isStale(updated.plus(Duration.ofDays(86)))).isTrue();
    assertThat(neverCaughtUp.isStale(updated.plus(Duration.ofDays(91)))).isTrue();
    assertThat(neverCaughtUp.progress()).isEqualTo(updated);

    // Read to its end 10 days ago: deletions since then are all still kept, however old the last update.
    Instant now = updated.plus(Duration.ofDays(300));
    ThreatExchangeCheckpoint caughtUp = new ThreatExchangeCheckpoint(updated.getEpochSecond(),
        now.minus(Duration.ofDays(10)).getEpochSecond(), null);
    assertThat(caughtUp.isStale(now)).isFalse();
  }
}
