package org.countersignal.server.fetch;

import java.time.Duration;
import java.util.List;

/**
 * How content is fetched from URLs callers give.
 *
 * @param allowedNetworks non-public blocks and ports the operator opened (none by default)
 * @param maxRedirects redirects followed, each one checked like the first URL
 * @param connectTimeout to open a connection
 * @param idleTimeout longest silence while reading
 */
public record FetchPolicy(List<AllowedNetwork> allowedNetworks, int maxRedirects, Duration connectTimeout, Duration idleTimeout) {

  public static final FetchPolicy DEFAULT = new FetchPolicy(List.of(), 3, Duration.ofSeconds(5), Duration.ofSeconds(15));

  public FetchPolicy {
    allowedNetworks = List.copyOf(allowedNetworks);
    if (maxRedirects < 0) {
      throw new IllegalArgumentException("maxRedirects must not be negative");
    }
  }

  public FetchPolicy withAllowedNetworks(List<AllowedNetwork> networks) {
    return new FetchPolicy(networks, maxRedirects, connectTimeout, idleTimeout);
  }
}
