package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Banks and entries through the API: create, read, change, page, disable, enable, delete. */
class BankAndEntryLifecycleTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String curator;

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    curator = TestServers.key(api, server.initialAdminKey().orElseThrow(), "curator");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void bankIsCreatedWithDefaultThresholdsAndCanBeReadChangedAndDeleted() {
    Api.Response created = api.post("/api/v1/banks", curator,
        "{\"name\":\"Halle 2019\",\"description\":\"incident bank\",\"labels\":[\"graphic_violence_defenceless\"],"
            + "\"entities\":[\"perpetrator video\"]}");
    assertThat(created.status()).as(created.header()).isEqualTo(201);
    JsonNode bank = created.json();
    long id = bank.get("id").asLong();
    assertThat(bank.get("name").asText()).isEqualTo("Halle 2019");
    assertThat(bank.get("enabled").asBoolean()).isTrue();
    assertThat(bank.get("thresholds").get("pdq").asInt()).isEqualTo(31);
    assertThat(bank.get("thresholds").get("md5").asInt()).isZero();
    assertThat(bank.get("labels").get(0).asText()).isEqualTo("graphic_violence_defenceless");
    assertThat(bank.get("entities").get(0).asText()).isEqualTo("perpetrator video");

    Api.Response again = api.post("/api/v1/banks", curator, "{\"name\":\"Halle 2019\"}");
    assertThat(again.status()).isEqualTo(409);

    Api.Response read = api.get("/api/v1/banks/" + id, curator);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().get("description").asText()).isEqualTo("incident bank");

    Api.Response patched = api.patch("/api/v1/banks/" + id, curator, "{\"description\":\"closed\",\"thresholds\":{\"pdq\":20},\"enabled\":false}");
    assertThat(patched.status()).as(patched.header()).isEqualTo(200);
    assertThat(patched.json().get("description").asText()).isEqualTo("closed");
    assertThat(patched.json().get("thresholds").get("pdq").asInt()).isEqualTo(20);
    assertThat(patched.json().get("thresholds").get("md5").asInt()).isZero();
    assertThat(patched.json().get("enabled").asBoolean()).isFalse();
    assertThat(patched.json().get("name").asText()).isEqualTo("Halle 2019");

    Api.Response list = api.get("/api/v1/banks", curator);
    assertThat(list.json().get("items")).anySatisfy(b -> assertThat(b.get("id").asLong()).isEqualTo(id));

    assertThat(api.delete("/api/v1/banks/" + id, curator).status()).isEqualTo(204);
    assertThat(api.get("/api/v1/banks/" + id, curator).status()).isEqualTo(404);
    assertThat(api.delete("/api/v1/banks/" + id, curator).status()).isEqualTo(404);
  }

  @Test
  void bankLabelsComeFromTheTaxonomy() {
    Api.Response response = api.post("/api/v1/banks", curator, "{\"name\":\"bad labels\",\"labels\":[\"memes\"]}");
    assertThat(response.status()).isEqualTo(422);
    assertThat(response.json().get("field").asText()).isEqualTo("labels[0]");
  }

  @Test
  void entriesArePagedInIdOrder() {
    long bank = api.post("/api/v1/banks", curator, "{\"name\":\"paging\"}").json().get("id").asLong();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String md5 = String.format("%032x", 1000 + i);
      Api.Response entry = api.post("/api/v1/banks/" + bank + "/entries", curator,
          "{\"signals\":{\"md5\":\"" + md5 + "\"},\"labels\":[\"attacker_manifesto\"],\"note\":\"n" + i + "\",\"provenance\":\"test\"}");
      assertThat(entry.status()).as(entry.header()).isEqualTo(201);
      assertThat(entry.json().get("signals").get("md5").asText()).isEqualTo(md5);
      ids.add(entry.json().get("id").asLong());
    }
    List<Long> seen = new ArrayList<>();
    long after = 0;
    int pages = 0;
    while (true) {
      Api.Response page = api.get("/api/v1/banks/" + bank + "/entries?limit=2&after=" + after, curator);
      assertThat(page.status()).as(page.header()).isEqualTo(200);
      page.json().get("items").forEach(item -> seen.add(item.get("id").asLong()));
      pages++;
      JsonNode next = page.json().get("next_after");
      if (next == null || next.isNull()) {
        break;
      }
      after = next.asLong();
    }
    assertThat(seen).containsExactlyElementsOf(ids);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void entryIsDisabledWithReasonEnabledAndDeleted() {
    long bank = api.post("/api/v1/banks", curator, "{\"name\":\"states\"}").json().get("id").asLong();
    String pdq = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    Api.Response entry = api.post("/api/v1/banks/" + bank + "/entries", curator,
        "{\"signals\":{\"pdq\":\"" + pdq.toUpperCase() + "\"},\"labels\":[\"recruitment_and_instruction\"],\"entities\":[\"group x\"]}");
    assertThat(entry.status()).as(entry.header()).isEqualTo(201);
    long id = entry.json().get("id").asLong();
    assertThat(entry.json().get("signals").get("pdq").asText()).as("stored in canonical lowercase form").isEqualTo(pdq);
    assertThat(entry.json().get("enabled").asBoolean()).isTrue();

    Api.Response duplicate = api.post("/api/v1/banks/" + bank + "/entries", curator, "{\"signals\":{\"pdq\":\"" + pdq + "\"}}");
    assertThat(duplicate.status()).isEqualTo(409);

    Api.Response noReason = api.post("/api/v1/entries/" + id + "/disable", curator, "{}");
    assertThat(noReason.status()).isEqualTo(422);

    Api.Response disabled = api.post("/api/v1/entries/" + id + "/disable", curator,
        "{\"reason\":\"false positive: a news report\",\"until\":\"2030-01-01T00:00:00Z\"}");
    assertThat(disabled.status()).as(disabled.header()).isEqualTo(200);
    assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
    assertThat(disabled.json().get("disabled_reason").asText()).isEqualTo("false positive: a news report");
    assertThat(disabled.json().get("disabled_until").asText()).isEqualTo("2030-01-01T00:00:00Z");

    Api.Response enabled = api.post("/api/v1/entries/" + id + "/enable", curator, null);
    assertThat(enabled.status()).as(enabled.header()).isEqualTo(200);
    assertThat(enabled.json().get("enabled").asBoolean()).isTrue();
    assertThat(enabled.json().get("disabled_reason").isNull()).isTrue();

    assertThat(api.delete("/api/v1/entries/" + id, curator).status()).isEqualTo(204);
    assertThat(api.get("/api/v1/entries/" + id, curator).status()).isEqualTo(404);
  }

  @Test
  void deletingABankDeletesItsEntries() {
    long bank = api.post("/api/v1/banks", curator, "{\"name\":\"to delete\"}").json().get("id").asLong();
    long entry = api.post("/api/v1/banks/" + bank + "/entries", curator, "{\"signals\":{\"sha256\":\"" + "ab".repeat(32) + "\"}}")
        .json().get("id").asLong();
    assertThat(api.delete("/api/v1/banks/" + bank, curator).status()).isEqualTo(204);
    assertThat(api.get("/api/v1/entries/" + entry, curator).status()).isEqualTo(404);
  }
}
