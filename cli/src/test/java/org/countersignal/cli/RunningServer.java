package org.countersignal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.countersignal.server.CountersignalServer;
import org.countersignal.server.config.ServerConfig;

/** A real server in this JVM on a free port, and plain HTTP calls to check what the commands did. */
public final class RunningServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final CountersignalServer server;
  private final String adminKey;

  private RunningServer(CountersignalServer server, String adminKey) {
    this.server = server;
    this.adminKey = adminKey;
  }

  /** Starts on {@code dataDir}; {@code adminKey} is the known admin key for a restart (null on a first start). */
  public static RunningServer start(Path dataDir, String adminKey) throws InterruptedException {
    return start(dataDir, adminKey, UnaryOperator.identity());
  }

  /** As {@link #start(Path, String)}, with what {@code setup} sets on the builder (exchange kinds, say). */
  public static RunningServer start(Path dataDir, String adminKey, UnaryOperator<CountersignalServer.Builder> setup)
      throws InterruptedException {
    CountersignalServer server = setup.apply(CountersignalServer.builder(
        ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dataDir))).start();
    assertThat(server.awaitReady(Duration.ofSeconds(30))).as("indexes loaded").isTrue();
    return new RunningServer(server, adminKey != null ? adminKey : server.initialAdminKey().orElseThrow());
  }

  /**
   * {@code countersignal serve} on {@code dataDir} in a process of its own, once it holds the
   * database: H2 shares an open database within one JVM, so a command refused for a directory in
   * use must meet a server in another process. The caller ends it.
   */
  public static Process serveInAnotherProcess(Path dataDir) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process serve = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "org.countersignal.cli.Main",
        "serve", "--port", "0", "--host", "127.0.0.1", "--data-dir", dataDir.toString())
        .redirectErrorStream(true)
        .start();
    BufferedReader output = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = output.readLine()) != null && !line.contains("listening on")) {
      // wait until the server holds the database
    }
    assertThat(line).as("the server started").isNotNull();
    return serve;
  }

  public String url() {
    return "http://127.0.0.1:" + server.port();
  }

  public String adminKey() {
    return adminKey;
  }

  public JsonNode get(String path) {
    return send("GET", path, null, adminKey);
  }

  public JsonNode post(String path, String json) {
    return send("POST", path, json, adminKey);
  }

  /** The parsed JSON of a 2xx response, with {@code _status} added; a failed assertion otherwise. */
  public JsonNode send(String method, String path, String json, String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).header("Authorization", "Bearer " + key);
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    try {
      HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
      return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The HTTP status of a call. */
  public int status(String method, String path, String key) {
    try {
      return CLIENT.send(HttpRequest.newBuilder(URI.create(url() + path)).header("Authorization", "Bearer " + key)
          .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
