package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.countersignal.server.exchange.ExchangeSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exchanges managed from the console: the same service, checks and audit as through the API, each
 * exchange's fetch status on the page, credentials that go in and never come out, and what each
 * role may do.
 */
class ConsoleExchangesTest {

  static final ExchangeSettings FAST = ExchangeSettings.DEFAULT.withPollInterval(Duration.ofMillis(200))
      .withRequestTimeout(Duration.ofSeconds(2));
  /** The scripted source's token (it refuses any other); typed into the form, it must never be on a page again. */
  static final String TOKEN = "sesame";

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;

  @BeforeAll
  static void start() throws InterruptedException {
    server = CountersignalServer.builder(TestServers.config(dataDir)).exchangeSettings(FAST)
        .extraExchangeKinds(List.of(new ScriptedExchange())).start();
    assertThat(server.awaitReady(Duration.ofSeconds(30))).isTrue();
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static ConsoleClient signedIn(String key) {
    ConsoleClient client = new ConsoleClient(server.port());
    assertThat(client.signInWithKey(key).status()).isEqualTo(303);
    return client;
  }

  static Map<String, String> form(String csrf, String... pairs) {
    return ConsoleRulesTest.form(csrf, pairs);
  }

  /** The exchange's row in the list page. */
  static String row(String page, long id) {
    Matcher m = Pattern.compile("<tr data-exchange-id=\"" + id + "\">.*?</tr>", Pattern.DOTALL).matcher(page);
    assertThat(m.find()).as("exchange " + id + " is listed").isTrue();
    return m.group();
  }

  /** The error message above the page's content. */
  static String alert(String page) {
    Matcher m = Pattern.compile("<p class=\"notice error\" role=\"alert\">(.*?)</p>").matcher(page);
    assertThat(m.find()).as("an error message is shown").isTrue();
    return m.group(1);
  }

  /** The id the console redirected to after making an exchange. */
  static long created(ConsoleClient.Page answer) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(303);
    assertThat(answer.header("Location")).startsWith("/console/exchanges?created=");
    return Long.parseLong(answer.header("Location").substring("/console/exchanges?created=".length()));
  }

  /** Waits until a fetch has ended; returns the exchange as the API shows it then. */
  static JsonNode fetched(long id) {
    JsonNode[] now = {null};
    WebhookReceiver.await("a fetch of exchange " + id + " ends", () -> {
      now[0] = api.get("/api/v1/exchanges/" + id, admin).json();
      JsonNode status = now[0].get("status");
      return !status.path("running_fetch_start_ts").isTextual() && status.path("last_fetch_complete_ts").isTextual();
    });
    return now[0];
  }

  static long folderExchange(String name, String folder) {
    Api.Response made = api.post("/api/v1/exchanges", admin,
        "{\"name\":\"" + name + "\",\"kind\":\"folder\",\"config\":{\"path\":\"" + folder + "\"}}");
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    return made.json().get("id").asLong();
  }

