package org.countersignal.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.countersignal.cli.CliRun;
import org.countersignal.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {

  @TempDir Path dataDir;

  @Test
  void optionsOverrideEnvironmentWhichOverridesDefaults() {
    ServeCommand none = new ServeCommand();
    new CommandLine(none).parseArgs();
    assertThat(none.resolve(Map.of())).isEqualTo(ServerConfig.defaults());
    assertThat(none.resolve(Map.of()).port()).isEqualTo(8080);
    assertThat(none.resolve(Map.of()).dataDir()).isEqualTo(Path.of("data"));

    Map<String, String> env = Map.of("COUNTERSIGNAL_PORT", "9001", "COUNTERSIGNAL_DATA_DIR", "/srv/cs");
    ServerConfig fromEnv = none.resolve(env);
    assertThat(fromEnv.port()).isEqualTo(9001);
    assertThat(fromEnv.dataDir()).isEqualTo(Path.of("/srv/cs"));

    ServeCommand flags = new ServeCommand();
    new CommandLine(flags).parseArgs("--port", "9100", "--data-dir", "/tmp/x");
    ServerConfig both = flags.resolve(env);
    assertThat(both.port()).isEqualTo(9100);
    assertThat(both.dataDir()).isEqualTo(Path.of("/tmp/x"));
  }

  @Test
  void configurationFileSitsBetweenDefaultsAndEnvironment() throws Exception {
    Path file = dataDir.resolve("countersignal.properties");
    java.nio.file.Files.writeString(file, "port = 7000\ndata-dir = banks\nmax-upload-bytes = 1048576\n");
    ServeCommand fileOnly = new ServeCommand();
    new CommandLine(fileOnly).parseArgs("--config", file.toString());
    ServerConfig config = fileOnly.resolve(Map.of());
    assertThat(config.port()).isEqualTo(7000);
    assertThat(config.dataDir()).as("relative to the file's folder").isEqualTo(dataDir.toAbsolutePath().resolve("banks"));
    assertThat(config.maxUploadBytes()).isEqualTo(1048576);
    assertThat(fileOnly.resolve(Map.of("COUNTERSIGNAL_PORT", "7001")).port()).isEqualTo(7001);

    ServeCommand viaEnv = new ServeCommand();
    new CommandLine(viaEnv).parseArgs("--port", "7002");
    ServerConfig both = viaEnv.resolve(Map.of("COUNTERSIGNAL_CONFIG", file.toString()));
    assertThat(both.port()).isEqualTo(7002);
    assertThat(both.maxUploadBytes()).isEqualTo(1048576);
  }

  @Test
  void unknownSettingInTheConfigurationFileIsRefused() throws Exception {
    Path file = dataDir.resolve("typo.properties");
    java.nio.file.Files.writeString(file, "prot = 7000\n");
    CliRun run = CliRun.of("serve", "--config", file.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("unknown setting 'prot'");
  }

  @Test
  void badPortInTheEnvironmentIsRefused() {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> command.resolve(Map.of("COUNTERSIGNAL_PORT", "eighty")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("COUNTERSIGNAL_PORT");
  }

  @Test
  void serveIsACommandWithHelp() {
    CliRun run = CliRun.of("serve", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--port", "--data-dir", "COUNTERSIGNAL_PORT");
  }

  @Test
  void writesTheAdminKeyToAnOwnerOnlyFileOnTheFirstStartOnlyAndTheKeyWorks() throws Exception {
    ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dataDir);
    Path keyFile = dataDir.resolve("initial-admin-key");
    String first = runUntilListening(config, false, true);
    assertThat(first).as("the key stays out of standard error").doesNotContain("cs_")
        .contains("wrote it to " + keyFile.toAbsolutePath()).contains("cat " + keyFile.toAbsolutePath());
    String key = Files.readString(keyFile).strip();
    assertThat(key).matches("cs_[A-Za-z0-9_-]{43}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    Files.delete(keyFile);

    String second = runUntilListening(config, false, false);
    assertThat(second).contains("listening on").doesNotContain("admin API key").doesNotContain("cs_");
    assertThat(keyFile).doesNotExist();

    String recovery = runUntilListening(config, true, true);
    assertThat(recovery).doesNotContain("cs_");
    String another = Files.readString(keyFile).strip();
    assertThat(another).matches("cs_[A-Za-z0-9_-]{43}").isNotEqualTo(key);
  }

  @Test
  void aTakenPortIsAClearErrorAndMakesNoKeyThatWouldBeLost() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      CliRun run = CliRun.of("serve", "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()),
          "--data-dir", dataDir.toString());
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).contains("cannot start").doesNotContain("cs_");
    }
    assertThat(dataDir.resolve("initial-admin-key")).doesNotExist();
    // The next start is the first one that succeeds, so it makes the key and writes it.
    ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(dataDir);
    assertThat(runUntilListening(config, false, true)).contains("initial-admin-key");
    assertThat(Files.readString(dataDir.resolve("initial-admin-key"))).containsPattern("(?m)^cs_[A-Za-z0-9_-]{43}$");
  }

  /** Runs {@code serve}, checks the service answers (with the key written, if any), stops it, returns stderr. */
  private static String runUntilListening(ServerConfig config, boolean newAdminKey, boolean expectKey) throws Exception {
    StringWriter err = new StringWriter();
    PrintWriter writer = new PrintWriter(err, true);
    CountDownLatch stop = new CountDownLatch(1);
    Thread thread = new Thread(() -> {
      try {
        ServeCommand.serve(config, newAdminKey, writer, stop);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    thread.start();
    try {
      Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      String port = null;
      while (port == null && System.nanoTime() < deadline) {
        Matcher m = listening.matcher(err.toString());
        // The key's line follows the listening line; wait for it too on the first start.
        if (m.find() && (!expectKey || err.toString().contains("read it with"))) {
          port = m.group(1);
        } else {
          Thread.sleep(20);
        }
      }
      assertThat(port).as(err.toString()).isNotNull();
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> live = client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);
      Path keyFile = config.dataDir().resolve("initial-admin-key");
      if (expectKey) {
        String key = Files.readString(keyFile).strip();
        HttpResponse<String> banks = client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/banks"))
                .header("Authorization", "Bearer " + key).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(banks.statusCode()).isEqualTo(200);
      }
    } finally {
      stop.countDown();
      thread.join(30_000);
    }
    return err.toString();
  }
}
