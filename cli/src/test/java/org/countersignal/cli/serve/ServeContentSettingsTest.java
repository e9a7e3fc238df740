package org.countersignal.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.countersignal.cli.CliRun;
import org.countersignal.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The content settings of {@code serve}: networks opened to URL fetching, and video jobs. */
class ServeContentSettingsTest {

  @TempDir Path dir;

  @Test
  void defaultsFetchOnlyFromPublicAddressesAndHashOneVideoAtATime() throws Exception {
    ServeCommand none = new ServeCommand();
    new CommandLine(none).parseArgs();
    ServerConfig config = none.resolve(Map.of());
    assertThat(config.fetchAllowNetworks()).isEmpty();
    assertThat(config.jobSettings().workers()).isEqualTo(1);
    assertThat(config.jobSettings().maxVideoBytes()).isEqualTo(256L * 1024 * 1024);
  }

  @Test
  void fileThenEnvironment() throws Exception {
    Path file = dir.resolve("cs.properties");
    Files.writeString(file, "fetch-allow-networks = 10.20.0.0/16, [fd00::/8]:8443\nmax-video-bytes = 1000000\nvideo-workers = 2\n");
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs("--config", file.toString());
    ServerConfig fromFile = command.resolve(Map.of());
    assertThat(fromFile.fetchAllowNetworks()).hasSize(2);
    // A block without a port is opened on 80 and 443 only.
    assertThat(fromFile.fetchAllowNetworks().getFirst().contains(InetAddress.getByName("10.20.3.4"), 443)).isTrue();
    assertThat(fromFile.fetchAllowNetworks().getFirst().contains(InetAddress.getByName("10.20.3.4"), 5432)).isFalse();
    assertThat(fromFile.fetchAllowNetworks().get(1).contains(InetAddress.getByName("fd00::7"), 8443)).isTrue();
    assertThat(fromFile.fetchAllowNetworks().get(1).contains(InetAddress.getByName("fd00::7"), 443)).isFalse();
    assertThat(fromFile.jobSettings().maxVideoBytes()).isEqualTo(1_000_000);
    assertThat(fromFile.jobSettings().workers()).isEqualTo(2);

    ServerConfig fromEnv = command.resolve(Map.of("COUNTERSIGNAL_FETCH_ALLOW_NETWORKS", "192.168.7.0/24",
        "COUNTERSIGNAL_VIDEO_WORKERS", "0"));
    assertThat(fromEnv.fetchAllowNetworks()).hasSize(1);
    assertThat(fromEnv.fetchPolicy().allowedNetworks().getFirst().contains(InetAddress.getByName("192.168.7.9"), 80)).isTrue();
    assertThat(fromEnv.jobSettings().workers()).isZero();
  }

  @Test
  void aBadNetworkIsRefusedWithExitCode2() throws Exception {
    Path file = dir.resolve("cs.properties");
    Files.writeString(file, "fetch-allow-networks = intranet.example\n");
    CliRun run = CliRun.of("serve", "--data-dir", dir.toString(), "--config", file.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("intranet.example").contains("address block");
  }
}
