package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Action rules managed from the console: the same rules, checks and audit as through the API. */
class ConsoleRulesTest {

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

  @Test
  void aCuratorAddsSwitchesOffAndDeletesARule() {
    long bank = api.post("/api/v1/banks", admin, "{\"name\":\"console-rules\"}").json().get("id").asLong();
    ConsoleClient curator = signedIn(TestServers.key(api, admin, "curator"));
    ConsoleClient.Page page = curator.get("/console/rules");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("No rules yet").contains("id=\"new-rule\"");

    // A refusal from the rules service is shown, and what was entered stays in the form.
    ConsoleClient.Page refused = curator.post("/console/rules", form(page.csrf(), "name", "threats", "action", "remove",
        "labels", "no_such_label", "banks", Long.toString(bank)));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body()).contains("no_such_label").contains("value=\"threats\"");

    ConsoleClient.Page added = curator.post("/console/rules", form(page.csrf(), "name", "manifestos after review", "action", "remove",
        "review_first", "on", "priority", "20", "labels", "attacker_manifesto", "banks", Long.toString(bank), "max_distance", "20"));
    assertThat(added.status()).isEqualTo(303);
    JsonNode rule = api.get("/api/v1/rules", admin).json().get("items").get(0);
    assertThat(rule.get("name").asText()).isEqualTo("manifestos after review");
    assertThat(rule.get("review_first").asBoolean()).isTrue();
    assertThat(rule.get("priority").asInt()).isEqualTo(20);
    assertThat(rule.at("/conditions/labels/0").asText()).isEqualTo("attacker_manifesto");
    assertThat(rule.at("/conditions/max_distance").asInt()).isEqualTo(20);
    long id = rule.get("id").asLong();
    assertThat(curator.get("/console/rules").body()).contains("manifestos after review").contains("after review");

    assertThat(curator.post("/console/rules/" + id + "/disable", form(page.csrf())).status()).isEqualTo(303);
    assertThat(api.get("/api/v1/rules/" + id, admin).json().get("enabled").asBoolean()).isFalse();
    assertThat(curator.post("/console/rules/" + id + "/delete", Map.of()).status()).as("no CSRF token").isEqualTo(403);
    assertThat(curator.post("/console/rules/" + id + "/delete", form(page.csrf())).status()).isEqualTo(303);
    assertThat(api.get("/api/v1/rules/" + id, admin).status()).isEqualTo(404);

    String audit = api.get("/api/v1/audit?limit=500", admin).body();
    assertThat(audit).contains("rule.created").contains("rule.updated").contains("rule.deleted");
  }

  @Test
  void auditorsReadRulesAndReviewersDoNotManageThem() {
    ConsoleClient auditor = signedIn(TestServers.key(api, admin, "auditor"));
    ConsoleClient.Page read = auditor.get("/console/rules");
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body()).doesNotContain("id=\"new-rule\"");
    assertThat(auditor.post("/console/rules", form(read.csrf(), "name", "x", "action", "remove")).status()).isEqualTo(403);

    ConsoleClient reviewer = signedIn(TestServers.key(api, admin, "reviewer"));
    assertThat(reviewer.get("/console/rules").status()).isEqualTo(403);
    assertThat(reviewer.get("/console/queue").body()).doesNotContain("/console/rules");
  }
}
