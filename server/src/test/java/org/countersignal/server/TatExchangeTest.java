package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.countersignal.server.exchange.tat.TatStandIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Tech Against Terrorism kind through the service, against its stand-in source: the
 * credentials given once reach the source and nothing else, the hash list fills the bank, a
 * withdrawal at the source takes the entry out, and verification answers through the API.
 */
class TatExchangeTest {

  @TempDir Path dataDir;
  final Random random = new Random(20261204);
  TatStandIn source;
  CountersignalServer server;
  Api api;
  String admin;

  @BeforeEach
  void start() throws InterruptedException {
    source = new TatStandIn();
    server = CountersignalServer.builder(TestServers.config(dataDir)).exchangeSettings(ExchangeTest.FAST).start();
    assertThat(server.awaitReady(Duration.ofSeconds(30))).isTrue();
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    source.close();
  }

  private JsonNode fetch(long id) {
    return ExchangeTest.fetch(api, admin, id);
  }

  private int hits(String hex) {
    return api.post("/api/v1/match", admin, "{\"signals\":{\"pdq\":\"" + hex + "\"}}").json().get("matches").size();
  }

  @Test
  void theHashListFillsTheBankAndAWithdrawalTakesItsEntryOut() {
    String kept = MatchTest.randomPdq(random);
    String withdrawn = MatchTest.randomPdq(random);
    source.add("PDQ", kept, "islamist");
    TatStandIn.HashRecord later = source.add("PDQ", withdrawn, "far-right");
    source.add("MD5", "0123456789abcdef0123456789abcdef", "islamist");
    source.add("TMK", "ab".repeat(20), "islamist");

    Api.Response created = api.post("/api/v1/exchanges", admin, "{\"name\":\"tat\",\"kind\":\"tech_against_terrorism\","
        + "\"config\":{\"base_url\":\"" + source.baseUrl() + "\",\"page_size\":2},"
        + "\"credentials\":{\"username\":\"" + TatStandIn.USERNAME + "\",\"password\":\"" + TatStandIn.PASSWORD + "\"},"
        + "\"label_map\":{\"far-right\":\"glorification_of_terrorist_acts\"},\"trust\":\"trusted\"}");
    assertThat(created.status()).as(created.header()).isEqualTo(201);
    long id = created.json().get("id").asLong();
    JsonNode status = fetch(id).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).as(status.toString()).isTrue();
    assertThat(status.get("bank_entries").asLong()).isEqualTo(3);
    assertThat(status.get("malformed_items").asLong()).as("the TMK hash").isEqualTo(1);
    assertThat(hits(kept)).isEqualTo(1);
    JsonNode hit = api.post("/api/v1/match", admin, "{\"signals\":{\"pdq\":\"" + withdrawn + "\"}}").json().get("matches").get(0);
    assertThat(hit.get("labels").toString()).isEqualTo("[\"glorification_of_terrorist_acts\"]");

    source.delete(later);
    status = fetch(id).get("status");
    assertThat(status.get("bank_entries").asLong()).isEqualTo(2);
    assertThat(hits(withdrawn)).isZero();
    assertThat(hits(kept)).isEqualTo(1);

    // Verification through the API: the source knows the kept hash, not a random one.
    Api.Response verdicts = api.post("/api/v1/exchanges/" + id + "/verify", admin, "{\"signals\":[{\"signal_type\":\"pdq\",\"signal\":\""
        + kept + "\"},{\"signal_type\":\"pdq\",\"signal\":\"" + MatchTest.randomPdq(random) + "\"}]}");
    assertThat(verdicts.status()).as(verdicts.header()).isEqualTo(200);
    assertThat(verdicts.json().get("items").get(0).get("verified").asBoolean()).isTrue();
    assertThat(verdicts.json().get("items").get(1).get("verified").asBoolean()).isFalse();

    // The password went to the source and is in no answer of ours.
    for (String path : new String[] {"/api/v1/exchanges", "/api/v1/exchanges/" + id, "/api/v1/audit?limit=200"}) {
      assertThat(api.get(path, admin).body()).as(path).doesNotContain(TatStandIn.PASSWORD);
    }
  }

  @Test
  void aSourceThatFailsLeavesWhatWasAppliedAndSaysWhy() {
    String first = MatchTest.randomPdq(random);
    source.add("PDQ", first, "islamist");
    Api.Response wrong = api.post("/api/v1/exchanges", admin, "{\"name\":\"tat\",\"kind\":\"tech_against_terrorism\","
        + "\"config\":{\"base_url\":\"" + source.baseUrl() + "\"},\"credentials\":{\"username\":\"someone\",\"password\":\"guess\"}}");
    long id = wrong.json().get("id").asLong();
    JsonNode status = fetch(id).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).isFalse();
    assertThat(status.get("last_error").asText()).contains("refused the username and password");

    assertThat(api.patch("/api/v1/exchanges/" + id, admin, "{\"credentials\":{\"username\":\"" + TatStandIn.USERNAME
        + "\",\"password\":\"" + TatStandIn.PASSWORD + "\"}}").status()).isEqualTo(200);
    assertThat(fetch(id).get("status").get("bank_entries").asLong()).isEqualTo(1);

    source.add("PDQ", MatchTest.randomPdq(random), "islamist");
    source.answerPagesWith(500);
    status = fetch(id).get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).isFalse();
    assertThat(status.get("last_error").asText()).contains("500");
    assertThat(status.get("bank_entries").asLong()).as("what was applied stays").isEqualTo(1);
    assertThat(api.get("/api/v1/exchanges/" + id, admin).json().get("status").get("next_fetch_at").isNull()).isFalse();
  }
}
