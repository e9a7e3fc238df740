package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One word for a still image: {@code photo}. Submissions and rules stored with the old word
 * {@code image} read as {@code photo} once the server has started on them (migration V11), and
 * a rule stored that way still fires on a photo.
 */
class ContentTypeWordTest {

  @TempDir Path dataDir;

  static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

  @Test
  void rowsStoredWithTheOldWordReadAsPhoto() {
    String admin;
    long rule;
    try (CountersignalServer server = TestServers.start(dataDir)) {
      Api api = new Api(server.port());
      admin = server.initialAdminKey().orElseThrow();
      long bank = api.post("/api/v1/banks", admin, "{\"name\":\"stills\"}").json().get("id").asLong();
      api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + PDQ + "\"}}");
      rule = api.post("/api/v1/rules", admin, "{\"name\":\"stills\",\"action\":\"label\",\"conditions\":{\"banks\":[" + bank
          + "],\"content_types\":[\"photo\"]}}").json().get("id").asLong();
      JsonNode submission = api.post("/api/v1/match", admin, "{\"signals\":{\"pdq\":\"" + PDQ + "\"},\"content\":{\"id\":\"old-1\"}}")
          .json().get("submission");
      assertThat(submission.get("decisions")).hasSize(1);
    }
    // As a server before the one word stored them; V11 and what came after forgotten, so the next start applies them again.
    try (Database database = TestServers.openDatabase(dataDir)) {
      database.jdbi().useHandle(h -> {
        h.execute("UPDATE submissions SET content_type = 'image'");
        h.execute("UPDATE rules SET conditions = REPLACE(conditions, '\"photo\"', '\"image\"')");
        EarlierSchema.before(h, 11);
      });
    }
    try (CountersignalServer server = TestServers.start(dataDir)) {
      Api api = new Api(server.port());
      assertThat(api.get("/api/v1/submissions?content_id=old-1", admin).json().at("/items/0/content_type").asText()).isEqualTo("photo");
      assertThat(api.get("/api/v1/rules/" + rule, admin).json().at("/conditions/content_types").toString()).isEqualTo("[\"photo\"]");
      JsonNode again = api.post("/api/v1/match", admin, "{\"signals\":{\"pdq\":\"" + PDQ + "\"},\"content\":{\"id\":\"new-1\"}}")
          .json().get("submission");
      assertThat(again.get("decisions")).extracting(d -> d.get("rule_id").asLong()).containsExactly(rule);
    }
  }
}
