package org.countersignal.server.webhook;

import java.time.Duration;
import java.util.Objects;

/**
 * How webhooks are delivered. The defaults suit production; tests use few attempts and short
 * delays so retries and dead letters happen within seconds.
 *
 * @param maxAttempts attempts before a delivery is dead (kept for listing and manual replay)
 * @param baseDelay the first retry waits up to this long; each later one up to twice the last
 * @param maxDelay no retry waits longer than this
 * @param connectTimeout longest wait for a receiver's connection
 * @param requestTimeout longest a whole request may take, connection and answer included
 * @param pollInterval how often the delivery loop looks for work when not woken by an enqueue
 *     in this process
 * @param maxInFlight requests sent and not yet answered, at most; one endpoint may have half of
 *     them (at least its connections), requests beyond its connections waiting in the client
 * @param maxConnectionsPerEndpoint HTTP connections to one receiver (host and port), at most
 * @param heartbeatInterval how often the running delivery task tells db-scheduler it is alive;
 *     after four missed heartbeats (a killed process) another start or replica takes it over
 * @param runFor how long one execution of the recurring task keeps working before it hands back
 *     to the scheduler (so a replica can take over when this one goes)
 */
public record WebhookSettings(
    int maxAttempts,
    Duration baseDelay,
    Duration maxDelay,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration pollInterval,
    int maxInFlight,
    int maxConnectionsPerEndpoint,
    Duration heartbeatInterval,
    Duration runFor) {

  public static final WebhookSettings DEFAULT = new WebhookSettings(
      10,
      Duration.ofSeconds(2),
      Duration.ofHours(1),
      Duration.ofSeconds(5),
      Duration.ofSeconds(10),
      Duration.ofMillis(250),
      512,
      64,
      Duration.ofSeconds(5),
      Duration.ofSeconds(60));

  public WebhookSettings {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    for (Duration d : new Duration[] {baseDelay, maxDelay, connectTimeout, requestTimeout, pollInterval, heartbeatInterval, runFor}) {
      Objects.requireNonNull(d);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("durations must be positive");
      }
    }
    if (maxInFlight < 1 || maxConnectionsPerEndpoint < 1) {
      throw new IllegalArgumentException("maxInFlight and maxConnectionsPerEndpoint must be at least 1");
    }
  }

  /**
   * How long a claimed delivery is held back from other claims while its request is in flight.
   * It outlasts the request, so only a process that died (kill -9, power loss) leaves a delivery
   * to be sent again, once this has passed.
   */
  public Duration lease() {
    return requestTimeout.plusSeconds(10);
  }

  public WebhookSettings withMaxAttempts(int n) {
    return new WebhookSettings(n, baseDelay, maxDelay, connectTimeout, requestTimeout, pollInterval, maxInFlight,
        maxConnectionsPerEndpoint, heartbeatInterval, runFor);
  }

  public WebhookSettings withDelays(Duration base, Duration max) {
    return new WebhookSettings(maxAttempts, base, max, connectTimeout, requestTimeout, pollInterval, maxInFlight,
        maxConnectionsPerEndpoint, heartbeatInterval, runFor);
  }

  public WebhookSettings withTimeouts(Duration connect, Duration request) {
    return new WebhookSettings(maxAttempts, baseDelay, maxDelay, connect, request, pollInterval, maxInFlight,
        maxConnectionsPerEndpoint, heartbeatInterval, runFor);
  }

  public WebhookSettings withHeartbeatInterval(Duration interval) {
    return new WebhookSettings(maxAttempts, baseDelay, maxDelay, connectTimeout, requestTimeout, pollInterval, maxInFlight,
        maxConnectionsPerEndpoint, interval, runFor);
  }

  public WebhookSettings withInFlight(int requests, int connectionsPerEndpoint) {
    return new WebhookSettings(maxAttempts, baseDelay, maxDelay, connectTimeout, requestTimeout, pollInterval, requests,
        connectionsPerEndpoint, heartbeatInterval, runFor);
  }
}
