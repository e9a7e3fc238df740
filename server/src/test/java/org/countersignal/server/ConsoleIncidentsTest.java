package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incidents in the console without a browser: who may sign in to them, who sees which forms,
 * what each role's posts do, and how the service's refusals are shown.
 */
class ConsoleIncidentsTest {

  static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  static final String PASSWORD = "a long coordinator password";

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static ConsoleClient signedIn(String key) {
    ConsoleClient client = new ConsoleClient(server.port());
    assertThat(client.signInWithKey(key).status()).isEqualTo(303);
    return client;
  }

  static Map<String, String> form(String csrf, String... pairs) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("csrf", csrf);
    for (int i = 0; i < pairs.length; i += 2) {
      form.put(pairs[i], pairs[i + 1]);
    }
    return form;
  }

  static long declared(String name) {
    Api.Response made = api.post("/api/v1/incidents", admin, "{\"name\":\"" + name + "\",\"kind\":\"manifesto\",\"level\":\"content_incident\"}");
    assertThat(made.status()).as(made.header()).isEqualTo(201);
    return made.json().get("id").asLong();
  }

  @Test
  void aCoordinatorAccountSignsInToTheIncidentsAndNotToTheQueue() {
    Api.Response user = api.post("/api/v1/users", admin, "{\"username\":\"morgan\",\"password\":\"" + PASSWORD + "\",\"role\":\"coordinator\"}");
    assertThat(user.status()).as(user.header()).isEqualTo(201);
    assertThat(user.json().get("role").asText()).isEqualTo("coordinator");

    ConsoleClient coordinator = new ConsoleClient(server.port());
    ConsoleClient.Page signedIn = coordinator.signIn("morgan", PASSWORD);
    assertThat(signedIn.status()).isEqualTo(303);
    assertThat(signedIn.header("location")).isEqualTo("/console/incidents");
    assertThat(coordinator.get("/console").header("location")).isEqualTo("/console/incidents");

    ConsoleClient.Page incidents = coordinator.get("/console/incidents");
    assertThat(incidents.status()).isEqualTo(200);
    assertThat(incidents.body()).contains("id=\"declare-incident\"").contains("href=\"/console/incidents\"")
        .doesNotContain("href=\"/console/queue\"").doesNotContain("href=\"/console/users\"");
    // As through the API: a coordinator reads rules and exchanges, and works no cases.
    assertThat(coordinator.get("/console/queue").status()).isEqualTo(403);
    assertThat(coordinator.get("/console/rules").status()).isEqualTo(200);
    assertThat(coordinator.get("/console/rules").body()).doesNotContain("id=\"new-rule\"");
    assertThat(coordinator.get("/console/exchanges").status()).isEqualTo(200);
    assertThat(coordinator.get("/console/users").status()).isEqualTo(403);

    // An admin may make coordinators in the console too.
    ConsoleClient adminConsole = signedIn(admin);
    ConsoleClient.Page users = adminConsole.get("/console/users");
    assertThat(users.body()).contains("<option value=\"coordinator\">");
    assertThat(adminConsole.post("/console/users", form(users.csrf(), "username", "robin", "password", PASSWORD, "role", "coordinator"))
        .status()).isEqualTo(303);
    ConsoleClient robin = new ConsoleClient(server.port());
    assertThat(robin.signIn("robin", PASSWORD).header("location")).isEqualTo("/console/incidents");
  }

  @Test
  void aDeclaredIncidentIsChangedThroughTheConsoleWithTheServicesChecksAndAudit() {
    ConsoleClient coordinator = signedIn(TestServers.key(api, admin, "coordinator"));
    String csrf = coordinator.get("/console/incidents").csrf();

    // Refused: no name. The message is on the page and what was typed stays in the form.
    ConsoleClient.Page refused = coordinator.post("/console/incidents", form(csrf, "name", " ", "kind", "manifesto",
        "level", "content_incident", "region", "Harbour <City>", "sharing", "red"));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body()).contains("class=\"notice error\"").contains("an incident&#39;s name has 1 to 200 characters")
        .contains("value=\"Harbour &lt;City&gt;\"").contains("value=\"red\" checked");

    ConsoleClient.Page made = coordinator.post("/console/incidents", form(csrf, "name", "Harbour City attack", "kind", "attack_livestreamed",
        "level", "content_incident", "region", "Harbour City", "started_at", "2026-11-30T08:15", "description", "Streamed for 17 minutes.",
        "sharing", "red"));
    assertThat(made.status()).as(made.body()).isEqualTo(303);
    assertThat(made.header("location")).matches("/console/incidents\\?declared=\\d+");
    long id = Long.parseLong(made.header("location").replaceAll(".*=", ""));
    JsonNode incident = api.get("/api/v1/incidents/" + id, admin).json();
    assertThat(incident.get("status").asText()).isEqualTo("active");
    assertThat(incident.get("kind").asText()).isEqualTo("attack_livestreamed");
    assertThat(incident.get("started_at").asText()).isEqualTo("2026-11-30T08:15:00Z"); // the form's time is UTC
    assertThat(incident.get("sharing").asText()).isEqualTo("red");
    assertThat(coordinator.get(made.header("location")).body()).contains("Incident " + id + " declared.").contains("Harbour City attack");

    // A hash the signal type refuses; then one it takes.
    ConsoleClient.Page badHash = coordinator.post("/console/incidents/" + id + "/entries", form(csrf, "signal_type", "pdq",
        "signal", "not-a-hash", "note", "seen on a forum"));
    assertThat(badHash.status()).isEqualTo(422);
    assertThat(badHash.body()).contains("class=\"notice error\"").contains("value=\"not-a-hash\"").contains("value=\"seen on a forum\"");
    ConsoleClient.Page added = coordinator.post("/console/incidents/" + id + "/entries", form(csrf, "signal_type", "pdq", "signal", PDQ,
        "note", "first upload"));
    assertThat(added.status()).isEqualTo(303);
    long bank = incident.get("bank_id").asLong();
    JsonNode entry = api.get("/api/v1/banks/" + bank + "/entries", admin).json().at("/items/0");
    assertThat(entry.at("/signals/pdq").asText()).isEqualTo(PDQ);
    assertThat(entry.get("note").asText()).isEqualTo("first upload");
    assertThat(coordinator.get(added.header("location")).body()).contains("Added to the incident&#39;s bank as entry " + entry.get("id").asLong())
        .contains("1 entry");
    assertThat(coordinator.post("/console/incidents/" + id + "/entries", form(csrf, "signal_type", "pdq", "signal", PDQ)).status())
        .as("the bank has it already").isEqualTo(409);

    assertThat(coordinator.post("/console/incidents/" + id + "/level", form(csrf, "level", "content_incident_protocol")).status()).isEqualTo(303);
    assertThat(coordinator.post("/console/incidents/" + id + "/status", form(csrf, "status", "closed")).status()).isEqualTo(303);
    ConsoleClient.Page backwards = coordinator.post("/console/incidents/" + id + "/status", form(csrf, "status", "proposed"));
    assertThat(backwards.status()).isEqualTo(422);
    assertThat(backwards.body()).contains("an incident closed may become active, monitoring");
    incident = api.get("/api/v1/incidents/" + id, admin).json();
    assertThat(incident.get("level").asText()).isEqualTo("content_incident_protocol");
    assertThat(incident.get("status").asText()).isEqualTo("closed");
    ConsoleClient.Page page = coordinator.get("/console/incidents/" + id);
    assertThat(page.body()).contains("Level raised from content incident to CIP").contains("Closed").contains("id=\"status-active\"")
        .contains("Reopen").contains("id=\"charts\"");
    String row = "data-incident-id=\"" + id + "\"";
    assertThat(coordinator.get("/console/incidents?status=closed").body()).contains(row);
    assertThat(coordinator.get("/console/incidents?status=active").body()).doesNotContain(row);

    String audit = api.get("/api/v1/audit?limit=500", admin).body();
    assertThat(audit).contains("incident.declared").contains("incident.updated").contains("entry.created");
    assertThat(coordinator.post("/console/incidents/" + id + "/level", Map.of("level", "incident")).status()).as("no CSRF token").isEqualTo(403);
    assertThat(coordinator.get("/console/incidents/" + (id + 1000)).status()).isEqualTo(404);
    assertThat(coordinator.get("/console/incidents/abc").status()).isEqualTo(404);
    assertThat(new ConsoleClient(server.port()).get("/console/incidents/" + id + "/charts/matches.png").status()).as("no session").isEqualTo(401);
  }

  @Test
  void auditorsAndCuratorsReadIncidentsWithoutChangingThemAndReviewersDoNotSeeThem() {
    long id = declared("Manifesto of the Harbour City attacker");
    ConsoleClient auditor = signedIn(TestServers.key(api, admin, "auditor"));
    ConsoleClient.Page list = auditor.get("/console/incidents");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).contains("Manifesto of the Harbour City attacker").doesNotContain("id=\"declare-incident\"");
    ConsoleClient.Page detail = auditor.get("/console/incidents/" + id);
    assertThat(detail.status()).isEqualTo(200);
    assertThat(detail.body()).contains("id=\"timeline\"").contains("Declared as content incident: manifesto")
        .doesNotContain("id=\"change-level\"").doesNotContain("id=\"change-status\"").doesNotContain("id=\"add-hash\"");
    assertThat(auditor.get("/console/incidents/" + id + "/entries").status()).isEqualTo(200);
    String csrf = detail.csrf();
    assertThat(auditor.post("/console/incidents", form(csrf, "name", "x", "kind", "manifesto", "level", "incident")).status()).isEqualTo(403);
    assertThat(auditor.post("/console/incidents/" + id + "/level", form(csrf, "level", "incident")).status()).isEqualTo(403);
    assertThat(auditor.post("/console/incidents/" + id + "/status", form(csrf, "status", "closed")).status()).isEqualTo(403);
    assertThat(auditor.post("/console/incidents/" + id + "/entries", form(csrf, "signal_type", "pdq", "signal", PDQ)).status()).isEqualTo(403);
    JsonNode unchanged = api.get("/api/v1/incidents/" + id, admin).json();
    assertThat(unchanged.get("level").asText()).isEqualTo("content_incident");
    assertThat(unchanged.get("status").asText()).isEqualTo("active");

    // A curator neither declares nor changes an incident, but fills its bank as any bank (as through the API).
    ConsoleClient curator = signedIn(TestServers.key(api, admin, "curator"));
    ConsoleClient.Page curatorList = curator.get("/console/incidents");
    assertThat(curatorList.body()).doesNotContain("id=\"declare-incident\"");
    assertThat(curator.post("/console/incidents", form(curatorList.csrf(), "name", "x", "kind", "manifesto", "level", "incident")).status())
        .isEqualTo(403);
    assertThat(curator.post("/console/incidents/" + id + "/status", form(curatorList.csrf(), "status", "closed")).status()).isEqualTo(403);
    assertThat(curator.get("/console/incidents/" + id).body()).contains("id=\"add-hash\"").doesNotContain("id=\"change-level\"");
    assertThat(curator.post("/console/incidents/" + id + "/entries", form(curatorList.csrf(), "signal_type", "md5",
        "signal", "0123456789abcdef0123456789abcdef")).status()).isEqualTo(303);
    assertThat(api.get("/api/v1/banks/" + unchanged.get("bank_id").asLong() + "/entries", admin).json().get("items")).hasSize(1);

    ConsoleClient reviewer = signedIn(TestServers.key(api, admin, "reviewer"));
    assertThat(reviewer.get("/console/incidents").status()).isEqualTo(403);
    assertThat(reviewer.get("/console/incidents/" + id).status()).isEqualTo(403);
    assertThat(reviewer.get("/console/queue").body()).doesNotContain("/console/incidents");
  }

  @Test
  void aProposalOffersAcceptAndDeclineAndNoOtherChange() {
    long id = declared("Threat against a school, shared");
    // As an incident a peer shared arrives: proposed, from another instance.
    try (Database database = TestServers.openDatabase(dataDir)) {
      database.jdbi().useHandle(h -> h.createUpdate("UPDATE incidents SET status = 'proposed', origin = 'peer-north' WHERE id = :id")
          .bind("id", id).execute());
    }
    ConsoleClient coordinator = signedIn(TestServers.key(api, admin, "coordinator"));
    ConsoleClient.Page page = coordinator.get("/console/incidents/" + id);
    assertThat(page.body()).contains("Shared by peer <strong>peer-north</strong>")
        .contains("action=\"/console/incidents/" + id + "/accept\"").contains("action=\"/console/incidents/" + id + "/decline\"")
        .doesNotContain("id=\"change-level\"").doesNotContain("id=\"change-status\"").doesNotContain("id=\"add-hash\"");
    ConsoleClient auditor = signedIn(TestServers.key(api, admin, "auditor"));
    assertThat(auditor.get("/console/incidents/" + id).body()).contains("Shared by peer").doesNotContain("/accept\"");
    // The service refuses a status change of a proposal, and the page says so.
    ConsoleClient.Page refused = coordinator.post("/console/incidents/" + id + "/status", form(page.csrf(), "status", "closed"));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body()).contains("class=\"notice error\"").contains("accept it first");
  }
}
