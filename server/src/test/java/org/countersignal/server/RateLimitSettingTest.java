package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.countersignal.server.auth.RateLimit;
import org.countersignal.server.auth.RateLimits;
import org.countersignal.server.auth.Role;
import org.countersignal.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rate-limits: the documented defaults unless set; from the file or the environment, per role. */
class RateLimitSettingTest {

  @TempDir Path dir;

  @Test
  void defaultsLeaveRoomForTheBenchmarkedMatchingRate() {
    RateLimits limits = ServerConfig.defaults().rateLimits();
    assertThat(limits.of(Role.MATCHER)).isEqualTo(new RateLimit(20_000, 40_000));
    assertThat(limits.of(Role.ADMIN)).isEqualTo(new RateLimit(20_000, 40_000));
    assertThat(limits.of(Role.CURATOR)).isEqualTo(new RateLimit(1_000, 2_000));
    assertThat(limits.of(Role.REVIEWER)).isEqualTo(new RateLimit(100, 200));
    assertThat(limits.of(Role.AUDITOR)).isEqualTo(new RateLimit(100, 200));
  }

  @Test
  void readFromTheFileAndTheEnvironment() throws Exception {
    Path file = dir.resolve("server.properties");
    Files.writeString(file, "rate-limits = matcher=5000/8000, curator=50\n");
    RateLimits fromFile = ServerConfig.fromFile(ServerConfig.defaults(), file).rateLimits();
    assertThat(fromFile.of(Role.MATCHER)).isEqualTo(new RateLimit(5_000, 8_000));
    assertThat(fromFile.of(Role.CURATOR)).isEqualTo(new RateLimit(50, 100));
    assertThat(fromFile.of(Role.ADMIN)).isEqualTo(RateLimits.DEFAULT.of(Role.ADMIN));
    RateLimits fromEnv = ServerConfig.fromEnvironment(Map.of(ServerConfig.ENV_RATE_LIMITS, "admin=unlimited,reviewer=0.5")).rateLimits();
    assertThat(fromEnv.of(Role.ADMIN).unlimited()).isTrue();
    assertThat(fromEnv.of(Role.REVIEWER)).isEqualTo(new RateLimit(0.5, 1));
  }

  @Test
  void badValuesAreRefusedWithTheSettingNamed() throws Exception {
    Path file = dir.resolve("server.properties");
    Files.writeString(file, "rate-limits = matchers=10\n");
    assertThatThrownBy(() -> ServerConfig.fromFile(ServerConfig.defaults(), file))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rate-limits");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of(ServerConfig.ENV_RATE_LIMITS, "matcher=fast")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ServerConfig.ENV_RATE_LIMITS);
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of(ServerConfig.ENV_RATE_LIMITS, "matcher=-1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("per_second");
    assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of(ServerConfig.ENV_RATE_LIMITS, "matcher=10/0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("burst");
  }
}
