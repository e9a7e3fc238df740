package org.countersignal.server.exchange.threatexchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.countersignal.server.exchange.ExchangeException;

/**
 * Requests to Meta's Graph API with one access token, and its answers as JSON.
 *
 * <p>The Graph API takes the token as the {@code access_token} parameter, so on a GET it is part of
 * the URL (and of the {@code paging.next} links the API sends back). No message built here ever
 * holds a URL, and text from the source (an error message, which may echo what it was sent) has the
 * token blotted out before it is used.
 */
final class GraphApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BLOTTED = "[access_token]";

  private final HttpClient http;
  private final Duration timeout;
  private final String base;
  private final String token;

  GraphApi(HttpClient http, Duration timeout, String base, String token) {
    if (token == null || token.isBlank()) {
      throw new ExchangeException("access_token: missing (the ThreatExchange app's token, app_id|app_secret)");
    }
    this.http = http;
    this.timeout = timeout;
    this.base = base;
    this.token = token.strip();
  }

  /** The app the token belongs to (the digits before {@code |}), or null for a token of another form. */
  String appId() {
    int bar = token.indexOf('|');
    String id = bar > 0 ? token.substring(0, bar) : "";
    return !id.isEmpty() && id.chars().allMatch(c -> c >= '0' && c <= '9') ? id : null;
  }

  /**
   * GETs {@code path} under the base URL.
   *
   * @param what what is being fetched, to begin any error message
   */
  JsonNode get(String path, Map<String, String> params, String what) {
    String query = form(params);
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/" + path + "?" + query))
        .timeout(timeout)
        .header("Accept", "application/json")
        .GET()
        .build();
    return send(request, what);
  }

  /** POSTs {@code params} as a form, the token among them rather than in the URL. */
  JsonNode post(String path, Map<String, String> params, String what) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/" + path))
        .timeout(timeout)
        .header("Accept", "application/json")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(params)))
        .build();
    return send(request, what);
  }

  private String form(Map<String, String> params) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("access_token", token);
    all.putAll(params);
    return all.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private JsonNode send(HttpRequest request, String what) {
    HttpResponse<String> response = exchange(request, what);
    int status = response.statusCode();
    JsonNode body = parse(response.body());
    if (status < 200 || status > 299) {
      throw new Refused(what + ": " + refusal(status, body), status);
    }
    if (body == null) {
      throw new ExchangeException(what + ": ThreatExchange answered HTTP " + status + " with a body that is not JSON");
    }
    if (body.has("error")) {
      throw new Refused(what + ": " + refusal(status, body), status);
    }
    return body;
  }

  private HttpResponse<String> exchange(HttpRequest request, String what) {
    // The request's own timeout ends the wait for the status line; the future's bounds the body too,
    // so a source that starts an answer and then stalls cannot hold a fetch.
    CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    try {
      return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw tooSlow(what, e);
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw new ExchangeException(what + ": interrupted while waiting for ThreatExchange", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw tooSlow(what, cause);
      }
      if (cause instanceof IOException) {
        throw new ExchangeException(what + ": ThreatExchange could not be reached (" + describe(cause) + ")", cause);
      }
      throw new ExchangeException(what + ": the request to ThreatExchange failed (" + describe(cause) + ")", cause);
    }
  }

  private ExchangeException tooSlow(String what, Throwable cause) {
    return new ExchangeException(what + ": ThreatExchange did not answer within " + seconds(timeout), cause);
  }

  private static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  private String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + blot(message));
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /**
   * A Graph API error as one line, such as {@code "ThreatExchange refused it (HTTP 400): Invalid
   * OAuth access token (OAuthException, code 190)"}.
   */
  private String refusal(int status, JsonNode body) {
    JsonNode error = body == null ? null : body.path("error");
    if (error == null || !error.isObject()) {
      return "ThreatExchange answered HTTP " + status + (body == null ? " with a body that is not JSON" : " without an error");
    }
    String message = error.path("message").asText("");
    List<String> kind = new ArrayList<>();
    String type = error.path("type").asText("");
    if (!type.isBlank()) {
      kind.add(blot(type));
    }
    String code = error.path("code").asText("");
    if (!code.isBlank()) {
      kind.add("code " + blot(code));
    }
    return "ThreatExchange refused it (HTTP " + status + "): " + (message.isBlank() ? "no reason given" : blot(message))
        + (kind.isEmpty() ? "" : " (" + String.join(", ", kind) + ")");
  }

  /** {@code text} without the token, whole, URL-encoded or as its secret half. */
  String blot(String text) {
    String out = text.replace(token, BLOTTED).replace(encode(token), BLOTTED);
    int bar = token.indexOf('|');
    String secret = bar >= 0 ? token.substring(bar + 1) : "";
    // A short secret half would blot ordinary words; real app secrets are 32 characters.
    return secret.length() >= 8 ? out.replace(secret, BLOTTED) : out;
  }

  /** An error status or a Graph API error from the source (as opposed to no answer at all). */
  static final class Refused extends ExchangeException {

    private final int status;

    Refused(String message, int status) {
      super(message);
      this.status = status;
    }

    /** Whether the source refused the request itself (a 4xx), as it does a cursor it no longer knows. */
    boolean isClientError() {
      return status >= 400 && status <= 499;
    }
  }
}
