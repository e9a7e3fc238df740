package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/v1/banks/{id}/entries/batch}: validation, all or nothing, audit, indexes. */
class EntryImportTest {

  @TempDir Path dataDir;

  static final String MD5_TAKEN = "a".repeat(32);

  static List<String> pdqHashes(int count, long seed) {
    Random random = new Random(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(MatchTest.randomPdq(random));
    }
    return out;
  }

  static ObjectNode entry(String type, String value) {
    ObjectNode entry = Api.JSON.createObjectNode();
    entry.putObject("signals").put(type, value);
    return entry;
  }

  static String batch(List<ObjectNode> entries) {
    ObjectNode body = Api.JSON.createObjectNode();
    ArrayNode array = body.putArray("entries");
    entries.forEach(array::add);
    return body.toString();
  }

  static String batchOfPdq(List<String> hashes) {
    List<ObjectNode> entries = new ArrayList<>();
    hashes.forEach(h -> entries.add(entry("pdq", h)));
    return batch(entries);
  }

  @Test
  void importsEveryEntryInOneCallWithOneAuditEventAndTheIndexesFollow() {
    List<String> hashes = pdqHashes(2_500, 1);
    long bank;
    String admin;
    String matcher;
    List<Long> ids = new ArrayList<>();
    try (CountersignalServer server = TestServers.start(dataDir)) {
      admin = server.initialAdminKey().orElseThrow();
      Api api = new Api(server.port());
      String curator = TestServers.key(api, admin, "curator");
      matcher = TestServers.key(api, admin, "matcher");
      bank = api.post("/api/v1/banks", admin, "{\"name\":\"bulk\"}").json().get("id").asLong();
      long auditBefore = lastAuditId(api, admin);

      List<ObjectNode> entries = new ArrayList<>();
      for (int i = 0; i < hashes.size(); i++) {
        ObjectNode entry = entry("pdq", hashes.get(i));
        if (i % 2 == 0) {
          entry.putArray("labels").add("attacker_manifesto");
          entry.putArray("entities").add("perpetrator");
          entry.put("note", "row " + i);
          entry.put("provenance", "import test");
        }
        if (i == 7) {
          ((ObjectNode) entry.get("signals")).put("md5", "B".repeat(32));
        }
        entries.add(entry);
      }
      Api.Response response = api.post("/api/v1/banks/" + bank + "/entries/batch", curator, batch(entries));
      assertThat(response.status()).as(response.header()).isEqualTo(201);
      assertThat(response.json().get("imported").asInt()).isEqualTo(2_500);
      response.json().get("entry_ids").forEach(id -> ids.add(id.asLong()));
      assertThat(ids).hasSize(2_500).doesNotHaveDuplicates().isSorted();

      JsonNode seventh = api.get("/api/v1/entries/" + ids.get(7), admin).json();
      assertThat(seventh.get("signals").get("md5").asText()).as("canonical form").isEqualTo("b".repeat(32));
      JsonNode sixth = api.get("/api/v1/entries/" + ids.get(6), admin).json();
      assertThat(sixth.get("labels")).extracting(JsonNode::asText).containsExactly("attacker_manifesto");
      assertThat(sixth.get("note").asText()).isEqualTo("row 6");
      assertThat(sixth.get("bank_id").asLong()).isEqualTo(bank);

      // One event for the whole batch, by the curator's key.
      JsonNode events = api.get("/api/v1/audit?after=" + auditBefore + "&limit=1000", admin).json().get("items");
      assertThat(events).hasSize(1);
      JsonNode event = events.get(0);
      assertThat(event.get("action").asText()).isEqualTo("entries.imported");
      assertThat(event.get("target_type").asText()).isEqualTo("bank");
      assertThat(event.get("target_id").asText()).isEqualTo(Long.toString(bank));
      assertThat(event.get("actor_key_id").asLong()).isEqualTo(keyId(api, admin, "test curator"));
      JsonNode summary = event.get("after");
      assertThat(summary.get("count").asInt()).isEqualTo(2_500);
      assertThat(summary.get("first_entry_id").asLong()).isEqualTo(ids.getFirst());
      assertThat(summary.get("last_entry_id").asLong()).isEqualTo(ids.getLast());
      assertThat(summary.get("signals").get("pdq").asInt()).isEqualTo(2_500);
      assertThat(summary.get("signals").get("md5").asInt()).isEqualTo(1);

      // Matchable as soon as the call returned: every hash hits its own entry at distance 0.
      assertMatchesOwnEntries(api, matcher, hashes, ids);
      // One change row per signal, numbered 1..n without gaps (nothing else wrote changes).
      assertThat(api.get("/metrics", admin).body()).contains("countersignal_changes_applied_seq 2501.0");
    }

    // The change sequence alone rebuilds the same indexes.
    try (CountersignalServer again = TestServers.start(dataDir)) {
      Api api = new Api(again.port());
      assertMatchesOwnEntries(api, matcher, hashes, ids);
      JsonNode md5 = api.post("/api/v1/match", matcher, "{\"signals\":{\"md5\":\"" + "b".repeat(32) + "\"}}").json();
      assertThat(md5.get("matches")).extracting(m -> m.get("entry_id").asLong()).containsExactly(ids.get(7));
    }
  }

