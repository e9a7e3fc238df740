package org.countersignal.cli.serverkey;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.countersignal.cli.CliRun;
import org.countersignal.cli.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code countersignal server-key rotate} on a data directory, as an operator runs it with the server stopped. */
class ServerKeyCommandTest {

  @TempDir Path dataDir;

  @Test
  void rotatesTheKeyOfAStoppedServerAndTheServerStartsWithIt() throws Exception {
    String admin;
    String publicKey;
    try (RunningServer server = RunningServer.start(dataDir, null)) {
      admin = server.adminKey();
      publicKey = server.get("/api/v1/federation/key").get("public_key").asText();
    }
    byte[] oldKey = Files.readAllBytes(dataDir.resolve("secret.key"));

    CliRun run = CliRun.of("server-key", "rotate", "--data-dir", dataDir.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode result = new ObjectMapper().readTree(run.out());
    assertThat(result.get("instance_keys").asInt()).isEqualTo(1);
    assertThat(result.get("resumed").asBoolean()).isFalse();
    assertThat(Files.readAllBytes(dataDir.resolve("secret.key"))).isNotEqualTo(oldKey);
    assertThat(Files.readAllBytes(dataDir.resolve("secret.key.previous"))).isEqualTo(oldKey);

    Files.delete(dataDir.resolve("secret.key.previous"));
    try (RunningServer server = RunningServer.start(dataDir, admin)) {
      assertThat(server.get("/api/v1/federation/key").get("public_key").asText()).isEqualTo(publicKey);
      assertThat(server.get("/api/v1/audit?limit=1000").toString()).contains("server_key.rotated");
    }
  }

  @Test
  void aMissingKeyOrAServerHoldingTheDataDirectoryIsAClearRefusal() throws Exception {
    CliRun nothing = CliRun.of("server-key", "rotate", "--data-dir", dataDir.toString());
    assertThat(nothing.exitCode()).isEqualTo(1);
    assertThat(nothing.err()).contains("no server key at");

    try (RunningServer first = RunningServer.start(dataDir, null)) {
      // only to create the database and its key
    }
    byte[] key = Files.readAllBytes(dataDir.resolve("secret.key"));
    Process serve = RunningServer.serveInAnotherProcess(dataDir);
    try {
      CliRun busy = CliRun.of("server-key", "rotate", "--data-dir", dataDir.toString());
      assertThat(busy.exitCode()).isEqualTo(1);
      assertThat(busy.err()).contains("is in use by a running server; stop it first");
      assertThat(Files.readAllBytes(dataDir.resolve("secret.key"))).as("nothing written").isEqualTo(key);
      assertThat(dataDir.resolve("secret.key.next")).doesNotExist();
    } finally {
      serve.destroy();
      serve.waitFor();
    }
  }
}
