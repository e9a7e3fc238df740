package org.countersignal.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What the soak sets up through the API before the load starts: keys, a bank of ~100,000 PDQ
 * entries (the lookups' target) and a small one whose matches go to review, a rule for each, a
 * webhook to the test receiver, a console user; with abuse, the keys of the attacker and a bank
 * with the widest PDQ threshold for hit-count explosions.
 */
final class Fixture {

  static final int BANKED = 100_000;
  static final int REVIEW_BANKED = 1_000;
  static final int WIDE_BANKED = 5_000;
  static final int IMPORT_BATCH = 10_000;

  final String admin;
  String matcher;
  String curator;
  long mainBank;
  long reviewBank;
  long webhook;
  final List<byte[]> banked = new ArrayList<>();
  final List<byte[]> reviewBanked = new ArrayList<>();
  final String reviewer = "soak-reviewer";
  final String reviewerPassword = "a soak reviewer's passphrase";
  double importSeconds;

  // With abuse only.
  String abuser;
  String abusingCurator;
  String flooder;
  long wideBank;

  private final Http http;
  private final Random random = new Random(20261206);

  Fixture(Http http, String admin) {
    this.http = http;
    this.admin = admin;
  }

  void setUp(Receiver receiver, boolean abuse) {
    matcher = key("matcher", "soak-platform", null);
    curator = key("curator", "soak-curator", null);
    mainBank = bank("soak-main", Map.of());
    reviewBank = bank("soak-review", Map.of());
    long start = System.nanoTime();
    importRandom(mainBank, BANKED, banked);
    importSeconds = (System.nanoTime() - start) / 1e9;
    importRandom(reviewBank, REVIEW_BANKED, reviewBanked);
    http.call(http.json("POST", "/api/v1/rules", admin, Map.of("name", "soak: remove known content", "action", "remove",
        "conditions", Map.of("banks", List.of(mainBank)))), 201);
    http.call(http.json("POST", "/api/v1/rules", admin, Map.of("name", "soak: remove after review", "action", "remove",
        "review_first", true, "conditions", Map.of("banks", List.of(reviewBank)))), 201);
    JsonNode hook = http.call(http.json("POST", "/api/v1/webhooks", admin, Map.of("url", receiver.url(), "event_types", List.of("*"))), 201);
    webhook = hook.path("id").asLong();
    receiver.secret(hook.path("secret").asText());
    http.call(http.json("POST", "/api/v1/users", admin, Map.of("username", reviewer, "password", reviewerPassword, "role", "reviewer")), 201);
    if (abuse) {
      abuser = key("matcher", "soak-abuser", null);
      abusingCurator = key("curator", "soak-abusing-curator", null);
      flooder = key("matcher", "soak-flooder", Map.of("per_second", Abuse.FLOODER_LIMIT, "burst", Abuse.FLOODER_BURST));
      // A curator's mistake the attacker found: every entry within reach of every hash.
      wideBank = bank("soak-wide", Map.of("pdq", 256));
      importRandom(wideBank, WIDE_BANKED, new ArrayList<>());
    }
  }

  /** The banks an ordinary client's lookups name: never the wide one. */
  List<Long> ordinaryBanks() {
    return List.of(mainBank, reviewBank);
  }

  String ordinaryBankParam() {
    return mainBank + "," + reviewBank;
  }

  private String key(String role, String name, Map<String, Object> rateLimit) {
    Map<String, Object> body = rateLimit == null ? Map.of("role", role, "name", name) : Map.of("role", role, "name", name, "rate_limit", rateLimit);
    return http.call(http.json("POST", "/api/v1/keys", admin, body), 201).path("key").asText();
  }

  private long bank(String name, Map<String, Object> thresholds) {
    Map<String, Object> body = thresholds.isEmpty() ? Map.of("name", name) : Map.of("name", name, "thresholds", thresholds);
    return http.call(http.json("POST", "/api/v1/banks", admin, body), 201).path("id").asLong();
  }

  private void importRandom(long bank, int count, List<byte[]> hashes) {
    for (int done = 0; done < count; done += IMPORT_BATCH) {
      List<Map<String, Object>> entries = new ArrayList<>();
      for (int i = done; i < Math.min(count, done + IMPORT_BATCH); i++) {
        byte[] hash = Media.randomPdq(random);
        hashes.add(hash);
        entries.add(Map.of("signals", Map.of("pdq", Media.hex(hash)), "labels", List.of("attacker_manifesto")));
      }
      http.call(http.json("POST", "/api/v1/banks/" + bank + "/entries/batch", curator, Map.of("entries", entries)), 201);
    }
  }
}
