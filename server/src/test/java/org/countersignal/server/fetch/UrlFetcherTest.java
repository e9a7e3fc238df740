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

  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private String base;
  /** Opens 127.0.0.1 on the test server's port. */
  private FetchPolicy loopbackOpened;

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
    loopbackOpened = FetchPolicy.DEFAULT.withAllowedNetworks(List.of(AllowedNetwork.parse("127.0.0.1/32:" + server.getAddress().getPort())));
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
        .hasMessageContaining(UrlFetcher.REFUSED)
        .extracting(e -> ((RequestException) e).kind()).isEqualTo(Kind.INVALID);
    assertThatThrownBy(() -> fetch(FetchPolicy.DEFAULT, "http://localhost:" + server.getAddress().getPort() + "/hello", 1000))
        .hasMessageContaining("not a public address");
    assertThat(requests).hasValue(0);
  }

  @Test
  void theRefusalDoesNotTellWhatANameResolvesTo() {
    assertThatThrownBy(() -> fetch(FetchPolicy.DEFAULT, "http://localhost:" + server.getAddress().getPort() + "/hello", 1000))
        .isInstanceOf(RequestException.class)
        .hasMessageContaining(UrlFetcher.REFUSED)
        .hasMessageNotContaining("127.0.0.1")
        .hasMessageNotContaining("::1")
        .hasMessageNotContaining("loopback");
  }

  @Test
  void anOpenedNetworkIsRefusedOnOtherPorts() {
    FetchPolicy plainBlock = FetchPolicy.DEFAULT.withAllowedNetworks(List.of(AllowedNetwork.parse("127.0.0.0/8")));
    assertThatThrownBy(() -> fetch(plainBlock, base + "/hello", 1000)).hasMessageContaining(UrlFetcher.REFUSED);
    FetchPolicy otherPort = FetchPolicy.DEFAULT.withAllowedNetworks(
        List.of(AllowedNetwork.parse("127.0.0.1/32:" + (server.getAddress().getPort() == 65535 ? 65534 : server.getAddress().getPort() + 1))));
    assertThatThrownBy(() -> fetch(otherPort, base + "/hello", 1000)).hasMessageContaining(UrlFetcher.REFUSED);
    assertThat(requests).hasValue(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://0177.0.0.1/", "http://0x7f.1/", "http://0x7f000001/", "http://2130706433/", "http://127.1/",
      "http://127.000.0.1/", "http://127.0.0.01/", "http://10.0.1/", "http://127.0.0.1./", "http://1.2.3.4.5/", "http://256.0.0.1/",
      "http://foo.0x10/", "http://%31%32%37.0.0.1/", "https://017700000001:443/"})
  void ambiguousNumericHostsAreRefusedBeforeAnyLookup(String url) {
    assertThatThrownBy(() -> UrlFetcher.checkedUri(url))
        .as(url)
        .isInstanceOf(RequestException.class)
        .hasMessageContaining("ambiguous form")
        .extracting(e -> ((RequestException) e).kind()).isEqualTo(Kind.INVALID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://192.0.2.1/", "http://10.0.0.1:8080/x", "http://0.0.0.0/", "http://[::1]/", "http://[2001:db8::1]:443/",
      "http://example.org/", "http://3com.com/", "http://1.example/", "http://a.b.c.d.e/", "https://example.org./x"})
  void canonicalAddressesAndNamesPassTheFormCheck(String url) {
    assertThat(UrlFetcher.checkedUri(url)).isNotNull();
  }

  @Test
  void anOpenedNetworkIsFetchedWithTheContentType() throws IOException {
    try (UrlFetcher fetcher = new UrlFetcher(loopbackOpened); UrlFetcher.Download download = fetcher.open(base + "/hello", 100, TIMEOUT)) {
      assertThat(download.contentType()).contains("text/plain");
      assertThat(download.peek(2)).containsExactly('h', 'e');
      assertThat(new String(download.readAll(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
  }

  @Test
  void redirectsAreFollowedAndEachHopIsChecked() {
    assertThat(new String(fetch(loopbackOpened, base + "/to-hello", 100), StandardCharsets.UTF_8)).isEqualTo("hello");
    int before = requests.get();
    assertThatThrownBy(() -> fetch(loopbackOpened, base + "/to-other-loopback", 100))
        .hasMessageContaining(UrlFetcher.REFUSED);
    assertThat(requests.get() - before).as("only the redirecting request reached a server").isEqualTo(1);
  }

  @Test
  void endlessRedirectsStopAfterTheLimit() {
    assertThatThrownBy(() -> fetch(loopbackOpened, base + "/loop", 100)).hasMessageContaining("more than 3 redirects");
    assertThat(requests).hasValue(4);
  }

  @Test
  void bodiesOverTheCapAreRefusedWhetherDeclaredOrNot() {
    for (String path : List.of("/big", "/big-chunked")) {
      assertThatThrownBy(() -> fetch(loopbackOpened, base + path, 4096))
          .as(path)
          .isInstanceOf(RequestException.class)
          .extracting(e -> ((RequestException) e).kind()).isEqualTo(Kind.TOO_LARGE);
    }
    assertThat(fetch(loopbackOpened, base + "/big-chunked", 5000)).hasSize(5000);
  }

  @Test
  void anErrorStatusIsReported() {
    assertThatThrownBy(() -> fetch(loopbackOpened, base + "/missing", 100)).hasMessageContaining("answered HTTP 404");
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
