package org.countersignal.server.exchange.tat;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.countersignal.server.exchange.ExchangeContext;
import org.countersignal.server.exchange.ExchangeException;

/**
 * The routes of Tech Against Terrorism's TCAP backend this kind uses: a token for the username and
 * password ({@code POST token-auth/tcap/}), then with it as a Bearer token the hash list
 * ({@code GET api/hash-list/v2/all}) and hash verification ({@code POST hash-verification/api/v2}).
 * TCAP's tokens are short-lived, so when a route refuses the token (401) a new one is obtained,
 * once, and the request repeated.
 *
 * <p>No message it throws holds the password or the token. Neither is ever written into one, and
 * nothing the source answered is quoted: a token route answering half a JSON document would
 * otherwise be quoted, token and all, into the exchange's status.
 */
final class TatClient {

  static final String TOKEN_ROUTE = "token-auth/tcap/";
  static final String HASH_LIST_ROUTE = "api/hash-list/v2/all";
  static final String VERIFY_ROUTE = "hash-verification/api/v2";
  static final String SOURCE = "Tech Against Terrorism";

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final HttpClient http;
  private final URI base;
  private final Duration timeout;
  private final String username;
  private final String password;
  private String token;

  TatClient(TatConfig config, Map<String, String> credentials, ExchangeContext context) {
    try {
      this.base = config.baseUri();
    } catch (IllegalArgumentException e) {
      throw new ExchangeException("configuration: " + e.getMessage());
    }
    this.http = context.http();
    this.timeout = context.requestTimeout();
    this.username = credential(credentials, "username");
    this.password = credential(credentials, "password");
  }

  /** One page of the hash list, oldest change first, after {@code cursor} (from the start when null). */
  JsonNode hashListPage(String cursor, int limit) {
    String query = "order=asc&limit=" + limit
        + (cursor == null ? "" : "&after=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
    URI page = base.resolve(HASH_LIST_ROUTE + "?" + query);
    return authorized("a hash list page", bearer -> request(page, bearer).GET().build());
  }

  /** The source's answer to a list of {@code {hash_value, hash_type, confidence}} items. */
  JsonNode verify(JsonNode items) {
    byte[] body = write(items);
    URI route = base.resolve(VERIFY_ROUTE);
    return authorized("a verification request", bearer -> request(route, bearer)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build());
  }

  private JsonNode authorized(String what, Function<String, HttpRequest> request) {
    boolean fresh = token == null;
    if (fresh) {
      token = obtainToken();
    }
    HttpResponse<byte[]> response = send(request.apply(token), what);
    if (response.statusCode() == 401 && !fresh) {
      // The token has expired since it was obtained: one new token, one more try.
      token = obtainToken();
      fresh = true;
      response = send(request.apply(token), what);
    }
    if (response.statusCode() == 401) {
      throw new ExchangeException(SOURCE + " refused a token it had just issued for " + what + " (HTTP 401)");
    }
    if (response.statusCode() == 403) {
      throw new ExchangeException(SOURCE + " refused " + what + " (HTTP 403): the account may not be onboarded to this API");
    }
    requireSuccess(response, what);
    return parse(response, what);
  }

  private String obtainToken() {
    String what = "the token request";
    byte[] body = write(JSON.createObjectNode().put("username", username).put("password", password));
    HttpRequest request = HttpRequest.newBuilder(base.resolve(TOKEN_ROUTE))
        .timeout(timeout)
        .header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpResponse<byte[]> response = send(request, what);
    int status = response.statusCode();
    if (status == 400 || status == 401 || status == 403) {
      throw new ExchangeException(SOURCE + " refused the username and password (HTTP " + status + ")");
    }
    requireSuccess(response, what);
    JsonNode issued = parse(response, what).get("token");
    if (issued == null || !issued.isTextual() || issued.asText().isBlank()) {
      throw new ExchangeException(SOURCE + " answered " + what + " without a token");
    }
    return issued.asText();
  }

  private HttpRequest.Builder request(URI uri, String bearer) {
    return HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("Accept", "application/json")
        .header("Authorization", "Bearer " + bearer);
  }

  private HttpResponse<byte[]> send(HttpRequest request, String what) {
    CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    try {
      // The request's own timeout ends once the headers arrive; this wait also bounds a body that stalls.
      return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw tooSlow(what);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw tooSlow(what);
      }
      String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
      throw new ExchangeException("cannot reach " + SOURCE + " at " + base.getAuthority() + " for " + what + ": " + reason, cause);
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw new ExchangeException("interrupted while waiting for " + SOURCE + " to answer " + what, e);
    }
  }

  private ExchangeException tooSlow(String what) {
    return new ExchangeException(SOURCE + " did not answer " + what + " within " + readable(timeout));
  }

  private static void requireSuccess(HttpResponse<byte[]> response, String what) {
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      throw new ExchangeException(SOURCE + " answered " + what + " with HTTP " + status);
    }
  }

  private static JsonNode parse(HttpResponse<byte[]> response, String what) {
    JsonNode answer;
    try {
      answer = JSON.readTree(response.body());
    } catch (JsonProcessingException e) {
      // Neither its message nor itself as the cause: both quote the body, the token with it.
      JsonLocation at = e.getLocation();
      throw new ExchangeException(SOURCE + " answered " + what + " with something that is not JSON"
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      throw new ExchangeException(SOURCE + "'s answer to " + what + " could not be read");
    }
    if (answer == null || answer.isMissingNode()) {
      throw new ExchangeException(SOURCE + " answered " + what + " with an empty body");
    }
    return answer;
  }

  private static byte[] write(JsonNode body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always writes", e);
    }
  }

  private static String credential(Map<String, String> credentials, String name) {
    String value = credentials == null ? null : credentials.get(name);
    if (value == null || value.isEmpty()) {
      throw new ExchangeException("credentials: " + name + " is missing");
    }
    return value;
  }

  private static String readable(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
  }
}
