package org.countersignal.server.exchange;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * What the server gives every kind: an HTTP client (redirects not followed, connections time out),
 * the longest a request to a source may take before the fetch fails, the folder under which
 * folder exchanges may read, and the clock.
 */
public record ExchangeContext(HttpClient http, Duration requestTimeout, Path folderRoot, Clock clock) {}
