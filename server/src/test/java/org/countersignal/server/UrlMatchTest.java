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

/**
 * Links banked with a scope (the URL, a path prefix, a whole registrable domain) and matched
 * through {@code signals.url} and in the text of posts and documents.
 */
class UrlMatchTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static long newBank(String name) {
    return api.post("/api/v1/banks", admin, "{\"name\":\"" + name + "\"}").json().get("id").asLong();
  }

  static Api.Response bank(long bank, String url) {
    return api.post("/api/v1/banks/" + bank + "/entries", admin,
        Api.JSON.createObjectNode().set("signals", Api.JSON.createObjectNode().put("url", url)).toString());
  }

  static long banked(long bank, String url) {
    Api.Response response = bank(bank, url);
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json().get("id").asLong();
  }

  /** Entries {@code url} hits through {@code POST /match}, with the scope each hit says. */
  static List<String> hits(String url) {
    String body = Api.JSON.createObjectNode().set("signals", Api.JSON.createObjectNode().put("url", url)).toString();
    Api.Response response = api.post("/api/v1/match", admin, body);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    for (JsonNode hit : response.json().get("matches")) {
      out.add(hit.get("entry_id").asLong() + ":" + hit.get("part").get("scope").asText());
    }
    return out;
  }

  @Test
  void eachScopeCoversWhatItSaysAndNoMore() {
    long bank = newBank("links");
    long exact = banked(bank, "https://www.Files.example/manifesto.pdf?utm_source=x");
    long prefix = banked(bank, "prefix:https://board.example/pnd");
    long domain = banked(bank, "domain:https://www.mirror.evil.co.uk/anything");
    long hosted = banked(bank, "domain:evil.github.io");

    // The entry shows each value in canonical form; a domain scope widens to the registrable domain.
    assertThat(api.get("/api/v1/entries/" + domain, admin).json().get("signals").get("url").asText()).isEqualTo("domain:evil.co.uk");

    assertThat(hits("http://files.example/manifesto.pdf#page=2")).containsExactly(exact + ":exact");
    assertThat(hits("files.example/other.pdf")).isEmpty();
    assertThat(hits("https://board.example/pnd/res/123.html")).containsExactly(prefix + ":prefix");
    assertThat(hits("https://board.example/pndx")).isEmpty();
    assertThat(hits("https://a.b.evil.co.uk/x")).containsExactly(domain + ":domain");
    assertThat(hits("https://other.co.uk/")).isEmpty();
    assertThat(hits("https://evil.github.io/post")).containsExactly(hosted + ":domain");
    // Banking one site under a shared suffix never bans its neighbours.
    assertThat(hits("https://github.io/")).isEmpty();
    assertThat(hits("https://innocent.github.io/")).isEmpty();
  }

  @Test
  void aPublicSuffixOrABrokenUrlIsRefused() {
    long bank = newBank("refusals");
    for (String suffix : List.of("domain:github.io", "domain:co.uk", "domain:com")) {
      Api.Response refused = bank(bank, suffix);
      assertThat(refused.status()).as(suffix).isEqualTo(422);
      assertThat(refused.json().get("detail").asText()).contains("public suffix");
    }
    assertThat(bank(bank, "javascript:alert(1)").status()).isEqualTo(422);
    assertThat(bank(bank, "https://" + "a".repeat(600) + ".example/").status()).isEqualTo(422);
  }

  @Test
  void internationalNamesFollowIdna2008() {
    long bank = newBank("idn");
    long entry = banked(bank, "domain:faß.example");
    // IDNA2008 keeps ß: faß.example and fass.example are different names.
    assertThat(api.get("/api/v1/entries/" + entry, admin).json().get("signals").get("url").asText())
        .isEqualTo("domain:xn--fa-hia.example");
    assertThat(hits("https://FAß.example/x")).containsExactly(entry + ":domain");
    assertThat(hits("https://fass.example/x")).isEmpty();
  }

  @Test
  void linksInATextPostAreMatchedAndShortenersFlagged() {
    long bank = newBank("post links");
    long entry = banked(bank, "domain:propaganda.example");
    String post = "read it here: hxxps://www[.]propaganda[.]example/part-2 and share via https://bit.ly/3abcDEF";
    Api.Response matched = api.post("/api/v1/match/text", admin, Api.JSON.createObjectNode().put("text", post).toString());
    assertThat(matched.status()).as(matched.body()).isEqualTo(200);
    JsonNode urls = matched.json().get("signals").get("url");
    assertThat(urls).hasSize(2);
    assertThat(urls.get(0).asText()).isEqualTo("propaganda.example/part-2");
    assertThat(matched.json().get("shortener").get("url").get(0).asBoolean()).isFalse();
    assertThat(matched.json().get("shortener").get("url").get(1).asBoolean()).isTrue();
    List<Long> hit = new ArrayList<>();
    matched.json().get("matches").forEach(m -> {
      if (m.get("signal_type").asText().equals("url")) {
        hit.add(m.get("entry_id").asLong());
      }
    });
    assertThat(hit).containsExactly(entry);
  }

  @Test
  void disablingOrDeletingALinkStopsItsMatches() {
    long bank = newBank("link lifecycle");
    long entry = banked(bank, "prefix:forum.example/threads/attack");
    assertThat(hits("forum.example/threads/attack/1")).containsExactly(entry + ":prefix");
    assertThat(api.post("/api/v1/entries/" + entry + "/disable", admin, "{\"reason\":\"resolved\"}").status()).isEqualTo(200);
    assertThat(hits("forum.example/threads/attack/1")).isEmpty();
    assertThat(api.post("/api/v1/entries/" + entry + "/enable", admin, "").status()).isEqualTo(200);
    assertThat(hits("forum.example/threads/attack/1")).containsExactly(entry + ":prefix");
    assertThat(api.delete("/api/v1/entries/" + entry, admin).status()).isEqualTo(204);
    assertThat(hits("forum.example/threads/attack/1")).isEmpty();
  }

  @Test
  void aRuleFiresOnADomainHitAndBulkImportTakesScopes() {
    long bank = newBank("imported links");
    String batch = "{\"entries\":[{\"signals\":{\"url\":\"domain:https://www.recruit.example/join\"},\"labels\":[\"recruitment_and_instruction\"]},"
        + "{\"signals\":{\"url\":\"prefix:forum.example/recruit\"}}]}";
    Api.Response imported = api.post("/api/v1/banks/" + bank + "/entries/batch", admin, batch);
    assertThat(imported.status()).as(imported.body()).isEqualTo(201);
    long domainEntry = imported.json().get("entry_ids").get(0).asLong();
    assertThat(api.post("/api/v1/banks/" + bank + "/entries/batch", admin, "{\"entries\":[{\"signals\":{\"url\":\"domain:co.uk\"}}]}")
        .status()).isEqualTo(422);

    Api.Response rule = api.post("/api/v1/rules", admin, "{\"name\":\"recruiting links\",\"action\":\"remove\",\"conditions\":{\"banks\":["
        + bank + "],\"signal_types\":[\"url\"]}}");
    assertThat(rule.status()).as(rule.body()).isEqualTo(201);
    String post = "{\"text\":\"join us at https://apply.recruit.example/now\",\"content\":{\"id\":\"post-77\"}}";
    Api.Response matched = api.post("/api/v1/match/text", admin, post);
    assertThat(matched.status()).as(matched.body()).isEqualTo(200);
    assertThat(matched.json().get("matches").get(0).get("entry_id").asLong()).isEqualTo(domainEntry);
    JsonNode decisions = matched.json().get("submission").get("decisions");
    assertThat(decisions).hasSize(1);
    assertThat(decisions.get(0).get("action").asText()).isEqualTo("remove");
  }
}