  @Test
  void anAdminMakesAFolderExchangeSeesItsStatusAndManagesIt() throws Exception {
    Path feed = Files.createDirectories(dataDir.resolve("exchange-folders").resolve("feed"));
    Files.writeString(feed.resolve("2026-12-01.txt"), "pdq " + MatchTest.randomPdq(new Random(7)) + "\npdq not-a-hash\n");
    ConsoleClient console = signedIn(admin);
    ConsoleClient.Page page = console.get("/console/exchanges");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("id=\"new-exchange\"").contains("<option value=\"folder\">").contains("<option value=\"scripted\">")
        .contains("aria-current=\"page\">Exchanges</a>");

    assertThat(console.post("/console/exchanges", Map.of("name", "no token", "kind", "folder", "config", "{\"path\":\"feed\"}"))
        .status()).as("no CSRF token").isEqualTo(403);
    long id = created(console.post("/console/exchanges", form(page.csrf(), "name", "shared drive", "kind", "folder",
        "config", "{\"path\": \"feed\"}")));
    JsonNode exchange = fetched(id);
    JsonNode status = exchange.get("status");
    assertThat(status.get("last_fetch_succeeded").asBoolean()).isTrue();
    assertThat(status.get("bank_entries").asLong()).isEqualTo(1);
    assertThat(status.get("malformed_items").asLong()).isEqualTo(1);

    ConsoleClient.Page listed = console.get("/console/exchanges?created=" + id);
    assertThat(listed.body()).contains("Exchange &#39;shared drive&#39; created.");
    String row = row(listed.body(), id);
    assertThat(row).contains("shared drive").contains("<td>folder</td>").contains("{&quot;path&quot;:&quot;feed&quot;")
        .contains("<dt>up to date</dt><dd>yes</dd>")
        .contains(status.get("last_fetch_complete_ts").asText() + "</time>, succeeded")
        .contains(status.get("fetched_items").asLong() + " fetched, 1 malformed, 1 in the bank")
        .contains("<dt>next fetch</dt><dd><time datetime=\"" + status.get("next_fetch_at").asText())
        .contains("matches wait for a reviewer")
        .contains("Fetch now").contains("Trust its matches").contains("Disable").contains("Switch entries off").contains("Delete…");

    // Each button changes what the API shows.
    String csrf = listed.csrf();
    assertThat(console.post("/console/exchanges/" + id + "/trust", form(csrf, "trust", "trusted")).status()).isEqualTo(303);
    assertThat(api.get("/api/v1/exchanges/" + id, admin).json().get("trust").asText()).isEqualTo("trusted");
    assertThat(console.post("/console/exchanges/" + id + "/entries-off", form(csrf)).status()).isEqualTo(303);
    assertThat(api.get("/api/v1/exchanges/" + id, admin).json().get("entries_enabled").asBoolean()).isFalse();
    assertThat(console.post("/console/exchanges/" + id + "/disable", form(csrf)).status()).isEqualTo(303);
    assertThat(api.get("/api/v1/exchanges/" + id, admin).json().get("enabled").asBoolean()).isFalse();
    row = row(console.get("/console/exchanges").body(), id);
    assertThat(row).contains("Put under review").contains("Enable").contains("Switch entries on").doesNotContain("Fetch now")
        .contains("none while disabled");

    // A disabled exchange is not fetched: the service's refusal is shown on the page.
    ConsoleClient.Page refused = console.post("/console/exchanges/" + id + "/fetch", form(csrf));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body()).contains("is disabled; enable it to fetch").contains("id=\"exchanges\"");
    assertThat(console.post("/console/exchanges/" + id + "/enable", form(csrf)).status()).isEqualTo(303);
    ConsoleClient.Page fetching = console.post("/console/exchanges/" + id + "/fetch", form(csrf));
    assertThat(fetching.header("Location")).isEqualTo("/console/exchanges?fetching=" + id);
    assertThat(console.get(fetching.header("Location")).body()).contains("A fetch of exchange &#39;shared drive&#39; was asked for.");

    // Deleting goes through a confirmation step; the bank and its entry stay.
    ConsoleClient.Page confirm = console.get("/console/exchanges/" + id + "/delete");
    assertThat(confirm.status()).isEqualTo(200);
    assertThat(confirm.body()).contains("Delete exchange shared drive?").contains("action=\"/console/exchanges/" + id + "/delete\"");
    assertThat(api.get("/api/v1/exchanges/" + id, admin).status()).as("looking at the step deletes nothing").isEqualTo(200);
    assertThat(console.post("/console/exchanges/" + id + "/delete", Map.of()).status()).as("no CSRF token").isEqualTo(403);
    ConsoleClient.Page deleted = console.post("/console/exchanges/" + id + "/delete", form(confirm.csrf()));
    assertThat(deleted.header("Location")).isEqualTo("/console/exchanges?deleted=" + id);
    assertThat(api.get("/api/v1/exchanges/" + id, admin).status()).isEqualTo(404);
    assertThat(console.get(deleted.header("Location")).body()).contains("Exchange " + id + " deleted.")
        .doesNotContain("data-exchange-id=\"" + id + "\"");
    long bank = exchange.get("bank_id").asLong();
    assertThat(api.get("/api/v1/banks/" + bank, admin).status()).isEqualTo(200);
    assertThat(console.get("/console/exchanges/" + id + "/delete").status()).isEqualTo(404);

