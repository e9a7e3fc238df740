package org.countersignal.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * An HTTP relay on loopback between a subscribing instance and the one it follows, for tests of
 * what travels between them: it passes every request on to the port {@code target} gives now (502
 * while nothing answers there), keeps what went through, and lets a test answer in the
 * publisher's stead.
 */
final class Relay implements AutoCloseable {

  /** A request passed on, with its body and the body of the publisher's answer. */
  record Passed(String method, String path, String body, byte[] answer) {}

  final List<Passed> passed = new CopyOnWriteArrayList<>();
  /** Given a request's path, the body to answer it with (status 200) instead of passing it on; null to pass it on. */
  volatile Function<String, byte[]> instead = path -> null;

  private final HttpClient client = HttpClient.newHttpClient();
  private final HttpServer server;

  Relay(IntSupplier target) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      try {
        byte[] body = exchange.getRequestBody().readAllBytes();
        byte[] own = instead.apply(path);
        if (own != null) {
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, own.length);
          exchange.getResponseBody().write(own);
          return;
        }
        HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.getAsInt() + exchange.getRequestURI()))
            .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : List.of("Authorization", "Content-Type", "Accept")) {
          String value = exchange.getRequestHeaders().getFirst(header);
          if (value != null) {
            forward.header(header, value);
          }
        }
        HttpResponse<byte[]> response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
        byte[] answer = response.body();
        // Kept before the answer goes back: once the subscriber has it, the test may look.
        passed.add(new Passed(method, path, new String(body, StandardCharsets.UTF_8), answer));
        response.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
        exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
        exchange.getResponseBody().write(answer);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
      } catch (IOException e) {
        exchange.sendResponseHeaders(502, -1);
      } finally {
        exchange.close();
      }
    });
    // The subscriber keeps a wait for updates open through it, beside its other requests.
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The bodies of the requests {@code method} sent to a path ending with {@code suffix}, in order. */
  List<String> bodies(String method, String suffix) {
    return passed.stream().filter(p -> p.method().equals(method) && p.path().endsWith(suffix)).map(Passed::body).toList();
  }

  /** The first answer passed on to a request whose path ends with {@code suffix}; null when none went through yet. */
  byte[] firstAnswer(String suffix) {
    return passed.stream().filter(p -> p.path().endsWith(suffix)).map(Passed::answer).findFirst().orElse(null);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
