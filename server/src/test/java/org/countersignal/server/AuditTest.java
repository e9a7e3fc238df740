package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every mutating call leaves an audit record naming the key, the action, the target and the change. */
class AuditTest {

  @TempDir Path dataDir;

  static List<JsonNode> all(Api api, String key) {
    List<JsonNode> events = new ArrayList<>();
    long after = 0;
    while (true) {
      Api.Response page = api.get("/api/v1/audit?limit=3&after=" + after, key);
      assertThat(page.status()).as(page.header()).isEqualTo(200);
      page.json().get("items").forEach(events::add);
      JsonNode next = page.json().get("next_after");
      if (next == null || next.isNull()) {
        return events;
      }
      after = next.asLong();
    }
  }

  @Test
  void mutatingCallsAreAuditedWithActorBeforeAndAfter() {
    try (CountersignalServer server = TestServers.start(dataDir)) {
      Api api = new Api(server.port());
      String admin = server.initialAdminKey().orElseThrow();
      Api.Response curatorKey = api.post("/api/v1/keys", admin, "{\"role\":\"curator\",\"name\":\"curation team\"}");
      long curatorId = curatorKey.json().get("id").asLong();
      String curator = curatorKey.json().get("key").asText();
      String auditor = TestServers.key(api, admin, "auditor");

      long bank = api.post("/api/v1/banks", curator, "{\"name\":\"audited\"}").json().get("id").asLong();
      api.patch("/api/v1/banks/" + bank, curator, "{\"description\":\"after\"}");
      long entry = api.post("/api/v1/banks/" + bank + "/entries", curator, "{\"signals\":{\"md5\":\"" + "e".repeat(32) + "\"}}")
          .json().get("id").asLong();
      api.post("/api/v1/entries/" + entry + "/disable", curator, "{\"reason\":\"false positive\"}");
      api.post("/api/v1/entries/" + entry + "/enable", curator, null);
      api.delete("/api/v1/entries/" + entry, curator);
      api.delete("/api/v1/banks/" + bank, curator);
      // Reads and matches are not audited.
      api.get("/api/v1/banks", curator);
      // A refused change leaves no record.
      api.post("/api/v1/banks", curator, "{\"name\":\"\"}");

      List<JsonNode> events = all(api, auditor);
      List<String> actions = events.stream().map(e -> e.get("action").asText()).toList();
      assertThat(actions).containsExactly(
          "key.created", "key.created", "key.created",
          "bank.created", "bank.updated", "entry.created", "entry.disabled", "entry.enabled", "entry.deleted", "bank.deleted");

      JsonNode first = events.get(0);
      assertThat(first.get("actor_key_id").isNull()).as("the initial key is made by the server").isTrue();
      assertThat(first.get("after").get("role").asText()).isEqualTo("admin");
      assertThat(first.get("after").has("key")).as("no secret in the audit log").isFalse();
      assertThat(events.get(1).get("actor_key_id").asLong()).isEqualTo(1L);
      assertThat(events.get(1).get("after").get("name").asText()).isEqualTo("curation team");

      JsonNode update = events.get(4);
      assertThat(update.get("actor_key_id").asLong()).isEqualTo(curatorId);
      assertThat(update.get("target_type").asText()).isEqualTo("bank");
      assertThat(update.get("target_id").asText()).isEqualTo(Long.toString(bank));
      assertThat(update.get("before").get("description").asText()).isEmpty();
      assertThat(update.get("after").get("description").asText()).isEqualTo("after");

      JsonNode disabled = events.get(6);
      assertThat(disabled.get("before").get("enabled").asBoolean()).isTrue();
      assertThat(disabled.get("after").get("enabled").asBoolean()).isFalse();
      assertThat(disabled.get("after").get("disabled_reason").asText()).isEqualTo("false positive");

      JsonNode deleted = events.get(8);
      assertThat(deleted.get("after").isNull()).isTrue();
      assertThat(deleted.get("before").get("signals").get("md5").asText()).isEqualTo("e".repeat(32));
      assertThat(events).allSatisfy(e -> assertThat(e.get("occurred_at").asText()).endsWith("Z"));
    }
  }
}
