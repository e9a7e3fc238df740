package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The label taxonomy grows by admin decision, and entries are found by label, entity, state or signal. */
class TaxonomyAndSearchTest {

  static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String curator;

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    curator = TestServers.key(api, admin, "curator");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theSeededTaxonomyIsListedAndAdminsAddLabelsThatEntriesCanThenCarry() {
    JsonNode labels = api.get("/api/v1/labels", curator).json().get("labels");
    assertThat(labels.findValuesAsText("name")).contains("imminent_credible_threat", "graphic_violence_defenceless",
        "glorification_of_terrorist_acts", "recruitment_and_instruction", "attacker_manifesto", "branded_terrorist_publication");

    long bank = api.post("/api/v1/banks", admin, "{\"name\":\"taxonomy\"}").json().get("id").asLong();
    String entry = "{\"signals\":{\"md5\":\"" + "e".repeat(32) + "\"},\"labels\":[\"livestreamed_attack\"]}";
    assertThat(api.post("/api/v1/banks/" + bank + "/entries", curator, entry).status()).isEqualTo(422);

    Api.Response created = api.post("/api/v1/labels", admin,
        "{\"name\":\"livestreamed_attack\",\"description\":\"Footage streamed live by an attacker\"}");
    assertThat(created.status()).as(created.header()).isEqualTo(201);
    assertThat(api.post("/api/v1/banks/" + bank + "/entries", curator, entry).status()).isEqualTo(201);

    assertThat(api.post("/api/v1/labels", admin, "{\"name\":\"livestreamed_attack\",\"description\":\"again\"}").status())
        .isEqualTo(409);
    assertThat(api.post("/api/v1/labels", admin, "{\"name\":\"Not A Name\",\"description\":\"x\"}").status()).isEqualTo(422);
    assertThat(api.post("/api/v1/labels", curator, "{\"name\":\"curators_label\",\"description\":\"x\"}").status()).isEqualTo(403);
    Api.Response patched = api.patch("/api/v1/labels/livestreamed_attack", admin, "{\"description\":\"Live footage of an attack\"}");
    assertThat(patched.json().get("description").asText()).isEqualTo("Live footage of an attack");
    assertThat(api.patch("/api/v1/labels/unknown_label", admin, "{\"description\":\"x\"}").status()).isEqualTo(404);

    JsonNode audit = api.get("/api/v1/audit?after=0&limit=1000", admin).json().get("items");
    assertThat(audit.findValuesAsText("action")).contains("label.created", "label.updated");
  }

  @Test
  void entriesAreFoundByLabelEntityStateAndSignalWithinABankOrAcrossBanks() {
    long first = api.post("/api/v1/banks", admin, "{\"name\":\"search one\"}").json().get("id").asLong();
    long second = api.post("/api/v1/banks", admin, "{\"name\":\"search two\"}").json().get("id").asLong();
    long manifesto = add(first, "{\"signals\":{\"md5\":\"" + "1".repeat(32) + "\"},\"labels\":[\"attacker_manifesto\"],"
        + "\"entities\":[\"group 50%_x\"]}");
    long still = add(first, "{\"signals\":{\"pdq\":\"" + PDQ + "\"},\"labels\":[\"graphic_violence_defenceless\"]}");
    long elsewhere = add(second, "{\"signals\":{\"md5\":\"" + "2".repeat(32) + "\"},\"labels\":[\"attacker_manifesto\"],"
        + "\"entities\":[\"group 50\"]}");
    api.post("/api/v1/entries/" + still + "/disable", curator, "{\"reason\":\"false positive\"}");

    assertThat(ids("/api/v1/banks/" + first + "/entries?label=attacker_manifesto")).containsExactly(manifesto);
    assertThat(ids("/api/v1/entries?label=attacker_manifesto")).contains(manifesto, elsewhere).doesNotContain(still);
    // An entity is matched whole, and its % and _ are plain characters.
    assertThat(ids("/api/v1/entries?entity=group%2050%25_x")).containsExactly(manifesto);
    assertThat(ids("/api/v1/entries?entity=group%2050")).containsExactly(elsewhere);
    assertThat(ids("/api/v1/banks/" + first + "/entries?enabled=false")).containsExactly(still);
    assertThat(ids("/api/v1/banks/" + first + "/entries?enabled=true")).containsExactly(manifesto);
    // Any spelling of a hash finds it.
    assertThat(ids("/api/v1/entries?signal_type=pdq&signal=" + PDQ.toUpperCase())).containsExactly(still);
    assertThat(ids("/api/v1/entries?signal_type=md5&signal=" + "1".repeat(32) + "&label=attacker_manifesto")).containsExactly(manifesto);

    assertThat(api.get("/api/v1/entries?signal=" + PDQ, curator).status()).isEqualTo(422);
    assertThat(api.get("/api/v1/entries?signal_type=pdq&signal=nothex", curator).status()).isEqualTo(422);
    assertThat(api.get("/api/v1/entries?enabled=maybe", curator).status()).isEqualTo(400);
    assertThat(api.get("/api/v1/banks/999999/entries?label=attacker_manifesto", curator).status()).isEqualTo(404);
  }

  private static long add(long bank, String body) {
    Api.Response created = api.post("/api/v1/banks/" + bank + "/entries", curator, body);
    assertThat(created.status()).as(created.header()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  private static java.util.List<Long> ids(String path) {
    Api.Response response = api.get(path, curator);
    assertThat(response.status()).as(response.header()).isEqualTo(200);
    java.util.List<Long> ids = new java.util.ArrayList<>();
    response.json().get("items").forEach(item -> ids.add(item.get("id").asLong()));
    return ids;
  }
}
