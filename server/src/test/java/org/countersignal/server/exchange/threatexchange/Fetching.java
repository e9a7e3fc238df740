package org.countersignal.server.exchange.threatexchange;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.countersignal.server.exchange.ExchangeContext;
import org.countersignal.server.exchange.FetchDelta;
import org.countersignal.server.exchange.SignalExchange;

/** What the ThreatExchange tests share: a context as the server gives one, and draining a fetch. */
final class Fetching {

  /** A moment after every update the tests share (their times count from {@link #T}). */
  static final Instant NOW = Instant.ofEpochSecond(1_700_100_000L);
  /** The time the tests' updates count from. */
  static final long T = 1_700_000_000L;
  static final Map<String, String> CREDENTIALS = Map.of(ThreatExchangeExchange.ACCESS_TOKEN, ThreatExchangeStandIn.TOKEN);

  private Fetching() {}

  static ExchangeContext context(Duration requestTimeout, Instant now) {
    HttpClient http = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
    return new ExchangeContext(http, requestTimeout, Path.of("."), Clock.fixed(now, ZoneOffset.UTC));
  }

  static ExchangeContext context() {
    return context(Duration.ofSeconds(10), NOW);
  }

  static ThreatExchangeConfig config(ThreatExchangeStandIn source, int pageSize) {
    return new ThreatExchangeConfig(ThreatExchangeStandIn.GROUP, source.baseUrl(), pageSize);
  }

  /** Every batch the fetch gives until it has nothing more. */
  static List<FetchDelta<ThreatExchangeCheckpoint>> drain(SignalExchange.Fetch<ThreatExchangeCheckpoint> fetch) {
    List<FetchDelta<ThreatExchangeCheckpoint>> batches = new ArrayList<>();
    try (fetch) {
      for (FetchDelta<ThreatExchangeCheckpoint> batch = fetch.next(); batch != null; batch = fetch.next()) {
        batches.add(batch);
        if (batches.size() > 1000) {
          throw new AssertionError("the fetch never ended");
        }
      }
    }
    return batches;
  }

  static List<FetchDelta.Update> updates(List<FetchDelta<ThreatExchangeCheckpoint>> batches) {
    return batches.stream().flatMap(b -> b.updates().stream()).toList();
  }
}
