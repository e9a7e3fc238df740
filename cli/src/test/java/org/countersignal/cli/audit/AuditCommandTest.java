package org.countersignal.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.countersignal.cli.CliRun;
import org.countersignal.cli.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code countersignal audit verify-archive}: an auditor's check of an archive file, away from the server. */
class AuditCommandTest {

  @TempDir Path dataDir;
  @TempDir Path files;

  @Test
  void anExportedArchiveVerifiesWithTheServersKeyAndAnEditedOneDoesNot() throws Exception {
    Path archive = files.resolve("audit.jsonl");
    String lastChain;
    try (RunningServer server = RunningServer.start(dataDir, null)) {
      server.post("/api/v1/banks", "{\"name\":\"archived\"}");
      JsonNode sealed = server.post("/api/v1/audit/seal", null).get("sealed");
      JsonNode newest = sealed.isEmpty() ? server.get("/api/v1/audit/verification").get("last") : sealed.get(sealed.size() - 1);
      lastChain = newest.get("chain_sha256").asText();
      HttpResponse<Path> export = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/audit/archive?through_seal=" + newest.get("seq").asLong()))
              .header("Authorization", "Bearer " + server.adminKey()).build(),
          HttpResponse.BodyHandlers.ofFile(archive));
      assertThat(export.statusCode()).isEqualTo(200);
    }

    CliRun ok = CliRun.of("audit", "verify-archive", archive.toString(), "--secret-key-file", dataDir.resolve("secret.key").toString());
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    JsonNode result = new ObjectMapper().readTree(ok.out());
    assertThat(result.get("intact").asBoolean()).isTrue();
    assertThat(result.get("from_seal").asLong()).isEqualTo(1);
    assertThat(result.get("last_chain_sha256").asText()).isEqualTo(lastChain);

    Files.writeString(archive, Files.readString(archive).replace("\"action\":\"bank.created\"", "\"action\":\"bank.updated\""));
    CliRun edited = CliRun.of("audit", "verify-archive", archive.toString());
    assertThat(edited.exitCode()).isEqualTo(1);
    assertThat(edited.err()).contains("the archive does not verify: 1 problem(s)");
    assertThat(edited.out()).contains("its records are not the ones sealed");

    CliRun missing = CliRun.of("audit", "verify-archive", files.resolve("none.jsonl").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("no such file");
  }
}
