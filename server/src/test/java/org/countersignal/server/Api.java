package org.countersignal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the tests: real requests to a real server on localhost. */
final class Api {

  /** One response; {@code json} is null when the body is empty or not JSON. */
  record Response(int status, String contentType, String body, JsonNode json, HttpHeaders headers) {
    String header() {
      return status + " " + body;
    }

    /** The response header {@code name}'s first value, or null. */
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private final HttpClient client;

  Api(int port) {
    this("http://127.0.0.1:" + port, CLIENT);
  }

  /** A client of the server at {@code base} (such as {@code https://127.0.0.1:8443}) through {@code client}. */
  Api(String base, HttpClient client) {
    this.base = base;
    this.client = client;
  }

  Response get(String path, String key) {
    return send("GET", path, key, null, null);
  }

  Response delete(String path, String key) {
    return send("DELETE", path, key, null, null);
  }

  Response post(String path, String key, String json) {
    return send("POST", path, key, "application/json", json == null ? null : json.getBytes());
  }

  Response patch(String path, String key, String json) {
    return send("PATCH", path, key, "application/json", json.getBytes());
  }

  Response send(String method, String path, String key, String contentType, byte[] body) {
    return send(method, path, key, contentType, body, false);
  }

  /**
   * @param expectContinue send the headers first and the body only after the server's 100
   *     Continue, as curl does for large uploads: a refusal (413) then arrives before any body
   */
  Response send(String method, String path, String key, String contentType, byte[] body, boolean expectContinue) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .expectContinue(expectContinue);
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String type = response.headers().firstValue("Content-Type").orElse(null);
      JsonNode json = null;
      if (!response.body().isEmpty() && type != null && type.contains("json")) {
        json = JSON.readTree(response.body());
      }
      return new Response(response.statusCode(), type, response.body(), json, response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
