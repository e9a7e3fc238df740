package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bank whose PDQ threshold (256) takes in every hash: each query is near every entry, and the
 * caps on hits per query signal, per match and per batch keep the answer, the work and what is
 * stored with the submission bounded, keeping the nearest hits.
 */
class HitCapTest {

  @TempDir Path dataDir;

  private static final int ENTRIES = 2_500;

  /** One hit as the caps should choose it: nearest first, then by entry id, then by the query's position. */
  record Hit(String query, long entryId, int distance, int queryIndex) {}

  private static final Comparator<Hit> NEAREST =
      Comparator.comparingInt(Hit::distance).thenComparingLong(Hit::entryId).thenComparingInt(Hit::queryIndex);

  @Test
  void aMatchOfManyValuesAgainstAWideThresholdReturnsAndStoresOnlyTheNearestHitsUpToTheDefaultCaps() {
    List<String> bankHashes = EntryImportTest.pdqHashes(ENTRIES, 11);
    List<String> values = EntryImportTest.pdqHashes(40, 12);
    try (CountersignalServer server = TestServers.start(dataDir)) {
      String admin = server.initialAdminKey().orElseThrow();
      Api api = new Api(server.port());
      String matcher = TestServers.key(api, admin, "matcher");
      List<Long> ids = wideBank(api, admin, bankHashes);

      ObjectNode body = Api.JSON.createObjectNode();
      ArrayNode pdq = body.putObject("signals").putArray("pdq");
      values.forEach(pdq::add);
      body.putObject("content").put("id", "flood-1");
      Api.Response response = api.post("/api/v1/match", matcher, body.toString());
      assertThat(response.status()).as(response.header()).isEqualTo(200);

      // 40 values near all 2,500 entries are 100,000 hits; 100 per value (4,000), then 1,000 in all.
      List<Hit> expected = expected(values, bankHashes, ids, 100, 1_000);
      JsonNode matches = response.json().get("matches");
      assertThat(matches).hasSize(1_000);
      assertThat(hits(matches, values)).containsExactlyElementsOf(expected);
      assertThat(response.json().get("truncated").asBoolean()).isTrue();

      JsonNode stored = api.get("/api/v1/submissions?content_id=flood-1", matcher).json().at("/items/0");
      long submission = stored.get("id").asLong();
      JsonNode full = api.get("/api/v1/submissions/" + submission, admin).json();
      assertThat(full.get("matches")).as("stored with the submission").hasSize(1_000);

      // A single value against the same bank: its nearest 100, and it says so.
      Api.Response one = api.post("/api/v1/match", matcher, "{\"signals\":{\"pdq\":\"" + values.getFirst() + "\"}}");
      assertThat(hits(one.json().get("matches"), values))
          .containsExactlyElementsOf(expected(values.subList(0, 1), bankHashes, ids, 100, 1_000));
      assertThat(one.json().get("truncated").asBoolean()).isTrue();
    }
  }

  @Test
  void batchItemsAndTheBatchAreCappedAndNearestFirstUnderConfiguredLimits() {
    List<String> bankHashes = EntryImportTest.pdqHashes(ENTRIES, 21);
    List<String> values = EntryImportTest.pdqHashes(30, 22);
    var config = TestServers.config(dataDir).withHitLimits(new org.countersignal.server.match.HitLimits(7, 15, 60));
    try (CountersignalServer server = TestServers.start(config)) {
      String admin = server.initialAdminKey().orElseThrow();
      Api api = new Api(server.port());
      String matcher = TestServers.key(api, admin, "matcher");
      List<Long> ids = wideBank(api, admin, bankHashes);

      // Ten items of three values each: 21 hits an item before the item's cap of 15, 210 before the batch's 60.
      ObjectNode body = Api.JSON.createObjectNode();
      ArrayNode items = body.putArray("queries");
      for (int i = 0; i < 10; i++) {
        ObjectNode item = items.addObject().put("id", "item-" + i);
        ArrayNode pdq = item.putObject("signals").putArray("pdq");
        values.subList(3 * i, 3 * i + 3).forEach(pdq::add);
        item.putObject("content").put("id", "batch-" + i);
      }
      Api.Response response = api.post("/api/v1/match/batch", matcher, body.toString());
      assertThat(response.status()).as(response.header()).isEqualTo(200);
      JsonNode results = response.json().get("results");
      assertThat(response.json().get("truncated").asBoolean()).isTrue();

      // The batch keeps its 60 nearest of the values' 7 nearest each; each item then its 15 nearest of those.
      List<Hit> batchWide = expected(values, bankHashes, ids, 7, 60);
      int total = 0;
      for (int i = 0; i < 10; i++) {
        JsonNode result = results.get(i);
        List<String> mine = values.subList(3 * i, 3 * i + 3);
        List<Hit> expectedMine = batchWide.stream().filter(h -> mine.contains(h.query()))
            .map(h -> new Hit(h.query(), h.entryId(), h.distance(), 0)).limit(15).toList();
        List<Hit> got = hits(result.get("matches"), values).stream()
            .map(h -> new Hit(h.query(), h.entryId(), h.distance(), 0)).toList();
        assertThat(got).as("item %d", i).containsExactlyElementsOf(expectedMine);
        assertThat(result.get("truncated").asBoolean()).as("item %d", i).isTrue();
        total += got.size();

        JsonNode stored = api.get("/api/v1/submissions?content_id=batch-" + i, matcher).json().at("/items/0");
        JsonNode full = api.get("/api/v1/submissions/" + stored.get("id").asLong(), admin).json();
        assertThat(full.get("matches")).as("stored for item %d", i).hasSize(got.size());
      }
      assertThat(total).isEqualTo(60);

      // A lone value: its 7 nearest.
      Api.Response one = api.post("/api/v1/match", matcher, "{\"signals\":{\"pdq\":\"" + values.getFirst() + "\"}}");
      assertThat(hits(one.json().get("matches"), values))
          .containsExactlyElementsOf(expected(values.subList(0, 1), bankHashes, ids, 7, 15));
      assertThat(one.json().get("truncated").asBoolean()).isTrue();
    }
  }

