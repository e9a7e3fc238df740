package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.countersignal.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** content-retention: 183 days unless set, from the file or the environment, in ISO-8601 or days. */
class ContentRetentionSettingTest {

  @TempDir Path dir;

  @Test
  void defaultsToSixMonths() {
    assertThat(ServerConfig.defaults().contentRetention()).isEqualTo(Duration.ofDays(183));
  }

  @Test
  void readFromTheFileAndTheEnvironment() throws Exception {
    Path file = dir.resolve("server.properties");
    Files.writeString(file, "content-retention = P200D\n");
    assertThat(ServerConfig.fromFile(ServerConfig.defaults(), file).contentRetention()).isEqualTo(Duration.ofDays(200));
    Files.writeString(file, "content-retention = 365d\n");
    assertThat(ServerConfig.fromFile(ServerConfig.defaults(), file).contentRetention()).isEqualTo(Duration.ofDays(365));
    assertThat(ServerConfig.fromEnvironment(Map.of(ServerConfig.ENV_CONTENT_RETENTION, "PT12H")).contentRetention())
        .isEqualTo(Duration.ofHours(12));
    assertThat(ServerConfig.fromEnvironment(Map.of(ServerConfig.ENV_CONTENT_RETENTION, " 190d ")).contentRetention())
        .isEqualTo(Duration.ofDays(190));
  }

  @Test
  void badValuesAreRefusedWithTheSettingNamed() throws Exception {
    Path file = dir.resolve("server.properties");
    Files.writeString(file, "content-retention = six months\n");
    assertThatThrownBy(() -> ServerConfig.fromFile(ServerConfig.defaults(), file))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("content-retention");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of(ServerConfig.ENV_CONTENT_RETENTION, "0d")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of(ServerConfig.ENV_CONTENT_RETENTION, "P-5D")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ServerConfig.ENV_CONTENT_RETENTION);
  }
}
