package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signals banked before their rows had a hash (migration V14) get one computed by the database
 * that the service finds again: a bank still refuses them a second time, one at a time and in a
 * batch, and a search by signal still finds their entry. On H2 and PostgreSQL, whose SQL computes
 * the hash each its own way.
 */
class SignalHashMigrationTest {

  @TempDir Path dataDir;

  static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  static final String MD5 = "d41d8cd98f00b204e9800998ecf8427e";
  static final String URL = "https://example.org/manifesto/part-1";

  @Test
  void signalsBankedBeforeTheirHashesAreFoundAgain() {
    String admin;
    long bank;
    long withHashes;
    long withUrl;
    try (CountersignalServer server = TestServers.start(dataDir)) {
      Api api = new Api(server.port());
      admin = server.initialAdminKey().orElseThrow();
      bank = api.post("/api/v1/banks", admin, "{\"name\":\"older\"}").json().get("id").asLong();
      withHashes = api.post("/api/v1/banks/" + bank + "/entries", admin,
          "{\"signals\":{\"pdq\":\"" + PDQ + "\",\"md5\":\"" + MD5 + "\"}}").json().get("id").asLong();
      withUrl = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"url\":\"" + URL + "\"}}").json().get("id").asLong();
    }
    // As a server before V14 stored them: no hashes and the old index; the next start applies V14 again.
    try (Database database = TestServers.openDatabase(dataDir)) {
      database.jdbi().useHandle(h -> {
        EarlierSchema.before(h, 14);
      });
    }
    try (CountersignalServer server = TestServers.start(dataDir)) {
      Api api = new Api(server.port());
      Api.Response again = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"pdq\":\"" + PDQ + "\"}}");
      assertThat(again.status()).as(again.body()).isEqualTo(409);
      assertThat(again.json().get("detail").asText()).contains("entry " + withHashes);

      Api.Response batch = api.post("/api/v1/banks/" + bank + "/entries/batch", admin,
          "{\"entries\":[{\"signals\":{\"md5\":\"" + MD5.toUpperCase() + "\"}},{\"signals\":{\"url\":\"" + URL + "\"}}]}");
      assertThat(batch.status()).as(batch.body()).isEqualTo(422);
      JsonNode errors = batch.json().get("errors");
      assertThat(errors).extracting(e -> e.get("detail").asText())
          .containsExactly("bank " + bank + " already has this md5 signal in entry " + withHashes,
              "bank " + bank + " already has this url signal in entry " + withUrl);

      JsonNode found = api.get("/api/v1/entries?signal_type=url&signal=" + URLEncoder.encode(URL, StandardCharsets.UTF_8), admin).json();
      assertThat(found.get("items")).extracting(e -> e.get("id").asLong()).containsExactly(withUrl);

      Api.Response fresh = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"md5\":\"" + "0".repeat(32) + "\"}}");
      assertThat(fresh.status()).as(fresh.body()).isEqualTo(201);
    }
  }
}
