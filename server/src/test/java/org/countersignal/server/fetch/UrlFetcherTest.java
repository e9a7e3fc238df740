package org.countersignal.server.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fetcher against a real HTTP server on loopback, which the default policy must refuse. */
class UrlFetcherTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final FetchPolicy LOOPBACK_OPENED =
      FetchPolicy.DEFAULT.withAllowedNetworks(List.of(Network.parse("127.0.0.1/32")));

  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private String base;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      String path = exchange.getRequestURI().getPath();
      int port = server.getAddress().getPort();
      switch (path) {
        case "/hello" -> send(exchange, 200, "hello".getBytes(StandardCharsets.UTF_8), true);
        case "/big" -> send(exchange, 200, new byte[5000], true);
        case "/big-chunked" -> send(exchange, 200, new byte[5000], false);
        case "/missing" -> send(exchange, 404, new byte[0], true);
        case "/to-hello" -> redirect(exchange, "/hello");
        case "/to-other-loopback" -> redirect(exchange, "http://127.0.0.2:" + port + "/hello");
        case "/loop" -> redirect(exchange, "/loop");
        default -> send(exchange, 500, new byte[0], true);
      }
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void send(HttpExchange exchange, int status, byte[] body, boolean withLength) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : withLength ? body.length : 0);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  private static byte[] fetch(FetchPolicy policy, String url, long maxBytes) {
    try (UrlFetcher fetcher = new UrlFetcher(policy); UrlFetcher.Download download = fetcher.open(url, maxBytes, TIMEOUT)) {
      return download.readAll();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void loopbackIsRefusedByDefaultWithoutTheServerBeingContacted() {
    assertThatThrownBy(() -> fetch(FetchPolicy.DEFAULT, base + "/hello", 1000))
        .isInstanceOf(RequestException.class)
        .hasMessageContaining("127.0.0.1 is not a public address (loopback)")
        .extracting(e -> ((RequestException) e).kind()).isEqualTo(Kind.INVALID);
    assertThatThrownBy(() -> fetch(FetchPolicy.DEFAULT, "http://localhost:" + server.getAddress().getPort() + "/hello", 1000))
        .hasMessageContaining("not a public address");
    assertThat(requests).hasValue(0);
  }

  @Test
  void anOpenedNetworkIsFetchedWithTheContentType() throws IOException {
    try (UrlFetcher fetcher = new UrlFetcher(LOOPBACK_OPENED); UrlFetcher.Download download = fetcher.open(base + "/hello", 100, TIMEOUT)) {
      assertThat(download.contentType()).contains("text/plain");
      assertThat(download.peek(2)).containsExactly('h', 'e');
      assertThat(new String(download.readAll(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
  }

  @Test
  void redirectsAreFollowedAndEachHopIsChecked() {
    assertThat(new String(fetch(LOOPBACK_OPENED, base + "/to-hello", 100), StandardCharsets.UTF_8)).isEqualTo("hello");
    int before = requests.get();
    assertThatThrownBy(() -> fetch(LOOPBACK_OPENED, base + "/to-other-loopback", 100))
        .hasMessageContaining("127.0.0.2 is not a public address");
    assertThat(requests.get() - before).as("only the redirecting request reached a server").isEqualTo(1);
  }

  @Test
  void endlessRedirectsStopAfterTheLimit() {
    assertThatThrownBy(() -> fetch(LOOPBACK_OPENED, base + "/loop", 100)).hasMessageContaining("more than 3 redirects");
    assertThat(requests).hasValue(4);
  }

  @Test
  void bodiesOverTheCapAreRefusedWhetherDeclaredOrNot() {
    for (String path : List.of("/big", "/big-chunked")) {
      assertThatThrownBy(() -> fetch(LOOPBACK_OPENED, base + path, 4096))
          .as(path)
          .isInstanceOf(RequestException.class)
          .extracting(e -> ((RequestException) e).kind()).isEqualTo(Kind.TOO_LARGE);
    }
    assertThat(fetch(LOOPBACK_OPENED, base + "/big-chunked", 5000)).hasSize(5000);
  }

  @Test
  void anErrorStatusIsReported() {
    assertThatThrownBy(() -> fetch(LOOPBACK_OPENED, base + "/missing", 100)).hasMessageContaining("answered HTTP 404");
  }

  @ParameterizedTest
  @ValueSource(strings = {"file:///etc/passwd", "ftp://example.org/x", "gopher://127.0.0.1:25/", "http:///nohost",
      "http://user:secret@example.org/", "not a url", "//example.org/x", ""})
  void onlyPlainHttpUrlsAreAccepted(String url) {
    assertThatThrownBy(() -> UrlFetcher.checkedUri(url))
        .isInstanceOf(RequestException.class)
        .extracting(e -> ((RequestException) e).kind()).isEqualTo(Kind.INVALID);
  }
}
