package org.countersignal.server.exchange;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * What the server gives every kind: an HTTP client (redirects not followed, connections time out),
 * the longest a request to a source may take before the fetch fails, the folder under which
 * folder exchanges may read, the clock, and this instance's id (what its reports of opinions name
 * as their platform; null where there is none).
 */
public record ExchangeContext(HttpClient http, Duration requestTimeout, Path folderRoot, Clock clock,
    java.util.function.Supplier<String> instanceId) {

  public ExchangeContext(HttpClient http, Duration requestTimeout, Path folderRoot, Clock clock) {
    this(http, requestTimeout, folderRoot, clock, () -> null);
  }
}
