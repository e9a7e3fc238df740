package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What one start wrote, the next start on the same data directory still has: keys, banks, indexes. */
class RestartTest {

  @TempDir Path dataDir;

  static final String PDQ = "9c151c3af838278e3ef57c180c7d031c07aefd12f2ccc1e18f2a1e1c7d0ff163";
  static final String NEAR = "9c151c3af838278e3ef57c180c7d031c07aefd12f2ccc1e18f2a1e1c7d0ff160"; // last digit 3 -> 0: 2 bits
  static final String MD5 = "0123456789abcdef0123456789abcdef";

  @Test
  void restartKeepsKeysBanksEntriesAndTheIndexes() {
    String admin;
    String matcher;
    long kept;
    long disabled;
    long deleted;
    try (CountersignalServer first = TestServers.start(dataDir)) {
      assertThat(first.initialAdminKey()).as("first start makes the admin key").isPresent();
      admin = first.initialAdminKey().get();
      Api api = new Api(first.port());
      matcher = TestServers.key(api, admin, "matcher");
      long bank = api.post("/api/v1/banks", admin, "{\"name\":\"survives restarts\"}").json().get("id").asLong();
      kept = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + PDQ + "\",\"md5\":\"" + MD5 + "\"}}")
          .json().get("id").asLong();
      disabled = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + NEAR + "\"}}")
          .json().get("id").asLong();
      deleted = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"md5\":\"" + "f".repeat(32) + "\"}}")
          .json().get("id").asLong();
      assertThat(api.post("/api/v1/entries/" + disabled + "/disable", admin, "{\"reason\":\"false positive\"}").status()).isEqualTo(200);
      assertThat(api.delete("/api/v1/entries/" + deleted, admin).status()).isEqualTo(204);
    }

    try (CountersignalServer second = TestServers.start(dataDir)) {
      assertThat(second.initialAdminKey()).as("no new admin key on later starts").isEmpty();
      Api api = new Api(second.port());
      assertThat(api.get("/health/ready", null).status()).isEqualTo(200);
      assertThat(api.get("/api/v1/banks", admin).status()).as("the first admin key still works").isEqualTo(200);

      Api.Response response = api.post("/api/v1/match", matcher, "{\"signals\":{\"pdq\":\"" + NEAR + "\",\"md5\":\"" + MD5 + "\"}}");
      assertThat(response.status()).as(response.header()).isEqualTo(200);
      JsonNode matches = response.json().get("matches");
      assertThat(matches).extracting(m -> m.get("entry_id").asLong()).containsOnly(kept);
      assertThat(matches).extracting(m -> m.get("signal_type").asText() + ":" + m.get("distance").asInt())
          .containsExactlyInAnyOrder("md5:0", "pdq:2");
      Api.Response gone = api.post("/api/v1/match", matcher, "{\"signals\":{\"md5\":\"" + "f".repeat(32) + "\"}}");
      assertThat(gone.json().get("matches")).isEmpty();

      // The replayed indexes keep following: re-enabling after the restart makes the entry match.
      assertThat(api.post("/api/v1/entries/" + disabled + "/enable", admin, null).status()).isEqualTo(200);
      JsonNode again = api.post("/api/v1/match", matcher, "{\"signals\":{\"pdq\":\"" + NEAR + "\"}}").json().get("matches");
      assertThat(again).extracting(m -> m.get("entry_id").asLong()).containsExactly(disabled, kept);
    }
  }
}
