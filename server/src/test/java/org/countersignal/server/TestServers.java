package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.countersignal.server.config.ServerConfig;

/** Starts real servers for tests: a free port on localhost and an H2 file in the given folder. */
final class TestServers {

  private TestServers() {}

  static CountersignalServer start(Path dataDir) {
    return start(dataDir, ServerConfig.DEFAULT_MAX_UPLOAD_BYTES);
  }

  static CountersignalServer start(Path dataDir, long maxUploadBytes) {
    CountersignalServer server = CountersignalServer.start(
        ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dataDir).withMaxUploadBytes(maxUploadBytes));
    try {
      assertThat(server.awaitReady(Duration.ofSeconds(20))).as("indexes loaded").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return server;
  }

  /** Creates a key of {@code role} with the admin key and returns its secret. */
  static String key(Api api, String adminKey, String role) {
    Api.Response created = api.post("/api/v1/keys", adminKey, "{\"role\":\"" + role + "\",\"name\":\"test " + role + "\"}");
    assertThat(created.status()).as(created.header()).isEqualTo(201);
    return created.json().get("key").asText();
  }
}
