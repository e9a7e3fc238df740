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
 */
public record ExchangeSettings(Duration pollInterval, Duration heartbeatInterval, Duration requestTimeout) {

  public static final ExchangeSettings DEFAULT =
      new ExchangeSettings(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30));

  public ExchangeSettings withPollInterval(Duration poll) {
    return new ExchangeSettings(poll, heartbeatInterval, requestTimeout);
  }

  public ExchangeSettings withHeartbeatInterval(Duration heartbeat) {
    return new ExchangeSettings(pollInterval, heartbeat, requestTimeout);
  }

  public ExchangeSettings withRequestTimeout(Duration timeout) {
    return new ExchangeSettings(pollInterval, heartbeatInterval, timeout);
  }
}
