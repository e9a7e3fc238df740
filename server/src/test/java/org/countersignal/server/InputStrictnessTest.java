package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.countersignal.server.ProblemDetailsTest.assertProblem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A body is read as written or refused: no value converted to the field's type, no key given
 * twice, and no control, bidirectional-override or invisible formatting character in the text
 * people read back (names, tags, descriptions, notes, reasons). Right-to-left writing is welcome.
 */
class InputStrictnessTest {

  static final String MD5 = "0123456789abcdef0123456789abcdef";

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static long bank;
  static long entry;

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    bank = created(api.post("/api/v1/banks", admin, "{\"name\":\"strictness\"}")).get("id").asLong();
    entry = created(api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"md5\":\"" + MD5 + "\"}}")).get("id").asLong();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode created(Api.Response response) {
    assertThat(response.status()).as(response.header()).isEqualTo(201);
    return response.json();
  }

  /** A 400 problem detail naming {@code field}, in {@code field} and in {@code detail}. */
  static void assertRefused(Api.Response response, String field) {
    assertProblem(response, 400);
    assertThat(response.json().get("field").asText()).as(response.body()).isEqualTo(field);
    assertThat(response.json().get("detail").asText()).contains(field);
  }

  static String json(Map<String, ?> body) {
    try {
      return Api.JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Object> map(Object... pairs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], pairs[i + 1]);
    }
    return out;
  }

  List<String> bankNames() {
    List<String> names = new java.util.ArrayList<>();
    api.get("/api/v1/banks", admin).json().get("items").forEach(b -> names.add(b.get("name").asText()));
    return names;
  }

  // --- types ----------------------------------------------------------------------------------

  @Test
  void aNumberWithAFractionIsNotTruncatedToAWholeNumber() {
    assertRefused(api.post("/api/v1/banks", admin, "{\"name\":\"fraction\",\"thresholds\":{\"pdq\":30.9}}"), "thresholds.pdq");
    assertRefused(api.post("/api/v1/banks", admin, "{\"name\":\"fraction\",\"thresholds\":{\"pdq\":30.0}}"), "thresholds.pdq");
    assertRefused(api.patch("/api/v1/banks/" + bank, admin, "{\"thresholds\":{\"pdq\":30.9}}"), "thresholds.pdq");
    assertRefused(api.post("/api/v1/rules", admin,
        "{\"name\":\"r\",\"action\":\"remove\",\"priority\":1.5,\"conditions\":{\"banks\":[" + bank + "]}}"), "priority");
    assertRefused(api.post("/api/v1/match", admin, "{\"signals\":{\"md5\":\"" + MD5 + "\"},\"banks\":[" + bank + ".0]}"), "banks[0]");
    assertThat(bankNames()).doesNotContain("fraction");
    assertThat(api.get("/api/v1/banks/" + bank, admin).json().get("thresholds").get("pdq").asInt()).isNotEqualTo(30);
  }

  @Test
  void aNumberInAStringIsNotANumber() {
    assertRefused(api.post("/api/v1/banks", admin, "{\"name\":\"quoted\",\"thresholds\":{\"pdq\":\"20\"}}"), "thresholds.pdq");
    assertRefused(api.post("/api/v1/banks", admin, "{\"name\":\"quoted\",\"thresholds\":{\"pdq\":\"\"}}"), "thresholds.pdq");
    assertRefused(api.post("/api/v1/rules", admin,
        "{\"name\":\"r\",\"action\":\"remove\",\"priority\":\"5\",\"conditions\":{\"banks\":[" + bank + "]}}"), "priority");
    assertRefused(api.post("/api/v1/match", admin, "{\"signals\":{\"md5\":\"" + MD5 + "\"},\"banks\":[\"" + bank + "\"]}"), "banks[0]");
    assertThat(bankNames()).doesNotContain("quoted");
  }

  @Test
  void onlyTrueAndFalseAreBooleans() {
    assertRefused(api.post("/api/v1/banks", admin, "{\"name\":\"flag\",\"enabled\":\"false\"}"), "enabled");
    assertRefused(api.post("/api/v1/banks", admin, "{\"name\":\"flag\",\"enabled\":0}"), "enabled");
    assertRefused(api.post("/api/v1/banks", admin, "{\"name\":\"flag\",\"enabled\":1}"), "enabled");
    assertRefused(api.patch("/api/v1/banks/" + bank, admin, "{\"enabled\":\"false\"}"), "enabled");
    assertRefused(api.post("/api/v1/webhooks", admin,
        "{\"url\":\"https://hooks.example.org/x\",\"event_types\":[\"*\"],\"enabled\":\"true\"}"), "enabled");
    assertThat(bankNames()).doesNotContain("flag");
    assertThat(api.get("/api/v1/banks/" + bank, admin).json().get("enabled").asBoolean()).isTrue();
  }

  @Test
  void aNumberOrBooleanIsNotText() {
    assertRefused(api.post("/api/v1/banks", admin, "{\"name\":42}"), "name");
    assertRefused(api.post("/api/v1/banks", admin, "{\"name\":true}"), "name");
    assertRefused(api.post("/api/v1/banks/" + bank + "/entries", admin,
        "{\"signals\":{\"md5\":\"" + MD5.replace('0', '1') + "\"},\"entities\":[7]}"), "entities[0]");
    assertRefused(api.post("/api/v1/banks/" + bank + "/entries", admin,
        "{\"signals\":{\"md5\":\"" + MD5.replace('0', '1') + "\"},\"note\":12.5}"), "note");
    assertRefused(api.post("/api/v1/banks/" + bank + "/entries/batch", admin,
        "{\"entries\":[{\"signals\":{\"md5\":\"" + MD5.replace('0', '2') + "\"},\"provenance\":false}]}"), "entries[0].provenance");
  }

  @Test
  void aNumberOutOfRangeNamesItsField() {
    assertRefused(api.post("/api/v1/rules", admin,
        "{\"name\":\"r\",\"action\":\"remove\",\"priority\":99999999999,\"conditions\":{\"banks\":[" + bank + "]}}"), "priority");
  }

  @Test
  void aKeyGivenTwiceIsRefusedNamingIt() {
    assertRefused(api.post("/api/v1/banks", admin, "{\"name\":\"first\",\"name\":\"second\"}"), "name");
    assertRefused(api.post("/api/v1/banks", admin, "{\"name\":\"twice\",\"thresholds\":{\"pdq\":10,\"pdq\":31}}"), "thresholds.pdq");
    assertRefused(api.post("/api/v1/banks/" + bank + "/entries/batch", admin,
        "{\"entries\":[{\"signals\":{\"md5\":\"" + MD5.replace('0', '3') + "\"}},"
            + "{\"signals\":{\"md5\":\"" + MD5.replace('0', '4') + "\"},\"note\":\"a\",\"note\":\"b\"}]}"), "entries[1].note");
    assertRefused(api.post("/api/v1/match", admin,
        "{\"signals\":{\"md5\":\"" + MD5 + "\",\"md5\":\"" + MD5.replace('0', '5') + "\"}}"), "signals.md5");
    assertThat(bankNames()).doesNotContain("first", "second", "twice");
  }

  // --- characters -----------------------------------------------------------------------------

  /** Refused in every field: controls (C0, DEL, C1), bidi overrides, embeddings and isolates, invisible formatting. */
  static final List<String> NEVER = List.of(
      "\u0000", "\u0007", "\r", "\u001b", "\u007f", "\u0085", "\u009b",
      "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
      "\ufeff", "\u200b", "\u2060", "\u00ad", "\u2028", "\u2029", "\udb40\udc41");

  /** Refused in one-line fields, kept in free text of several lines. */
  static final List<String> LINE_BREAKS = List.of("\n", "\t");

  @Test
  void oneLineFieldsRefuseControlAndFormattingCharacters() {
    List<String> refused = new java.util.ArrayList<>(NEVER);
    refused.addAll(LINE_BREAKS);
    for (String c : refused) {
      String text = "evil" + c + "name";
      assertRefused(api.post("/api/v1/banks", admin, json(map("name", text))), "name");
      assertRefused(api.patch("/api/v1/banks/" + bank, admin, json(map("name", text))), "name");
      assertRefused(api.post("/api/v1/banks/" + bank + "/entries", admin,
          json(map("signals", map("md5", MD5.replace('0', '6')), "entities", List.of("ok", text)))), "entities[1]");
      assertRefused(api.post("/api/v1/banks/" + bank + "/entries", admin,
          json(map("signals", map("md5", MD5.replace('0', '6')), "provenance", text))), "provenance");
      assertRefused(api.post("/api/v1/rules", admin,
          json(map("name", text, "action", "remove", "conditions", map("banks", List.of(bank))))), "name");
      assertRefused(api.post("/api/v1/keys", admin, json(map("role", "matcher", "name", text))), "name");
    }
    assertThat(bankNames()).noneMatch(n -> n.startsWith("evil"));
  }

  @Test
  void freeTextRefusesControlAndFormattingCharactersButKeepsLinesAndTabs() {
    for (String c : NEVER) {
      String text = "line one" + c + "line two";
      assertRefused(api.post("/api/v1/banks", admin, json(map("name", "described", "description", text))), "description");
      assertRefused(api.post("/api/v1/banks/" + bank + "/entries", admin,
          json(map("signals", map("md5", MD5.replace('0', '7')), "note", text))), "note");
      assertRefused(api.post("/api/v1/labels", admin, json(map("name", "strict_label", "description", text))), "description");
      assertRefused(api.post("/api/v1/rules", admin,
          json(map("name", "described", "description", text, "action", "remove", "conditions", map("banks", List.of(bank))))),
          "description");
      assertRefused(api.post("/api/v1/webhooks", admin,
          json(map("url", "https://hooks.example.org/x", "event_types", List.of("*"), "description", text))), "description");
      assertRefused(api.post("/api/v1/entries/" + entry + "/disable", admin, json(map("reason", text))), "reason");
      assertRefused(api.post("/api/v1/appeals", admin, json(map("content_id", "never-removed", "statement", text))), "statement");
      assertRefused(api.post("/api/v1/accounts/someone/takeover", admin, json(map(
          "from", "2026-01-01T00:00:00Z", "to", "2026-01-02T00:00:00Z", "action", "remove", "reason", text))), "reason");
    }
    assertThat(bankNames()).doesNotContain("described");
    assertThat(api.get("/api/v1/entries/" + entry, admin).json().get("enabled").asBoolean()).isTrue();

    // Lines and tabs are what free text is for; a browser's CR LF is kept as LF.
    JsonNode described = created(api.post("/api/v1/banks", admin,
        json(map("name", "described", "description", "first line\r\nsecond\tline\nthird"))));
    assertThat(described.get("description").asText()).isEqualTo("first line\nsecond\tline\nthird");
  }

  @Test
  void anUnpairedSurrogateIsRefused() {
    assertRefused(api.post("/api/v1/banks", admin, "{\"name\":\"half \\ud800 a pair\"}"), "name");
    assertRefused(api.post("/api/v1/banks", admin, "{\"name\":\"ok\",\"description\":\"\\udc00\"}"), "description");
  }

  @Test
  void aBadCharacterInABatchIsListedWithItsRow() {
    Api.Response response = api.post("/api/v1/banks/" + bank + "/entries/batch", admin, json(map("entries", List.of(
        map("signals", map("md5", MD5.replace('0', '8')), "note", "fine"),
        map("signals", map("md5", MD5.replace('0', '9')), "note", "bad\u202enote")))));
    assertProblem(response, 422);
    assertThat(response.json().get("errors")).hasSize(1);
    assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("entries[1].note");
  }

  @Test
  void rightToLeftWritingIsWelcomeAndComesBackUnchanged() {
    String arabic = "بنك المحتوى المتطرف ٢٠٢٦";
    String hebrew = "מאגר תוכן קיצוני";
    // A Persian word with its zero-width non-joiner, and a right-to-left mark before Latin letters and digits.
    String persian = "می\u200cخواهم \u200fGIFCT 2026";
    for (String name : List.of(arabic, hebrew, persian)) {
      JsonNode made = created(api.post("/api/v1/banks", admin, json(map("name", name, "description", name + "\n" + name))));
      assertThat(made.get("name").asText()).isEqualTo(name);
      JsonNode read = api.get("/api/v1/banks/" + made.get("id").asLong(), admin).json();
      assertThat(read.get("name").asText()).isEqualTo(name);
      assertThat(read.get("description").asText()).isEqualTo(name + "\n" + name);
    }
    assertThat(bankNames()).contains(arabic, hebrew, persian);

    JsonNode noted = created(api.post("/api/v1/banks/" + bank + "/entries", admin,
        json(map("signals", map("md5", MD5.replace('0', 'a')), "note", arabic + "\n" + hebrew, "entities", List.of(hebrew, arabic)))));
    JsonNode read = api.get("/api/v1/entries/" + noted.get("id").asLong(), admin).json();
    assertThat(read.get("note").asText()).isEqualTo(arabic + "\n" + hebrew);
    assertThat(read.get("entities").get(0).asText()).isEqualTo(hebrew);
    assertThat(read.get("entities").get(1).asText()).isEqualTo(arabic);

    JsonNode rule = created(api.post("/api/v1/rules", admin,
        json(map("name", arabic, "action", "remove", "conditions", map("banks", List.of(bank))))));
    assertThat(rule.get("name").asText()).isEqualTo(arabic);
  }
}
