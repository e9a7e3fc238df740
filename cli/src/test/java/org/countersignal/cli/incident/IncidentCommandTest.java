package org.countersignal.cli.incident;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.countersignal.cli.CliRun;
import org.countersignal.cli.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code countersignal incident}: against a real server, with the keys of the people who run incidents. */
class IncidentCommandTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  // A photograph-like test image of the signals module (the build runs each module's tests in its folder).
  static final Path IMAGE = Path.of("../signals/src/test/resources/images/shapes-ycck-source.png");
  // Nothing listens there: a command that sent anything would fail to connect (exit 1), not refuse its input (exit 2).
  static final String NOWHERE = "http://127.0.0.1:9";

  @TempDir Path dir;

  static CliRun as(RunningServer server, String key, String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of("--server", server.url(), "--key", key));
    return CliRun.of(all.toArray(String[]::new));
  }

  static CliRun ok(RunningServer server, String key, String... command) {
    CliRun run = as(server, key, command);
    assertThat(run.exitCode()).as(String.join(" ", command) + ": " + run.err()).isZero();
    return run;
  }

  static String newKey(RunningServer server, String role) {
    return ok(server, server.adminKey(), "key", "create", "--role", role).out().strip();
  }

  static List<JsonNode> jsonLines(String out) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  static CliRun offline(String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of("--server", NOWHERE, "--key", "cs_x"));
    return CliRun.of(all.toArray(String[]::new));
  }

  @Test
  void aCoordinatorDeclaresFillsRaisesAndClosesAnIncidentWhoseTimelineTellsEachStep() throws Exception {
    assertThat(IMAGE).as("the test image").isRegularFile();
    try (RunningServer server = RunningServer.start(dir.resolve("data"), null)) {
      String coordinator = newKey(server, "coordinator");

      CliRun declared = ok(server, coordinator, "incident", "declare", "Harbour attack", "--kind", "attack_livestreamed",
          "--level", "content_incident", "--region", "Harbourside", "--started-at", "2019-03-15T01:40:00Z",
          "--description", "Livestream of the attack.\nCopies on two video sites.", "--sharing", "red");
      JsonNode stored = server.get("/api/v1/incidents/1");
      long bank = stored.get("bank_id").asLong();
      assertThat(stored.get("level").asText()).isEqualTo("content_incident");
      assertThat(stored.get("sharing").asText()).isEqualTo("red");
      assertThat(stored.get("started_at").asText()).startsWith("2019-03-15T01:40");
      assertThat(declared.out()).startsWith("incident 1: Harbour attack\n").containsPattern("kind\\s+attack_livestreamed")
          .containsPattern("level\\s+content_incident\n").containsPattern("status\\s+active")
          .containsPattern("region\\s+Harbourside").containsPattern("started\\s+2019-03-15T01:40:00Z")
          .containsPattern("bank\\s+" + bank + ", sharing red, no labels").containsPattern("origin\\s+declared here")
          .containsPattern("description\\s+Livestream of the attack.\n\\s+Copies on two video sites.");
      assertThat(declared.err()).contains("incident 1 declared, with bank " + bank, "incident add 1");

      CliRun list = ok(server, coordinator, "incident", "list");
      assertThat(list.lines()[0]).containsSubsequence("ID", "NAME", "KIND", "LEVEL", "STATUS", "REGION", "DECLARED");
      assertThat(list.lines()[1])
          .matches("1\\s+Harbour attack\\s+attack_livestreamed\\s+content_incident\\s+active\\s+Harbourside\\s+\\S+Z");
      assertThat(jsonLines(ok(server, coordinator, "incident", "list", "--json").out()))
          .extracting(incident -> incident.get("name").asText()).containsExactly("Harbour attack");
      assertThat(ok(server, coordinator, "incident", "list", "--status", "closed").out()).as("none closed yet").isEmpty();

      CliRun added = ok(server, coordinator, "incident", "add", "1", "--signal", "pdq=" + PDQ, "--file", IMAGE.toString(),
          "--note", "first copies");
      assertThat(added.lines()).hasSize(2);
      assertThat(added.lines()[0]).matches("entry \\d+: pdq=" + PDQ);
      assertThat(added.lines()[1]).startsWith("entry 2 (" + IMAGE + "): ").containsPattern("pdq=[0-9a-f]{64}")
          .containsPattern("md5=[0-9a-f]{32}").containsPattern("sha256=[0-9a-f]{64}");
      JsonNode entries = server.get("/api/v1/banks/" + bank + "/entries").get("items");
      assertThat(entries).hasSize(2);
      assertThat(entries).extracting(entry -> entry.get("note").asText()).containsOnly("first copies");
      assertThat(entries).extracting(entry -> entry.get("signals").get("pdq").asText()).contains(PDQ);
      String imagePdq = added.lines()[1].replaceFirst(".*pdq=([0-9a-f]{64}).*", "$1");
      String imageMd5 = added.lines()[1].replaceFirst(".*md5=([0-9a-f]{32}).*", "$1");
      assertThat(server.post("/api/v1/match", "{\"signals\":{\"pdq\":\"" + imagePdq + "\"}}").get("matches"))
          .as("the uploaded image's copies match the incident's bank").isNotEmpty();

      CliRun raised = ok(server, coordinator, "incident", "level", "1", "content_incident_protocol");
      assertThat(raised.out()).containsPattern("level\\s+content_incident_protocol");
      assertThat(raised.err()).contains("incident 1 level: content_incident -> content_incident_protocol");

      CliRun updated = ok(server, coordinator, "incident", "update", "1", "--name", "Harbour attack, 15 March");
      assertThat(updated.out()).startsWith("incident 1: Harbour attack, 15 March\n");
      assertThat(server.get("/api/v1/incidents/1").get("region").asText()).as("what update did not give stays").isEqualTo("Harbourside");

      CliRun closed = ok(server, coordinator, "incident", "close", "1");
      assertThat(closed.out()).containsPattern("status\\s+closed").containsPattern("closed\\s+\\S+Z");
      assertThat(closed.err()).contains("incident 1 status: active -> closed");
      assertThat(server.get("/api/v1/incidents/1").get("status").asText()).isEqualTo("closed");
      assertThat(ok(server, coordinator, "incident", "list", "--status", "closed").lines()).hasSize(2);

      CliRun timeline = ok(server, coordinator, "incident", "timeline", "1");
      String by = "\\(by key \\d+\\)";
      assertThat(timeline.lines()).hasSize(8);
      // The image's three signals, in whichever order its entry stored them.
      String imageSha256 = added.lines()[1].replaceFirst(".*sha256=([0-9a-f]{64}).*", "$1");
      assertThat(Arrays.stream(timeline.lines(), 2, 5).map(line -> line.replaceFirst("^\\S+Z  entry_added\\s+", "")).sorted())
          .containsExactly("added md5 " + imageMd5.substring(0, 16) + "…", "added pdq " + imagePdq.substring(0, 16) + "…",
              "added sha256 " + imageSha256.substring(0, 16) + "…");
      assertThat(timeline.lines()).satisfiesExactly(
          line -> assertThat(line).matches("\\S+Z  declared\\s+declared at level content_incident, attack_livestreamed; bank " + bank
              + ", sharing red " + by),
          line -> assertThat(line).matches("\\S+Z  entry_added\\s+added pdq " + PDQ.substring(0, 16) + "…"),
          line -> assertThat(line).contains("entry_added"),
          line -> assertThat(line).contains("entry_added"),
          line -> assertThat(line).contains("entry_added"),
          line -> assertThat(line).matches("\\S+Z  level_changed\\s+level content_incident -> content_incident_protocol " + by),
          line -> assertThat(line).matches("\\S+Z  changed\\s+changed name to 'Harbour attack, 15 March' " + by),
          line -> assertThat(line).matches("\\S+Z  closed\\s+closed, was active " + by));
      List<JsonNode> events = jsonLines(ok(server, coordinator, "incident", "timeline", "1", "--json").out());
      assertThat(events).extracting(event -> event.get("kind").asText()).containsExactly("declared", "entry_added", "entry_added",
          "entry_added", "entry_added", "level_changed", "changed", "closed");
      JsonNode shown = JSON.readTree(ok(server, coordinator, "incident", "show", "1", "--json").out());
      assertThat(shown.get("level").asText()).isEqualTo("content_incident_protocol");
      assertThat(shown.get("bank_id").asLong()).isEqualTo(bank);

      // The debrief kept at the closing: a PDF by default, JSON and HTML on request.
      Path pdf = dir.resolve("harbour.pdf");
      CliRun saved = ok(server, coordinator, "incident", "debrief", "1", "-o", pdf.toString());
      assertThat(new String(Files.readAllBytes(pdf), 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
      assertThat(saved.err()).contains("wrote " + pdf + " (" + Files.size(pdf) + " bytes): incident 1 debrief, as kept when it was closed");
      JsonNode debrief = JSON.readTree(ok(server, coordinator, "incident", "debrief", "1", "--format", "json", "-o", "-").out());
      assertThat(debrief.get("draft").asBoolean()).isFalse();
      assertThat(debrief.at("/incident/name").asText()).isEqualTo("Harbour attack, 15 March");
      assertThat(debrief.at("/figures/entries").asLong()).isEqualTo(2);
      assertThat(ok(server, coordinator, "incident", "debrief", "1", "--format", "html", "-o", "-").out())
          .contains("<h1>").contains("Harbour attack, 15 March");
      CliRun toTerminal = as(server, coordinator, "incident", "debrief", "1", "-o", "-");
      assertThat(toTerminal.exitCode()).isEqualTo(2);
      assertThat(toTerminal.err()).contains("a PDF is written to a file");
      assertThat(as(server, coordinator, "incident", "debrief", "9", "-o", dir.resolve("none.pdf").toString()).exitCode()).isEqualTo(2);
      assertThat(dir.resolve("none.pdf")).doesNotExist();

      // Reopened: copies resurfaced.
      CliRun reopened = ok(server, coordinator, "incident", "status", "1", "monitoring");
      assertThat(reopened.err()).contains("incident 1 status: closed -> monitoring");
      assertThat(server.get("/api/v1/incidents/1").get("closed_at").isNull()).isTrue();
      CliRun noRegion = ok(server, coordinator, "incident", "update", "1", "--region", "");
      assertThat(noRegion.out()).containsPattern("region\\s+-\n");
      String[] after = ok(server, coordinator, "incident", "timeline", "1").lines();
      assertThat(after[after.length - 1]).matches("\\S+Z  changed\\s+changed region cleared " + by);

      // Curators and auditors read incidents.
      String auditor = newKey(server, "auditor");
      assertThat(ok(server, auditor, "incident", "show", "1").out()).startsWith("incident 1: Harbour attack, 15 March\n");
    }
  }

  @Test
  void aKeyWhoseRoleMayNotIsRefusedWithTheServersReason() throws Exception {
    try (RunningServer server = RunningServer.start(dir.resolve("data"), null)) {
      ok(server, server.adminKey(), "incident", "declare", "Threat", "--kind", "threat_to_life", "--level", "incident");
      long bank = server.get("/api/v1/incidents/1").get("bank_id").asLong();
      String matcher = newKey(server, "matcher");

      CliRun list = as(server, matcher, "incident", "list");
      assertThat(list.exitCode()).isEqualTo(1);
      assertThat(list.err()).isEqualTo("countersignal incident list: the API key's role may not do this: the matcher role may not"
          + " GET /api/v1/incidents\n");
      CliRun declare = as(server, matcher, "incident", "declare", "Other", "--kind", "manifesto", "--level", "incident");
      assertThat(declare.exitCode()).isEqualTo(1);
      assertThat(declare.err()).contains("the matcher role may not POST /api/v1/incidents");
      CliRun add = as(server, matcher, "incident", "add", "1", "--signal", "pdq=" + PDQ);
      assertThat(add.exitCode()).isEqualTo(1);
      assertThat(add.err()).contains("the API key's role may not do this");

      // An auditor reads incidents but changes nothing.
      String auditor = newKey(server, "auditor");
      CliRun close = as(server, auditor, "incident", "close", "1");
      assertThat(close.exitCode()).isEqualTo(1);
      assertThat(close.err()).contains("the auditor role may not PATCH /api/v1/incidents/{id}");
      assertThat(server.get("/api/v1/incidents/1").get("status").asText()).isEqualTo("active");
      assertThat(server.get("/api/v1/banks/" + bank + "/entries").get("items")).isEmpty();
      assertThat(server.get("/api/v1/incidents").get("items")).hasSize(1);

      // A value only the server can judge: refused as bad input, with its words.
      CliRun future = as(server, server.adminKey(), "incident", "update", "1", "--started-at", "2999-01-01T00:00:00Z");
      assertThat(future.exitCode()).isEqualTo(2);
      assertThat(future.err()).contains("started_at: is in the future (HTTP 422)");
      CliRun unknown = as(server, server.adminKey(), "incident", "show", "7");
      assertThat(unknown.exitCode()).isEqualTo(2);
      assertThat(unknown.err()).contains("no incident 7 at " + server.url());
    }
  }

  @Test
  void badInputIsRefusedWithExitTwoBeforeAnythingIsSent() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("folder"));
    List<String[]> refused = List.of(
        new String[] {"incident", "declare", "X", "--kind", "attack_livestreamed", "--level", "severe"},
        new String[] {"incident", "declare", "X", "--kind", "shooting", "--level", "incident"},
        new String[] {"incident", "declare", "X", "--kind", "manifesto", "--level", "incident", "--sharing", "purple"},
        new String[] {"incident", "declare", "X", "--kind", "manifesto", "--level", "incident", "--started-at", "yesterday"},
        new String[] {"incident", "level", "1", "high"},
        new String[] {"incident", "status", "1", "proposed"},
        new String[] {"incident", "list", "--status", "open"},
        new String[] {"incident", "show", "harbour"},
        new String[] {"incident", "update", "1"},
        new String[] {"incident", "update", "1", "--level", "critical"},
        new String[] {"incident", "add", "1"},
        new String[] {"incident", "add", "1", "--signal", PDQ},
        new String[] {"incident", "add", "1", "--signal", "pdq=" + PDQ, "--signal", "pdq=" + PDQ},
        new String[] {"incident", "add", "1", "--file", dir.resolve("missing.png").toString()},
        new String[] {"incident", "add", "1", "--file", folder.toString()});
    for (String[] command : refused) {
      CliRun run = offline(command);
      assertThat(run.exitCode()).as(String.join(" ", command) + ": " + run.err()).isEqualTo(2);
      assertThat(run.err()).as(String.join(" ", command)).startsWith("countersignal incident ").doesNotContain("cannot reach");
    }

    assertThat(offline("incident", "declare", "X", "--kind", "manifesto", "--level", "severe").err())
        .contains("--level is one of incident, content_incident, content_incident_protocol (got 'severe')");
    assertThat(offline("incident", "level", "1", "high").err())
        .contains("LEVEL is one of incident, content_incident, content_incident_protocol (got 'high')");
    assertThat(offline("incident", "status", "1", "proposed").err()).contains("STATUS is one of active, monitoring, closed");
    assertThat(offline("incident", "add", "1", "--signal", "pdq=" + PDQ, "--signal", "pdq=" + PDQ).err())
        .contains("--signal pdq is given twice", "run add again");
    assertThat(offline("incident", "show", "harbour").err()).contains("an incident is named by its id");
    assertThat(offline("incident", "declare", "X", "--kind", "manifesto", "--level", "INCIDENT").err())
        .as("a good value goes on to the server, in any case").contains("cannot reach the server at " + NOWHERE);

    CliRun dataDir = CliRun.of("incident", "list", "--data-dir", dir.toString());
    assertThat(dataDir.exitCode()).isEqualTo(2);
    assertThat(dataDir.err()).contains("--data-dir is not taken here: incidents are run by a running server");
    assertThat(CliRun.of("incident").exitCode()).isEqualTo(2);
    assertThat(Arrays.asList(CliRun.of("incident", "--help").out().split("\\s+")))
        .contains("declare", "list", "show", "update", "level", "status", "close", "timeline", "add");
  }
}
