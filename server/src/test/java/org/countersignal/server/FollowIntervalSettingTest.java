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

/** follow-interval: how often the indexes poll for other replicas' changes; 1 s unless set, down to milliseconds. */
class FollowIntervalSettingTest {

  @TempDir Path dir;

  @Test
  void defaultsToOneSecond() {
    assertThat(ServerConfig.defaults().followInterval()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void readFromTheFileAndTheEnvironment() throws Exception {
    Path file = dir.resolve("server.properties");
    Files.writeString(file, "follow-interval = 10m\n");
    assertThat(ServerConfig.fromFile(ServerConfig.defaults(), file).followInterval()).isEqualTo(Duration.ofMinutes(10));
    Files.writeString(file, "follow-interval = PT0.25S\n");
    assertThat(ServerConfig.fromFile(ServerConfig.defaults(), file).followInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(ServerConfig.fromEnvironment(Map.of(ServerConfig.ENV_FOLLOW_INTERVAL, " 500ms ")).followInterval())
        .isEqualTo(Duration.ofMillis(500));
    assertThat(ServerConfig.fromEnvironment(Map.of(ServerConfig.ENV_FOLLOW_INTERVAL, "5s")).followInterval())
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void badValuesAreRefusedWithTheSettingNamed() throws Exception {
    Path file = dir.resolve("server.properties");
    Files.writeString(file, "follow-interval = often\n");
    assertThatThrownBy(() -> ServerConfig.fromFile(ServerConfig.defaults(), file))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("follow-interval");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of(ServerConfig.ENV_FOLLOW_INTERVAL, "0ms")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ServerConfig.ENV_FOLLOW_INTERVAL).hasMessageContaining("1 ms");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of(ServerConfig.ENV_FOLLOW_INTERVAL, "PT-1S")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ServerConfig.ENV_FOLLOW_INTERVAL);
  }
}