    String audit = api.get("/api/v1/audit?limit=500", admin).body();
    assertThat(audit).contains("exchange.created").contains("exchange.updated").contains("exchange.fetch_requested")
        .contains("exchange.deleted");
  }

  @Test
  void aCredentialTypedIntoTheFormIsNeverShownOnAPage() {
    ConsoleClient console = signedIn(admin);
    ConsoleClient.Page page = console.get("/console/exchanges");
    String field = "credential.scripted.token";
    assertThat(page.body()).contains("<input type=\"password\" name=\"" + field + "\" autocomplete=\"new-password\">");

    // Refused (the config lacks its source): the message, what was typed, but not the credential.
    ConsoleClient.Page refused = console.post("/console/exchanges", form(page.csrf(), "name", "hash sharing db", "kind", "scripted",
        "config", "{}", field, TOKEN));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.body()).contains("config.source: required").contains("value=\"hash sharing db\"").doesNotContain(TOKEN);
    // Without the credential, the service names it.
    ConsoleClient.Page missing = console.post("/console/exchanges", form(page.csrf(), "name", "hash sharing db", "kind", "scripted",
        "config", "{\"source\":\"s\"}"));
    assertThat(missing.status()).isEqualTo(422);
    assertThat(missing.body()).contains("credentials.token");

    long id = created(console.post("/console/exchanges", form(page.csrf(), "name", "hash sharing db", "kind", "scripted",
        "config", "{\"source\":\"s\"}", field, TOKEN)));
    JsonNode exchange = fetched(id);
    assertThat(exchange.get("status").get("last_fetch_succeeded").asBoolean()).as("the source took the token typed").isTrue();
    assertThat(exchange.get("credentials_set").toString()).isEqualTo("[\"token\"]");

    ConsoleClient.Page listed = console.get("/console/exchanges?created=" + id);
    assertThat(row(listed.body(), id)).contains("credentials set: token");
    ConsoleClient.Page duplicate = console.post("/console/exchanges", form(page.csrf(), "name", "hash sharing db", "kind", "scripted",
        "config", "{\"source\":\"s\"}", field, TOKEN));
    assertThat(duplicate.status()).isEqualTo(409);
    for (ConsoleClient.Page shown : List.of(listed, duplicate, console.get("/console/exchanges/" + id + "/delete"),
        signedIn(TestServers.key(api, admin, "curator")).get("/console/exchanges"),
        signedIn(TestServers.key(api, admin, "auditor")).get("/console/exchanges"))) {
      assertThat(shown.status()).isIn(200, 409);
      assertThat(shown.body()).contains("hash sharing db").doesNotContain(TOKEN);
    }
  }

  @Test
  void anAdminChangesTheLabelMapConfigIntervalAndCredentials() {
    ConsoleClient console = signedIn(admin);
    String csrf = console.get("/console/exchanges").csrf();
    long id = created(console.post("/console/exchanges", form(csrf, "name", "hsdb mirror", "kind", "scripted",
        "config", "{\"source\": \"one\"}", "credential.scripted.token", TOKEN, "label_map", "christchurch = attacker_manifesto\n")));
    JsonNode made = api.get("/api/v1/exchanges/" + id, admin).json();
    assertThat(made.get("label_map").toString()).isEqualTo("{\"christchurch\":\"attacker_manifesto\"}");

    ConsoleClient.Page edit = console.get("/console/exchanges/" + id + "/edit");
    assertThat(edit.status()).isEqualTo(200);
    assertThat(edit.body()).contains("christchurch = attacker_manifesto").contains("{&quot;source&quot;:&quot;one&quot;}")
        .doesNotContain(TOKEN);
    // Empty credential fields keep the stored token; the rest replaces what was there.
    ConsoleClient.Page saved = console.post("/console/exchanges/" + id + "/edit", form(edit.csrf(), "config", "{\"source\": \"two\"}",
        "label_map", "halle = attacker_manifesto\nbuffalo = graphic_violence_defenceless", "fetch_interval_seconds", "900",
        "credential.scripted.token", ""));
    assertThat(saved.status()).as(saved.body()).isEqualTo(303);
    JsonNode after = api.get("/api/v1/exchanges/" + id, admin).json();
    assertThat(after.get("config").get("source").asText()).isEqualTo("two");
    assertThat(after.get("label_map").size()).isEqualTo(2);
    assertThat(after.get("fetch_interval_seconds").asInt()).isEqualTo(900);
    assertThat(after.get("credentials_set").toString()).isEqualTo("[\"token\"]");
    assertThat(fetched(id).get("status").get("last_fetch_succeeded").asBoolean()).as("the stored token still works").isTrue();

    // A refused change shows why, with what was typed, on the edit form.
    ConsoleClient.Page refused = console.post("/console/exchanges/" + id + "/edit", form(edit.csrf(), "config", "{\"source\": \"two\"}",
        "label_map", "halle = not_a_label", "fetch_interval_seconds", "900"));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(alert(refused.body())).contains("label_map");
    assertThat(refused.body()).contains("id=\"edit-exchange\"").contains("halle = not_a_label");
    assertThat(console.post("/console/exchanges/" + id + "/edit", form(edit.csrf(), "label_map", "no equals sign")).status())
        .isEqualTo(422);
    // Only admins edit.
    ConsoleClient curator = signedIn(TestServers.key(api, admin, "curator"));
    assertThat(curator.get("/console/exchanges/" + id + "/edit").status()).isEqualTo(403);
  }

  @Test
  void aBadConfigIsRefusedWithWhyAndNothingIsMade() {
    ConsoleClient console = signedIn(admin);
    String csrf = console.get("/console/exchanges").csrf();
    int banks = api.get("/api/v1/banks", admin).json().get("items").size();
    Map<String, String> expected = Map.of(
        "{\"path\": ", "config: not JSON",
        "{\"path\": \"a\"} {\"path\": \"b\"}", "config: not JSON",
        "{\"path\": \"a\", \"path\": \"b\"}", "config: not JSON",
        "[\"feed\"]", "config: a JSON object",
        "{\"pth\": \"feed\"}", "config.pth: the folder kind has no such setting; it takes batch_size, path",
        "{\"path\": \"../../etc\"}", "config.path: must lie within the exchange folder root");
    expected.forEach((config, message) -> {
      ConsoleClient.Page refused = console.post("/console/exchanges", form(csrf, "name", "badly configured", "kind", "folder",
          "config", config));
      assertThat(refused.status()).as(config).isEqualTo(422);
      assertThat(alert(refused.body())).as(config).contains(escaped(message));
      assertThat(refused.body()).as(config).contains(escaped(config) + "</textarea>")
          .doesNotContain("Exception").doesNotContain("\tat ");
    });
    ConsoleClient.Page kind = console.post("/console/exchanges", form(csrf, "name", "badly configured", "kind", "carrier_pigeon"));
    assertThat(kind.status()).isEqualTo(422);
    assertThat(kind.body()).contains("kind: &#39;carrier_pigeon&#39; is not an exchange kind");
    assertThat(api.get("/api/v1/exchanges", admin).body()).doesNotContain("badly configured");
    assertThat(api.get("/api/v1/banks", admin).json().get("items").size()).as("no bank made").isEqualTo(banks);
  }

  @Test
  void anExchangeNameWithMarkupIsShownAsText() {
    String name = "<script>alert(1)</script>";
    ConsoleClient console = signedIn(admin);
    String csrf = console.get("/console/exchanges").csrf();
    long id = created(console.post("/console/exchanges", form(csrf, "name", name, "kind", "folder", "config", "{\"path\":\"marked\"}")));
    String escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
    ConsoleClient.Page listed = console.get("/console/exchanges?created=" + id);
    assertThat(row(listed.body(), id)).contains(escaped);
    assertThat(listed.body()).contains("Exchange &#39;" + escaped + "&#39; created.");
    ConsoleClient.Page duplicate = console.post("/console/exchanges", form(csrf, "name", name, "kind", "folder", "config", "{\"path\":\"m\"}"));
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.body()).contains("an exchange named &#39;" + escaped + "&#39; already exists").contains("value=\"" + escaped + "\"");
    ConsoleClient.Page confirm = console.get("/console/exchanges/" + id + "/delete");
    for (ConsoleClient.Page page : List.of(listed, duplicate, confirm)) {
      assertThat(page.body()).doesNotContain("<script>alert(1)").contains(escaped);
    }
  }

  @Test
  void curatorsFetchNowAuditorsOnlyReadAndReviewersSeeNoExchanges() {
    long id = folderExchange("roles", "roles");
    ConsoleClient curator = signedIn(TestServers.key(api, admin, "curator"));
    ConsoleClient.Page curators = curator.get("/console/exchanges");
    assertThat(curators.status()).isEqualTo(200);
    assertThat(row(curators.body(), id)).contains("Fetch now").doesNotContain("Trust its matches").doesNotContain("Disable")
        .doesNotContain("Switch entries").doesNotContain("Delete");
    assertThat(curators.body()).doesNotContain("id=\"new-exchange\"");
    assertThat(curator.post("/console/exchanges/" + id + "/fetch", form(curators.csrf())).status()).isEqualTo(303);
    assertThat(curator.post("/console/exchanges/" + id + "/disable", form(curators.csrf())).status()).isEqualTo(403);
    assertThat(curator.post("/console/exchanges/" + id + "/delete", form(curators.csrf())).status()).isEqualTo(403);
    assertThat(curator.get("/console/exchanges/" + id + "/delete").status()).isEqualTo(403);
    assertThat(curator.post("/console/exchanges", form(curators.csrf(), "name", "by a curator", "kind", "folder",
        "config", "{\"path\":\"c\"}")).status()).isEqualTo(403);

    ConsoleClient auditor = signedIn(TestServers.key(api, admin, "auditor"));
    ConsoleClient.Page auditors = auditor.get("/console/exchanges");
    assertThat(auditors.status()).isEqualTo(200);
    assertThat(row(auditors.body(), id)).contains("roles").contains("<dt>up to date</dt>").doesNotContain("<form")
        .doesNotContain("<button");
    assertThat(auditors.body()).doesNotContain("id=\"new-exchange\"").doesNotContain("action=\"/console/exchanges");
    assertThat(auditor.post("/console/exchanges/" + id + "/fetch", form(auditors.csrf())).status()).isEqualTo(403);
    assertThat(auditor.post("/console/exchanges/" + id + "/trust", form(auditors.csrf(), "trust", "trusted")).status()).isEqualTo(403);
    assertThat(auditor.post("/console/exchanges", form(auditors.csrf(), "name", "by an auditor", "kind", "folder",
        "config", "{\"path\":\"a\"}")).status()).isEqualTo(403);
    JsonNode after = api.get("/api/v1/exchanges/" + id, admin).json();
    assertThat(after.get("trust").asText()).isEqualTo("review");
    assertThat(after.get("enabled").asBoolean()).isTrue();
    assertThat(api.get("/api/v1/exchanges", admin).body()).doesNotContain("by a curator").doesNotContain("by an auditor");

    ConsoleClient reviewer = signedIn(TestServers.key(api, admin, "reviewer"));
    assertThat(reviewer.get("/console/exchanges").status()).isEqualTo(403);
    assertThat(reviewer.get("/console/queue").body()).doesNotContain("/console/exchanges");
  }

  /** Text as the console writes it into a page. */
  private static String escaped(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
  }
}
