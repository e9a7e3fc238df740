package org.countersignal.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.countersignal.server.match.ChangeFollower;
import org.countersignal.server.match.MatchHit;
import org.countersignal.server.match.MatchIndexes;
import org.countersignal.server.match.Matcher;
import org.countersignal.server.signal.ServerSignalType;

/**
 * The service's metrics in Prometheus form: requests by route and status, query signals and
 * hits by signal type, index sizes and the change-sequence position (a replica whose cursor lags
 * the others' is behind).
 */
public final class ServiceMetrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public ServiceMetrics(MatchIndexes indexes, ChangeFollower follower) {
    for (ServerSignalType signalType : indexes.catalog().types()) {
      String type = signalType.name();
      Gauge.builder("countersignal.index.entries", indexes, i -> i.size(type))
          .description("signals in the in-memory index")
          .tag("signal_type", type)
          .register(registry);
    }
    Gauge.builder("countersignal.changes.applied.seq", follower, ChangeFollower::cursor)
        .description("last change-sequence number applied to the indexes")
        .register(registry);
    Gauge.builder("countersignal.indexes.loaded", follower, f -> f.isCaughtUp() ? 1 : 0)
        .description("1 once the indexes have loaded")
        .register(registry);
  }

  /** One HTTP request; {@code route} is the path template, or "unmatched". */
  public void request(String method, String route, int status, Duration duration) {
    Timer.builder("countersignal.http.requests")
        .tag("method", method)
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .register(registry)
        .record(duration);
  }

  /** One match call: its query signals and the hits it returned. */
  public void matched(List<Matcher.Query> queries, List<MatchHit> hits) {
    for (Matcher.Query query : queries) {
      counter("countersignal.match.queries", query.type()).increment();
    }
    for (MatchHit hit : hits) {
      counter("countersignal.match.hits", hit.signalType()).increment();
    }
  }

  private Counter counter(String name, String type) {
    return Counter.builder(name).tag("signal_type", type).register(registry);
  }

  /** The text exposition format Prometheus scrapes. */
  public String scrape() {
    return registry.scrape();
  }
}
