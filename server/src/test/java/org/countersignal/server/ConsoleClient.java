package org.countersignal.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser-less console client for the tests: keeps cookies the way a browser would for one
 * site, follows no redirects (the tests look at them), and reads the CSRF token from pages.
 */
final class ConsoleClient {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");

  record Page(int status, String body, Map<String, List<String>> headers) {
    String header(String name) {
      return headers.getOrDefault(name.toLowerCase(), List.of()).stream().findFirst().orElse(null);
    }

    List<String> setCookies() {
      return headers.getOrDefault("set-cookie", List.of());
    }

    String csrf() {
      Matcher m = CSRF.matcher(body);
      return m.find() ? m.group(1) : null;
    }
  }

  private final String base;
  private final HttpClient client;
  final Map<String, String> cookies = new LinkedHashMap<>();

  ConsoleClient(int port) {
    this("http://127.0.0.1:" + port, CLIENT);
  }

  /** A browser of the console at {@code base} (such as {@code https://127.0.0.1:8443}) through {@code client}. */
  ConsoleClient(String base, HttpClient client) {
    this.base = base;
    this.client = client;
  }

  Page get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), Map.of());
  }

  Page get(String path, Map<String, String> headers) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
  }

  Page post(String path, Map<String, String> form) {
    return post(path, form, Map.of());
  }

  Page post(String path, Map<String, String> form, Map<String, String> headers) {
    String body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
  }

  /**
   * Posts a multipart form as a browser posts a form with a file field: {@code fields}, then the
   * file (an empty, nameless part when {@code fileName} is null, as for no file chosen).
   */
  Page postMultipart(String path, Map<String, String> fields, String fileField, String fileName, String fileType, byte[] file) {
    String boundary = "----countersignal-test-" + System.nanoTime();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n"
        + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\""
        + (fileName == null ? "" : fileName) + "\"\r\nContent-Type: " + (fileType == null ? "application/octet-stream" : fileType)
        + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(file == null ? new byte[0] : file);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    // A refusal comes before the server reads the body, and then it closes the connection: asking
    // to continue first keeps the body from racing that close (a broken pipe instead of the 403).
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .expectContinue(true).POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), Map.of());
  }

  /** A download's status, headers and bytes, with this client's cookies. */
  HttpResponse<byte[]> download(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET().timeout(Duration.ofSeconds(30));
    if (!cookies.isEmpty()) {
      request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Signs in with a username and password through the sign-in form; returns the answer to the POST. */
  Page signIn(String username, String password) {
    String csrf = get("/console/sign-in").csrf();
    return post("/console/sign-in", Map.of("csrf", csrf, "method", "password", "username", username, "password", password));
  }

  Page signInWithKey(String key) {
    String csrf = get("/console/sign-in").csrf();
    return post("/console/sign-in", Map.of("csrf", csrf, "method", "key", "key", key));
  }

  private Page send(HttpRequest.Builder request, Map<String, String> headers) {
    request.timeout(Duration.ofSeconds(30));
    headers.forEach(request::header);
    if (!cookies.isEmpty()) {
      request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
    }
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      for (String set : response.headers().allValues("set-cookie")) {
        String pair = set.split(";", 2)[0];
        String name = pair.substring(0, pair.indexOf('='));
        String value = pair.substring(pair.indexOf('=') + 1);
        boolean expired = set.toLowerCase().contains("max-age=0");
        if (value.isEmpty() || expired) {
          cookies.remove(name);
        } else {
          cookies.put(name, value);
        }
      }
      return new Page(response.statusCode(), response.body(), response.headers().map());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
