package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.countersignal.server.config.ServerConfig;
import org.countersignal.server.fetch.AllowedNetwork;
import org.countersignal.signals.testing.ConformanceData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * URLs the service refuses to fetch, over HTTP: the answer does not tell what an internal name
 * resolves to, ambiguous numeric hosts are refused before any lookup, and an opened network is
 * open on its ports only.
 */
class UrlRefusalTest {

  @TempDir static Path dataDir;
  static HttpServer content;
  static final AtomicInteger requests = new AtomicInteger();
  static int contentPort;
  static CountersignalServer server;
  static Api api;
  static String matcher;

  @BeforeAll
  static void start() throws IOException {
    byte[] photo = Files.readAllBytes(ConformanceData.directory("pdq").resolve("images/aaa-orig.jpg"));
    content = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    content.createContext("/photo.jpg", exchange -> {
      requests.incrementAndGet();
      exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
      exchange.sendResponseHeaders(200, photo.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(photo);
      }
    });
    content.start();
    contentPort = content.getAddress().getPort();
    // Loopback opened as a plain block: ports 80 and 443 only, not the content server's.
    server = TestServers.start(TestServers.config(dataDir).withFetchAllowNetworks(List.of(AllowedNetwork.parse("127.0.0.0/8"))));
    api = new Api(server.port());
    matcher = TestServers.key(api, server.initialAdminKey().orElseThrow(), "matcher");
  }

  @AfterAll
  static void stop() {
    server.close();
    content.stop(0);
  }

  private static Api.Response hash(Api client, String key, String url) {
    return client.post("/api/v1/hash/url", key, "{\"url\":\"" + url + "\"}");
  }

  @Test
  void aRefusedNameDoesNotRevealItsAddress() {
    int before = requests.get();
    for (String url : List.of("http://localhost:" + contentPort + "/photo.jpg", "http://localhost:22/photo.jpg",
        "http://169.254.169.254/latest/meta-data/")) {
      Api.Response refused = hash(api, matcher, url);
      assertThat(refused.status()).as(url).isEqualTo(422);
      String detail = refused.json().get("detail").asText();
      assertThat(detail).as(url).contains("the URL's host is not a public address");
      assertThat(detail).as(url).doesNotContain("127.0.0.1", "::1", "loopback", "link-local");
    }
    assertThat(requests.get()).isEqualTo(before);
  }

  @Test
  void aNameThatDoesNotResolveIsAnsweredAsAPrivateOneIs() {
    // Otherwise "unknown" and "not public" would tell a caller which internal names exist.
    String unknown = hash(api, matcher, "http://no-such-host.invalid/photo.jpg").json().get("detail").asText();
    String internal = hash(api, matcher, "http://localhost:22/photo.jpg").json().get("detail").asText();
    assertThat(unknown.replace("no-such-host.invalid", "HOST")).isEqualTo(internal.replace("localhost:22", "HOST"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0177.0.0.1", "0x7f.1", "0x7f000001", "2130706433", "127.1", "127.000.0.1", "127.0.0.1."})
  void ambiguousNumericHostsAreRefused(String host) {
    Api.Response refused = hash(api, matcher, "http://" + host + ":" + contentPort + "/photo.jpg");
    assertThat(refused.status()).as(host).isEqualTo(422);
    assertThat(refused.json().get("detail").asText()).as(host).contains("ambiguous form");
  }

  @Test
  void anOpenedNetworkIsOpenOnItsPortsOnly(@TempDir Path otherDir) {
    int before = requests.get();
    Api.Response otherPort = hash(api, matcher, "http://127.0.0.1:" + contentPort + "/photo.jpg");
    assertThat(otherPort.status()).isEqualTo(422);
    assertThat(requests.get()).as("the content server was not contacted").isEqualTo(before);

    ServerConfig withPort = TestServers.config(otherDir)
        .withFetchAllowNetworks(List.of(AllowedNetwork.parse("127.0.0.1/32:" + contentPort)));
    try (CountersignalServer opened = TestServers.start(withPort)) {
      Api openedApi = new Api(opened.port());
      String key = opened.initialAdminKey().orElseThrow();
      Api.Response fetched = hash(openedApi, key, "http://127.0.0.1:" + contentPort + "/photo.jpg");
      assertThat(fetched.status()).as(fetched.header()).isEqualTo(200);
      assertThat(fetched.json().at("/signals/pdq").asText()).hasSize(64);
    }
  }
}
