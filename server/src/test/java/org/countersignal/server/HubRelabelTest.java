package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.countersignal.server.bank.Sharing;
import org.countersignal.server.exchange.FetchDelta;
import org.countersignal.server.exchange.SignalKey;
import org.countersignal.server.exchange.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub passes on what its sources change: when the source of a followed bank relabels an entry
 * (no signal starts or stops matching), the hub's feeds of that bank say so, and a feed that
 * publishes only some labels takes the entry out when its new labels leave the view.
 */
class HubRelabelTest {

  @TempDir Path hubDir;
  @TempDir Path subscriberDir;

  private static FetchDelta.Update tagged(String pdq, String tag) {
    return new FetchDelta.Update(new SignalKey("pdq", pdq), SourceRecord.positive(List.of(tag), null).sharedAt(Sharing.GREEN));
  }

  private static long follow(Api api, String admin, String name, String feed, int port, String publicKey, String peerKey) {
    ObjectNode body = Api.JSON.createObjectNode().put("name", name).put("kind", "countersignal").put("trust", "trusted");
    body.putObject("config").put("url", "http://127.0.0.1:" + port + "/").put("feed", feed).put("public_key", publicKey);
    body.putObject("credentials").put("key", peerKey);
    body.putObject("label_map").put("attacker_manifesto", "attacker_manifesto")
        .put("recruitment_and_instruction", "recruitment_and_instruction");
    Api.Response created = api.post("/api/v1/exchanges", admin, body.toString());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  private static String feedKey(Api api, String admin, long bank, String name, String labels) {
    Api.Response feed = api.post("/api/v1/feeds", admin, "{\"name\":\"" + name + "\",\"bank_id\":" + bank
        + (labels == null ? "" : ",\"labels\":" + labels) + "}");
    assertThat(feed.status()).as(feed.body()).isEqualTo(201);
    return api.post("/api/v1/feeds/" + feed.json().get("id").asLong() + "/peers", admin, "{\"name\":\"org-c\"}").json().get("key").asText();
  }

  private static JsonNode entryOn(Api api, String admin, String pdq, long bank) {
    return api.get("/api/v1/banks/" + bank + "/entries?signal_type=pdq&signal=" + pdq, admin).json().at("/items/0");
  }

  @Test
  void aRelabelAtTheSourceReachesTheHubsSubscribers() throws Exception {
    ScriptedExchange source = new ScriptedExchange();
    String pdq = MatchTest.randomPdq(new Random(20261205));
    try (CountersignalServer hub = CountersignalServer.builder(TestServers.config(hubDir)).exchangeSettings(ExchangeTest.FAST)
            .extraExchangeKinds(List.of(source)).start();
        CountersignalServer c = CountersignalServer.builder(TestServers.config(subscriberDir)).exchangeSettings(ExchangeTest.FAST).start()) {
      assertThat(hub.awaitReady(Duration.ofSeconds(30))).isTrue();
      assertThat(c.awaitReady(Duration.ofSeconds(30))).isTrue();
      Api apiHub = new Api(hub.port());
      Api apiC = new Api(c.port());
      String adminHub = hub.initialAdminKey().orElseThrow();
      String adminC = c.initialAdminKey().orElseThrow();

      source.batch(List.of(tagged(pdq, "manifesto")), 1, Instant.parse("2026-11-01T00:00:00Z"));
      Api.Response scripted = apiHub.post("/api/v1/exchanges", adminHub, "{\"name\":\"list\",\"kind\":\"scripted\",\"trust\":\"trusted\","
          + "\"config\":{\"source\":\"s\"},\"credentials\":{\"token\":\"sesame\"},"
          + "\"label_map\":{\"manifesto\":\"attacker_manifesto\",\"recruit\":\"recruitment_and_instruction\"}}");
      assertThat(scripted.status()).as(scripted.body()).isEqualTo(201);
      long listExchange = scripted.json().get("id").asLong();
      long followed = scripted.json().get("bank_id").asLong();
      JsonNode fetched = ExchangeTest.fetch(apiHub, adminHub, listExchange).get("status");
      assertThat(fetched.get("last_fetch_succeeded").asBoolean()).as(fetched.toString()).isTrue();
      assertThat(apiHub.get("/api/v1/banks/" + followed, adminHub).json().get("received_sharing").asText()).isEqualTo("green");
      String publicKey = apiHub.get("/api/v1/federation/key", adminHub).json().get("public_key").asText();
      String allKey = feedKey(apiHub, adminHub, followed, "all", null);
      String manifestosKey = feedKey(apiHub, adminHub, followed, "manifestos", "[\"attacker_manifesto\"]");

      long all = follow(apiC, adminC, "all", "all", hub.port(), publicKey, allKey);
      long manifestos = follow(apiC, adminC, "manifestos", "manifestos", hub.port(), publicKey, manifestosKey);
      ExchangeTest.fetch(apiC, adminC, all);
      ExchangeTest.fetch(apiC, adminC, manifestos);
      long allBank = apiC.get("/api/v1/exchanges/" + all, adminC).json().get("bank_id").asLong();
      long manifestoBank = apiC.get("/api/v1/exchanges/" + manifestos, adminC).json().get("bank_id").asLong();
      assertThat(entryOn(apiC, adminC, pdq, allBank).get("labels").toString()).isEqualTo("[\"attacker_manifesto\"]");
      assertThat(entryOn(apiC, adminC, pdq, manifestoBank).isMissingNode()).isFalse();

      // The source relabels it: the hub's entry changes, and so do its subscribers' copies.
      source.batch(List.of(tagged(pdq, "recruit")), 2, Instant.parse("2026-11-02T00:00:00Z"));
      ExchangeTest.fetch(apiHub, adminHub, listExchange);
      assertThat(entryOn(apiHub, adminHub, pdq, followed).get("labels").toString()).isEqualTo("[\"recruitment_and_instruction\"]");
      ExchangeTest.fetch(apiC, adminC, all);
      ExchangeTest.fetch(apiC, adminC, manifestos);
      assertThat(entryOn(apiC, adminC, pdq, allBank).get("labels").toString()).isEqualTo("[\"recruitment_and_instruction\"]");
      assertThat(entryOn(apiC, adminC, pdq, manifestoBank).isMissingNode()).as("no longer in the manifestos' view").isTrue();
      Api.Response match = apiC.post("/api/v1/match", adminC, "{\"signals\":{\"pdq\":\"" + pdq + "\"}}");
      assertThat(match.json().get("matches").size()).as("one copy left on C").isEqualTo(1);
    }
  }
}
