package org.countersignal.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.countersignal.cli.CliRun;
import org.countersignal.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The PostgreSQL settings of {@code serve}: where they come from, and clear refusals. */
class ServeDatabaseSettingsTest {

  @TempDir Path dir;

  static final String URL = "jdbc:postgresql://db.example:5432/countersignal";

  @Test
  void noUrlMeansTheEmbeddedDatabase() {
    ServeCommand none = new ServeCommand();
    new CommandLine(none).parseArgs();
    ServerConfig config = none.resolve(Map.of());
    assertThat(config.usesPostgresql()).isFalse();
    assertThat(config.databaseUrl()).isNull();
  }

  @Test
  void optionsOverEnvironmentOverFile() throws Exception {
    Path file = dir.resolve("cs.properties");
    Files.writeString(file, "database-url = " + URL + "\ndatabase-user = from_file\ndatabase-password = file secret\n");

    ServeCommand fileOnly = new ServeCommand();
    new CommandLine(fileOnly).parseArgs("--config", file.toString());
    ServerConfig fromFile = fileOnly.resolve(Map.of());
    assertThat(fromFile.usesPostgresql()).isTrue();
    assertThat(fromFile.databaseUrl()).isEqualTo(URL);
    assertThat(fromFile.databaseUser()).isEqualTo("from_file");
    assertThat(fromFile.databasePassword()).isEqualTo("file secret");

    Map<String, String> env = Map.of(
        "COUNTERSIGNAL_DATABASE_URL", "jdbc:postgresql://env-db/cs",
        "COUNTERSIGNAL_DATABASE_USER", "from_env",
        "COUNTERSIGNAL_DATABASE_PASSWORD", "env secret");
    ServerConfig fromEnv = fileOnly.resolve(env);
    assertThat(fromEnv.databaseUrl()).isEqualTo("jdbc:postgresql://env-db/cs");
    assertThat(fromEnv.databaseUser()).isEqualTo("from_env");
    assertThat(fromEnv.databasePassword()).isEqualTo("env secret");

    ServeCommand flags = new ServeCommand();
    new CommandLine(flags).parseArgs("--config", file.toString(), "--database-url", "jdbc:postgresql://flag-db/cs",
        "--database-user", "from_flag", "--database-password", "flag secret");
    ServerConfig fromFlags = flags.resolve(env);
    assertThat(fromFlags.databaseUrl()).isEqualTo("jdbc:postgresql://flag-db/cs");
    assertThat(fromFlags.databaseUser()).isEqualTo("from_flag");
    assertThat(fromFlags.databasePassword()).isEqualTo("flag secret");
  }

  @Test
  void thePasswordNeverAppearsInTheSettingsText() {
    ServerConfig config = ServerConfig.defaults()
        .withDatabaseUrl("jdbc:postgresql://db/cs?user=u&password=in-url-secret")
        .withDatabasePassword("option-secret");
    assertThat(config.toString()).contains("jdbc:postgresql://db/cs").doesNotContain("in-url-secret", "option-secret");
  }

  @Test
  void aUrlOfAnotherDatabaseIsRefusedWithExitCode2() {
    CliRun run = CliRun.of("serve", "--data-dir", dir.toString(), "--database-url", "jdbc:mysql://db/cs");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("jdbc:postgresql:");
  }

  @Test
  void anUnreachableDatabaseIsAClearErrorWithExitCode1() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    CliRun run = CliRun.of("serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", dir.toString(),
        "--database-url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/countersignal", "--database-user", "nobody");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("cannot start").doesNotContain("cs_");
  }

  @Test
  void helpListsTheDatabaseOptions() {
    CliRun run = CliRun.of("serve", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--database-url", "--database-user", "--database-password", "COUNTERSIGNAL_DATABASE_URL");
  }
}