  @Test
  void aMatchUnderTheCapsIsNotTruncatedAndDisabledNearEntriesDoNotCrowdOutLiveOnes() {
    List<String> bankHashes = EntryImportTest.pdqHashes(300, 31);
    var config = TestServers.config(dataDir).withHitLimits(new org.countersignal.server.match.HitLimits(5, 1_000, 10_000));
    try (CountersignalServer server = TestServers.start(config)) {
      String admin = server.initialAdminKey().orElseThrow();
      Api api = new Api(server.port());
      String matcher = TestServers.key(api, admin, "matcher");
      List<Long> ids = wideBank(api, admin, bankHashes);
      String query = bankHashes.getFirst();
      List<Hit> nearest = expected(List.of(query), bankHashes, ids, ENTRIES, ENTRIES);

      // The 40 nearest entries are disabled: the next 5 live ones are the answer.
      for (Hit hit : nearest.subList(0, 40)) {
        Api.Response disabled = api.post("/api/v1/entries/" + hit.entryId() + "/disable", admin, "{\"reason\":\"false positive\"}");
        assertThat(disabled.status()).as(disabled.header()).isEqualTo(200);
      }
      Api.Response response = api.post("/api/v1/match", matcher, "{\"signals\":{\"pdq\":\"" + query + "\"}}");
      assertThat(hits(response.json().get("matches"), List.of(query))).containsExactlyElementsOf(nearest.subList(40, 45));
      assertThat(response.json().get("truncated").asBoolean()).isTrue();

      // An exact digest with a single entry: nothing left out.
      Api.Response md5 = api.post("/api/v1/match", matcher, "{\"signals\":{\"md5\":\"" + "c".repeat(32) + "\"}}");
      assertThat(md5.json().get("matches")).isEmpty();
      assertThat(md5.json().get("truncated").asBoolean()).isFalse();
    }
  }

  /** A bank whose PDQ threshold takes in every hash, holding {@code hashes}; the entry ids in order. */
  private static List<Long> wideBank(Api api, String admin, List<String> hashes) {
    long bank = api.post("/api/v1/banks", admin, "{\"name\":\"wide\",\"thresholds\":{\"pdq\":256}}").json().get("id").asLong();
    Api.Response imported = api.post("/api/v1/banks/" + bank + "/entries/batch", admin, EntryImportTest.batchOfPdq(hashes));
    assertThat(imported.status()).as(imported.header()).isEqualTo(201);
    List<Long> ids = new ArrayList<>();
    imported.json().get("entry_ids").forEach(id -> ids.add(id.asLong()));
    return ids;
  }

  /** The hits the caps should keep, worked out here from the hashes themselves. */
  private static List<Hit> expected(List<String> values, List<String> bankHashes, List<Long> ids, int perQuery, int total) {
    List<Hit> kept = new ArrayList<>();
    for (int q = 0; q < values.size(); q++) {
      List<Hit> all = new ArrayList<>();
      for (int e = 0; e < bankHashes.size(); e++) {
        all.add(new Hit(values.get(q), ids.get(e), distance(values.get(q), bankHashes.get(e)), q));
      }
      all.sort(NEAREST);
      kept.addAll(all.subList(0, Math.min(perQuery, all.size())));
    }
    kept.sort(NEAREST);
    return List.copyOf(kept.subList(0, Math.min(total, kept.size())));
  }

  private static List<Hit> hits(JsonNode matches, List<String> values) {
    List<Hit> out = new ArrayList<>();
    for (JsonNode m : matches) {
      String query = m.get("query").asText();
      out.add(new Hit(query, m.get("entry_id").asLong(), m.get("distance").asInt(), values.indexOf(query)));
    }
    return out;
  }

  private static int distance(String a, String b) {
    byte[] x = HexFormat.of().parseHex(a);
    byte[] y = HexFormat.of().parseHex(b);
    int d = 0;
    for (int i = 0; i < x.length; i++) {
      d += Integer.bitCount((x[i] ^ y[i]) & 0xFF);
    }
    return d;
  }
}
