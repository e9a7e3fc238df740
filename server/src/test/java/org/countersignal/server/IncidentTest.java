package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crisis incidents over HTTP: a coordinator declares one with a bank of its own, changes its level
 * and status, fills its bank and nothing else; every change is audited and on the timeline; rules
 * act on its matches by its status, and a protected context still goes to review.
 */
class IncidentTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String coordinator;
  static String platform;
  static final Random RANDOM = new Random(17);

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    coordinator = TestServers.key(api, admin, "coordinator");
    platform = TestServers.key(api, admin, "matcher");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode declare(String key, String body) {
    Api.Response declared = api.post("/api/v1/incidents", key, body);
    assertThat(declared.status()).as(declared.header()).isEqualTo(201);
    return declared.json();
  }

  static JsonNode declare(String name) {
    return declare(coordinator, "{\"name\":\"" + name + "\",\"kind\":\"attack_livestreamed\",\"level\":\"incident\",\"region\":\"Oceania\"}");
  }

  static JsonNode patch(long id, String body) {
    Api.Response changed = api.patch("/api/v1/incidents/" + id, coordinator, body);
    assertThat(changed.status()).as(changed.header()).isEqualTo(200);
    return changed.json();
  }

  static List<String> timelineKinds(long id) {
    List<String> kinds = new ArrayList<>();
    api.get("/api/v1/incidents/" + id + "/timeline", coordinator).json().get("items").forEach(e -> kinds.add(e.get("kind").asText()));
    return kinds;
  }

  static String addPdq(long bankId, String pdq) {
    Api.Response entry = api.post("/api/v1/banks/" + bankId + "/entries", coordinator, "{\"signals\":{\"pdq\":\"" + pdq + "\"}}");
    assertThat(entry.status()).as(entry.header()).isEqualTo(201);
    return pdq;
  }

  static JsonNode submit(String pdq, String contentId, String context) {
    Api.Response match = api.post("/api/v1/match", platform, "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"content\":{\"id\":\"" + contentId
        + "\"" + (context == null ? "" : ",\"context\":\"" + context + "\"") + "}}");
    assertThat(match.status()).as(match.header()).isEqualTo(200);
    return match.json().get("submission");
  }

  @Test
  void aCoordinatorDeclaresAnIncidentWithABankOfItsOwnAndEachChangeIsAuditedAndOnTheTimeline() {
    JsonNode incident = declare(coordinator, "{\"name\":\"Attack streamed live\",\"kind\":\"attack_livestreamed\","
        + "\"level\":\"content_incident\",\"region\":\"Oceania\",\"started_at\":\"2026-12-01T01:40:00+13:00\","
        + "\"description\":\"A livestreamed attack on two mosques.\"}");
    long id = incident.get("id").asLong();
    assertThat(incident.get("status").asText()).isEqualTo("active");
    assertThat(incident.get("started_at").asText()).isEqualTo("2026-11-30T12:40:00Z");
    assertThat(incident.get("sharing").asText()).isEqualTo("amber");
    JsonNode bank = api.get("/api/v1/banks/" + incident.get("bank_id").asLong(), admin).json();
    assertThat(bank.get("name").asText()).isEqualTo("incident " + id + ": Attack streamed live");
    assertThat(bank.get("flood_guard").asBoolean()).as("a crisis is a flood: its bank is not held back").isFalse();

    assertThat(patch(id, "{\"level\":\"content_incident_protocol\"}").get("level").asText()).isEqualTo("content_incident_protocol");
    assertThat(patch(id, "{\"status\":\"monitoring\"}").get("closed_at").isNull()).isTrue();
    JsonNode closed = patch(id, "{\"status\":\"closed\"}");
    assertThat(closed.get("closed_at").asText()).isNotEmpty();
    JsonNode reopened = patch(id, "{\"status\":\"active\",\"region\":\"New Zealand\"}");
    assertThat(reopened.get("closed_at").isNull()).isTrue();
    assertThat(reopened.get("region").asText()).isEqualTo("New Zealand");

    assertThat(timelineKinds(id)).containsExactly("declared", "level_changed", "status_changed", "closed", "status_changed", "changed");
    JsonNode levelChange = api.get("/api/v1/incidents/" + id + "/timeline", coordinator).json().get("items").get(1);
    assertThat(levelChange.get("detail").get("from").asText()).isEqualTo("content_incident");
    assertThat(levelChange.get("detail").get("to").asText()).isEqualTo("content_incident_protocol");

    List<String> audited = new ArrayList<>();
    api.get("/api/v1/audit?limit=1000", admin).json().get("items").forEach(e -> {
      if (e.get("target_type").asText().equals("incident") && e.get("target_id").asText().equals(Long.toString(id))) {
        audited.add(e.get("action").asText());
      }
    });
    assertThat(audited).containsExactly("incident.declared", "incident.updated", "incident.updated", "incident.updated", "incident.updated");
    assertThat(api.get("/api/v1/incidents?status=active", admin).json().get("items"))
        .anySatisfy(i -> assertThat(i.get("id").asLong()).isEqualTo(id));
    assertThat(api.get("/api/v1/incidents?status=closed", admin).json().get("items"))
        .noneSatisfy(i -> assertThat(i.get("id").asLong()).isEqualTo(id));
  }

  @Test
  void whatIsMalformedOrNotTheCallersIsRefusedWithTheFieldNamed() {
    assertRefused(api.post("/api/v1/incidents", coordinator, "{\"kind\":\"manifesto\",\"level\":\"incident\"}"), 422, "name");
    assertRefused(api.post("/api/v1/incidents", coordinator, "{\"name\":\"x\",\"kind\":\"riot\",\"level\":\"incident\"}"), 422, "kind");
    assertRefused(api.post("/api/v1/incidents", coordinator, "{\"name\":\"x\",\"kind\":\"manifesto\",\"level\":\"tier 9\"}"), 422, "level");
    assertRefused(api.post("/api/v1/incidents", coordinator,
        "{\"name\":\"x\",\"kind\":\"manifesto\",\"level\":\"incident\",\"started_at\":\"yesterday\"}"), 422, "started_at");
    assertRefused(api.post("/api/v1/incidents", coordinator,
        "{\"name\":\"x\",\"kind\":\"manifesto\",\"level\":\"incident\",\"started_at\":\"2999-01-01T00:00:00Z\"}"), 422, "started_at");
    assertRefused(api.post("/api/v1/incidents", coordinator,
        "{\"name\":\"x\\u202e\",\"kind\":\"manifesto\",\"level\":\"incident\"}"), 400, "name");
    assertThat(api.post("/api/v1/incidents", TestServers.key(api, admin, "curator"),
        "{\"name\":\"x\",\"kind\":\"manifesto\",\"level\":\"incident\"}").status()).isEqualTo(403);

    long id = declare("refusals").get("id").asLong();
    assertRefused(api.patch("/api/v1/incidents/" + id, coordinator, "{\"status\":\"proposed\"}"), 422, "status");
    assertRefused(api.patch("/api/v1/incidents/" + id, coordinator, "{\"sharing\":\"red\"}"), 422, "sharing");
    assertThat(api.patch("/api/v1/incidents/999999", coordinator, "{\"level\":\"incident\"}").status()).isEqualTo(404);
    // Nothing refused reached the timeline.
    assertThat(timelineKinds(id)).containsExactly("declared");
  }

  private static void assertRefused(Api.Response response, int status, String field) {
    assertThat(response.status()).as(response.header()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().get("field").asText()).isEqualTo(field);
  }

  @Test
  void aCoordinatorChangesTheEntriesOfIncidentsBanksAndOfNoOtherBank() {
    long incidentBank = declare("entries").get("bank_id").asLong();
    long other = api.post("/api/v1/banks", admin, "{\"name\":\"not an incident's\"}").json().get("id").asLong();
    long otherEntry = api.post("/api/v1/banks/" + other + "/entries", admin, "{\"signals\":{\"md5\":\"" + "a".repeat(32) + "\"}}")
        .json().get("id").asLong();

    Api.Response refused = api.post("/api/v1/banks/" + other + "/entries", coordinator, "{\"signals\":{\"md5\":\"" + "b".repeat(32) + "\"}}");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().get("detail").asText()).contains("incidents' banks");
    assertThat(api.post("/api/v1/entries/" + otherEntry + "/disable", coordinator, "{\"reason\":\"x\"}").status()).isEqualTo(403);
    assertThat(api.delete("/api/v1/entries/" + otherEntry, coordinator).status()).isEqualTo(403);
    assertThat(api.get("/api/v1/entries/" + otherEntry, admin).json().get("enabled").asBoolean()).isTrue();

    Api.Response added = api.post("/api/v1/banks/" + incidentBank + "/entries", coordinator,
        "{\"signals\":{\"md5\":\"" + "b".repeat(32) + "\"},\"note\":\"first copy\"}");
    assertThat(added.status()).as(added.header()).isEqualTo(201);
    Api.Response text = api.post("/api/v1/banks/" + incidentBank + "/entries/text", coordinator,
        "{\"text\":\"" + "The manifesto's opening lines, repeated so that the text is long enough to sketch. ".repeat(8) + "\"}");
    assertThat(text.status()).as(text.header()).isEqualTo(201);
    assertThat(api.delete("/api/v1/entries/" + added.json().get("id").asLong(), coordinator).status()).isEqualTo(204);
  }

  @Test
  void rulesRemoveAnActiveIncidentsMatchesSendThemToReviewOnceItIsClosedAndAProtectedContextAlwaysGoesToReview() {
    JsonNode incident = declare("rules");
    long id = incident.get("id").asLong();
    String pdq = addPdq(incident.get("bank_id").asLong(), MatchTest.randomPdq(RANDOM));
    rule("remove while incident " + id + " is active", "remove", "\"incident\":\"" + id + "\",\"incident_statuses\":[\"active\"]");
    rule("review incidents no longer active " + id, "review",
        "\"incident\":\"any\",\"incident_statuses\":[\"monitoring\",\"closed\"]");

    assertThat(submit(pdq, "rules-active", null).get("status").asText()).isEqualTo("actioned");
    // News reporting on the attack quotes its footage: a person decides, even now.
    JsonNode news = submit(pdq, "rules-news", "news");
    assertThat(news.get("status").asText()).isEqualTo("in_review");
    assertThat(news.get("decisions").get(0).get("action").asText()).isEqualTo("remove");
    assertThat(news.get("decisions").get(0).get("state").asText()).isEqualTo("pending_review");
    // An edited copy: a variant, removed as well.
    assertThat(submit(MatchTest.flip(pdq, 6, RANDOM), "rules-variant", null).get("status").asText()).isEqualTo("actioned");

    patch(id, "{\"status\":\"closed\"}");
    JsonNode afterwards = submit(pdq, "rules-closed", null);
    assertThat(afterwards.get("status").asText()).isEqualTo("in_review");
    assertThat(afterwards.get("decisions")).extracting(d -> d.get("action").asText()).containsExactly("review");

    assertThat(timelineKinds(id)).containsSubsequence("declared", "entry_added", "first_match", "variant_found", "closed");
    assertThat(timelineKinds(id)).contains("first_block");
    JsonNode variant = timeline(id, "variant_found");
    assertThat(variant.get("detail").get("distance").asInt()).isEqualTo(6);
  }

  @Test
  void anIncidentConditionNamesAnIncidentThatExistsOrAny() {
    Api.Response unknown = api.post("/api/v1/rules", admin,
        "{\"name\":\"unknown incident\",\"action\":\"remove\",\"conditions\":{\"incident\":\"999999\"}}");
    assertRefused(unknown, 422, "conditions.incident");
    Api.Response statusAlone = api.post("/api/v1/rules", admin,
        "{\"name\":\"status alone\",\"action\":\"remove\",\"conditions\":{\"incident_statuses\":[\"active\"]}}");
    assertRefused(statusAlone, 422, "conditions.incident_statuses");
    Api.Response badStatus = api.post("/api/v1/rules", admin,
        "{\"name\":\"bad status\",\"action\":\"remove\",\"conditions\":{\"incident\":\"any\",\"incident_statuses\":[\"over\"]}}");
    assertRefused(badStatus, 422, "conditions.incident_statuses[0]");
  }

  static void rule(String name, String action, String conditions) {
    Api.Response rule = api.post("/api/v1/rules", admin, "{\"name\":\"" + name + "\",\"action\":\"" + action + "\",\"conditions\":{"
        + conditions + "}}");
    assertThat(rule.status()).as(rule.header()).isEqualTo(201);
  }

  static JsonNode timeline(long id, String kind) {
    for (JsonNode event : api.get("/api/v1/incidents/" + id + "/timeline", coordinator).json().get("items")) {
      if (event.get("kind").asText().equals(kind)) {
        return event;
      }
    }
    throw new AssertionError("no " + kind + " on the timeline of incident " + id);
  }
}
