package org.countersignal.server.exchange;

import java.time.Duration;

/**
 * How exchanges are fetched.
 *
 * @param pollInterval how often the fetcher looks for exchanges due (a fetch asked for in this
 *     process starts at once)
 * @param heartbeatInterval how often the node running fetches says it is alive; another takes
 *     over after four missed
 * @param requestTimeout the longest one request to a source may take
 * @param reportInterval the least time between two reports of opinions to one source: a source
 *     that announces its updates is fetched at each of them, and a report reads every match of
 *     the exchange's bank
 */
public record ExchangeSettings(Duration pollInterval, Duration heartbeatInterval, Duration requestTimeout, Duration reportInterval) {

  public static final ExchangeSettings DEFAULT =
      new ExchangeSettings(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1));

  public ExchangeSettings withPollInterval(Duration poll) {
    return new ExchangeSettings(poll, heartbeatInterval, requestTimeout, reportInterval);
  }

  public ExchangeSettings withHeartbeatInterval(Duration heartbeat) {
    return new ExchangeSettings(pollInterval, heartbeat, requestTimeout, reportInterval);
  }

  public ExchangeSettings withRequestTimeout(Duration timeout) {
    return new ExchangeSettings(pollInterval, heartbeatInterval, timeout, reportInterval);
  }

  public ExchangeSettings withReportInterval(Duration interval) {
    return new ExchangeSettings(pollInterval, heartbeatInterval, requestTimeout, interval);
  }
}