  private static void assertMatchesOwnEntries(Api api, String matcher, List<String> hashes, List<Long> ids) {
    for (int i = 0; i < hashes.size(); i += 97) {
      Api.Response match = api.post("/api/v1/match", matcher, "{\"signals\":{\"pdq\":\"" + hashes.get(i) + "\"}}");
      assertThat(match.status()).as(match.header()).isEqualTo(200);
      JsonNode hit = match.json().get("matches");
      assertThat(hit).as("hash %d", i).hasSize(1);
      assertThat(hit.get(0).get("entry_id").asLong()).isEqualTo(ids.get(i));
      assertThat(hit.get(0).get("distance").asInt()).isZero();
    }
  }

  @Test
  void oneBadRowAndNothingIsWrittenAndEveryBadRowIsListed() {
    try (CountersignalServer server = TestServers.start(dataDir)) {
      String admin = server.initialAdminKey().orElseThrow();
      Api api = new Api(server.port());
      long bank = api.post("/api/v1/banks", admin, "{\"name\":\"strict\"}").json().get("id").asLong();
      Api.Response existing = api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"md5\":\"" + MD5_TAKEN + "\"}}");
      long existingId = existing.json().get("id").asLong();
      long auditBefore = lastAuditId(api, admin);
      String metricsBefore = appliedSeq(api, admin);

      List<String> hashes = pdqHashes(10, 2);
      List<ObjectNode> entries = new ArrayList<>();
      hashes.forEach(h -> entries.add(entry("pdq", h)));
      entries.set(2, entry("pdq", "not a hash"));
      entries.get(4).putArray("labels").add("no_such_label");
      entries.set(6, entry("pdq", hashes.get(1).toUpperCase()));     // the same signal as row 1
      entries.set(8, entry("md5", MD5_TAKEN));                        // already in the bank
      entries.get(9).put("note", "x".repeat(4001));

      for (String query : List.of("", "?dry_run=true")) {
        Api.Response response = api.post("/api/v1/banks/" + bank + "/entries/batch" + query, admin, batch(entries));
        assertThat(response.status()).as(response.header()).isEqualTo(422);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode errors = response.json().get("errors");
        assertThat(errors).extracting(e -> e.get("index").asInt()).containsExactly(2, 4, 6, 8, 9);
        assertThat(errors).extracting(e -> e.get("field").asText()).containsExactly(
            "entries[2].signals.pdq", "entries[4].labels[0]", "entries[6].signals.pdq", "entries[8].signals.md5", "entries[9].note");
        assertThat(errors.get(2).get("detail").asText()).contains("entry 1 of this batch");
        assertThat(errors.get(3).get("detail").asText()).contains("entry " + existingId);
        assertThat(response.json().get("detail").asText()).startsWith("5 of the entries are invalid; nothing was imported");
      }

      assertThat(api.get("/api/v1/banks/" + bank + "/entries", admin).json().get("items")).hasSize(1);
      assertThat(lastAuditId(api, admin)).as("no audit event").isEqualTo(auditBefore);
      assertThat(appliedSeq(api, admin)).as("no change rows").isEqualTo(metricsBefore);
      JsonNode match = api.post("/api/v1/match", admin, "{\"signals\":{\"pdq\":\"" + hashes.get(0) + "\"}}").json();
      assertThat(match.get("matches")).isEmpty();

      // The same rows without the bad ones: a dry run says yes and writes nothing, then the import writes.
      List<ObjectNode> good = List.of(entries.get(0), entries.get(1), entries.get(3));
      Api.Response dry = api.post("/api/v1/banks/" + bank + "/entries/batch?dry_run=true", admin, batch(good));
      assertThat(dry.status()).as(dry.header()).isEqualTo(200);
      assertThat(dry.json().get("valid").asInt()).isEqualTo(3);
      assertThat(api.get("/api/v1/banks/" + bank + "/entries", admin).json().get("items")).hasSize(1);
      Api.Response written = api.post("/api/v1/banks/" + bank + "/entries/batch", admin, batch(good));
      assertThat(written.status()).as(written.header()).isEqualTo(201);
      assertThat(api.get("/api/v1/banks/" + bank + "/entries", admin).json().get("items")).hasSize(4);
    }
  }

  @Test
  void refusesBatchesOfTheWrongSizeOrShape() {
    try (CountersignalServer server = TestServers.start(dataDir)) {
      String admin = server.initialAdminKey().orElseThrow();
      Api api = new Api(server.port());
      long bank = api.post("/api/v1/banks", admin, "{\"name\":\"shapes\"}").json().get("id").asLong();
      String path = "/api/v1/banks/" + bank + "/entries/batch";

      Api.Response tooMany = api.post(path, admin, batchOfPdq(pdqHashes(10_001, 3)));
      assertThat(tooMany.status()).as(tooMany.header()).isEqualTo(413);
      assertThat(tooMany.json().get("detail").asText()).contains("at most 10000 entries");
      Api.Response most = api.post(path + "?dry_run=true", admin, batchOfPdq(pdqHashes(10_000, 3)));
      assertThat(most.status()).as(most.header()).isEqualTo(200);
      // Under the entry limit but over 16 MB (notes near their 4,000-character limit): refused from its length.
      List<ObjectNode> heavy = new ArrayList<>();
      for (String hash : pdqHashes(4_300, 8)) {
        heavy.add(entry("pdq", hash).put("note", "n".repeat(3_990)));
      }
      Api.Response tooBig = api.send("POST", path, admin, "application/json", batch(heavy).getBytes(), true);
      assertThat(tooBig.status()).as(tooBig.header()).isEqualTo(413);
      assertThat(tooBig.json().get("detail").asText()).contains("at most 16777216 bytes");

      assertProblem(api.post(path, admin, "{\"entries\":[]}"), 422, "entries");
      assertProblem(api.post(path, admin, "{\"entries\":[{\"signals\":{}}]}"), 422, null);
      assertProblem(api.post(path, admin, "{\"entries\":[{\"signals\":{\"md6\":\"00\"}}]}"), 422, null);
      assertProblem(api.post(path, admin, "{\"entries\":[{\"signal\":{\"md5\":\"" + MD5_TAKEN + "\"}}]}"), 400, "entries[0].signal");
      assertProblem(api.post(path, admin, "{\"entries\":{}}"), 400, "entries");
      assertProblem(api.post(path, admin, "{\"entries\":["), 400, null);
      assertProblem(api.post(path, admin, null), 400, null);
      assertProblem(api.post(path + "?dry_run=maybe", admin, batchOfPdq(pdqHashes(1, 4))), 400, "dry_run");
      assertProblem(api.send("POST", path, admin, "text/csv", "pdq,abc".getBytes()), 415, null);
      assertProblem(api.post("/api/v1/banks/999999/entries/batch", admin, batchOfPdq(pdqHashes(1, 4))), 404, null);
      assertThat(api.get("/api/v1/banks/" + bank + "/entries", admin).json().get("items")).isEmpty();
    }
  }

  private static void assertProblem(Api.Response response, int status, String field) {
    assertThat(response.status()).as(response.header()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    if (field != null) {
      assertThat(response.json().get("field").asText()).isEqualTo(field);
    }
  }

  private static long lastAuditId(Api api, String admin) {
    long last = 0;
    while (true) {
      JsonNode items = api.get("/api/v1/audit?after=" + last + "&limit=1000", admin).json().get("items");
      if (items.isEmpty()) {
        return last;
      }
      last = items.get(items.size() - 1).get("id").asLong();
    }
  }

  private static String appliedSeq(Api api, String admin) {
    Matcher m = Pattern.compile("countersignal_changes_applied_seq (\\S+)").matcher(api.get("/metrics", admin).body());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private static long keyId(Api api, String admin, String name) {
    for (JsonNode key : api.get("/api/v1/keys", admin).json().get("items")) {
      if (name.equals(key.path("name").asText())) {
        return key.get("id").asLong();
      }
    }
    throw new AssertionError("no key named " + name);
  }
}
