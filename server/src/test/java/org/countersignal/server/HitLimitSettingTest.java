package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.countersignal.server.config.ServerConfig;
import org.countersignal.server.match.HitLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** max-hits-per-query, -response and -batch: 100, 1,000 and 10,000 unless set in the file or the environment. */
class HitLimitSettingTest {

  @TempDir Path dir;

  @Test
  void defaults() {
    assertThat(ServerConfig.defaults().hitLimits()).isEqualTo(new HitLimits(100, 1_000, 10_000));
  }

  @Test
  void readFromTheFileAndTheEnvironment() throws Exception {
    Path file = dir.resolve("server.properties");
    Files.writeString(file, "max-hits-per-query = 20\nmax-hits-per-response = 200\nmax-hits-per-batch = 2000\n");
    assertThat(ServerConfig.fromFile(ServerConfig.defaults(), file).hitLimits()).isEqualTo(new HitLimits(20, 200, 2_000));
    ServerConfig fromEnv = ServerConfig.fromEnvironment(Map.of(ServerConfig.ENV_MAX_HITS_PER_QUERY, " 5 ",
        ServerConfig.ENV_MAX_HITS_PER_BATCH, "50"));
    assertThat(fromEnv.hitLimits()).isEqualTo(new HitLimits(5, 1_000, 50));
  }

  @Test
  void badValuesAreRefusedWithTheSettingNamed() throws Exception {
    Path file = dir.resolve("server.properties");
    Files.writeString(file, "max-hits-per-response = 0\n");
    assertThatThrownBy(() -> ServerConfig.fromFile(ServerConfig.defaults(), file))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-hits-per-response");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of(ServerConfig.ENV_MAX_HITS_PER_QUERY, "many")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ServerConfig.ENV_MAX_HITS_PER_QUERY);
  }
}
