package org.countersignal.cli.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.countersignal.cli.CliRun;
import org.countersignal.cli.RunningServer;
import org.countersignal.server.exchange.ExchangeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code countersignal feed}: against real servers, one publishing and, end to end, one following. */
class FeedCommandTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final ExchangeSettings FAST = ExchangeSettings.DEFAULT.withPollInterval(Duration.ofMillis(200));
  static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

  @TempDir Path dir;

  static String[] args(RunningServer server, String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of("--server", server.url(), "--key", server.adminKey()));
    return all.toArray(String[]::new);
  }

  static CliRun ok(RunningServer server, String... command) {
    CliRun run = CliRun.of(args(server, command));
    assertThat(run.exitCode()).as(String.join(" ", command) + ": " + run.err()).isZero();
    return run;
  }

  static List<JsonNode> jsonLines(String out) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }

  static String row(CliRun list, String name) {
    return Arrays.stream(list.lines()).filter(line -> line.matches("\\d+\\s+" + name + "\\s.*")).findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + name + " in\n" + list.out()));
  }

  /** The status a peer key gets reading the feed's pages. */
  static int readPages(RunningServer server, String feed, String key) {
    return server.status("GET", "/api/v1/feeds/" + feed + "/pages", key);
  }

  /** A credentials file only its owner may read, as the exchange command asks. */
  Path privateFile(String name, String text) throws Exception {
    Path file = Files.createFile(dir.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return Files.writeString(file, text);
  }

  @Test
  void aFeedIsPublishedToAPeerWhoseKeyReadsItUntilRemoved() throws Exception {
    try (RunningServer server = RunningServer.start(dir.resolve("data"), null)) {
      server.post("/api/v1/banks", "{\"name\":\"shared\"}");

      CliRun none = ok(server, "feed", "list");
      assertThat(none.out()).isEmpty();
      assertThat(none.err()).contains("no feeds");

      CliRun created = ok(server, "feed", "create", "to-b", "--bank", "shared");
      assertThat(created.out()).startsWith("feed 1: to-b\n").containsPattern("bank\\s+shared \\(id 1\\)").containsPattern("peers\\s+none");
      assertThat(server.get("/api/v1/feeds/1").get("bank_id").asLong()).isEqualTo(1);

      CliRun list = ok(server, "feed", "list");
      assertThat(list.lines()[0]).containsSubsequence("ID", "NAME", "BANK", "PEERS", "CREATED");
      assertThat(row(list, "to-b")).matches("1\\s+to-b\\s+shared\\s+-\\s+\\S+");
      List<JsonNode> listed = jsonLines(ok(server, "feed", "list", "--json").out());
      assertThat(listed).extracting(feed -> feed.get("name").asText()).containsExactly("to-b");

      CliRun added = ok(server, "feed", "peer-add", "to-b", "org-b");
      assertThat(added.lines()).as("the key alone on stdout").hasSize(1);
      String peerKey = added.out().strip();
      assertThat(added.err()).contains("will not be shown again", "feed key", "URL", "to-b");
      assertThat(added.err()).as("the key goes to stdout only").doesNotContain(peerKey);
      assertThat(readPages(server, "to-b", peerKey)).as("the printed key reads the feed").isEqualTo(200);

      CliRun shown = ok(server, "feed", "show", "to-b");
      assertThat(shown.out()).containsPattern("peers\\s+org-b \\(key \\d+\\), added \\S+").doesNotContain(peerKey);
      assertThat(ok(server, "feed", "show", "1", "--json").out()).doesNotContain(peerKey);
      assertThat(row(ok(server, "feed", "list"), "to-b")).matches("1\\s+to-b\\s+shared\\s+org-b\\s+\\S+");

      CliRun removed = ok(server, "feed", "peer-remove", "to-b", "org-b");
      assertThat(removed.err()).contains("revoked");
      assertThat(readPages(server, "to-b", peerKey)).as("the removed peer's key is refused").isEqualTo(401);
      assertThat(server.get("/api/v1/feeds/1").get("peers")).isEmpty();

      CliRun key = ok(server, "feed", "key");
      assertThat(key.out()).isEqualTo(server.get("/api/v1/federation/key").get("public_key").asText() + "\n");
      JsonNode keyJson = JSON.readTree(ok(server, "feed", "key", "--json").out());
      assertThat(keyJson.get("algorithm").asText()).isEqualTo("Ed25519");
      assertThat(keyJson.get("public_key").asText()).isEqualTo(key.out().strip());

      // Deleting the feed revokes the keys of the peers it still has.
      JsonNode again = JSON.readTree(ok(server, "feed", "peer-add", "1", "org-c", "--json").out());
      assertThat(again.get("name").asText()).isEqualTo("org-c");
      assertThat(readPages(server, "to-b", again.get("key").asText())).isEqualTo(200);
      CliRun deleted = ok(server, "feed", "delete", "to-b");
      assertThat(deleted.err()).contains("deleted", "org-c", "revoked");
      assertThat(readPages(server, "to-b", again.get("key").asText())).isEqualTo(401);
      assertThat(server.get("/api/v1/feeds").get("items")).isEmpty();
      assertThat(server.get("/api/v1/banks/1").get("name").asText()).as("the bank stays").isEqualTo("shared");

      // A feed of some labels.
      CliRun some = ok(server, "feed", "create", "manifestos", "--bank", "shared", "--label", "attacker_manifesto");
      assertThat(some.out()).containsPattern("labels\\s+only entries with attacker_manifesto");
      JsonNode labelled = JSON.readTree(ok(server, "feed", "show", "manifestos", "--json").out());
      assertThat(labelled.get("labels").toString()).isEqualTo("[\"attacker_manifesto\"]");
      CliRun unknown = CliRun.of(args(server, "feed", "create", "other", "--bank", "shared", "--label", "no_such_label"));
      assertThat(unknown.exitCode()).as(unknown.err()).isEqualTo(2);
      assertThat(unknown.err()).contains("labels");
    }
  }

  @Test
  void refusalsAreClearWithExitCodeTwoOrOne() throws Exception {
    try (RunningServer server = RunningServer.start(dir.resolve("data"), null)) {
      server.post("/api/v1/banks", "{\"name\":\"shared\"}");

      CliRun unknown = CliRun.of(args(server, "feed", "show", "nope"));
      assertThat(unknown.exitCode()).isEqualTo(2);
      assertThat(unknown.err()).contains("no feed 'nope' at " + server.url());

      CliRun badName = CliRun.of(args(server, "feed", "create", "To B", "--bank", "shared"));
      assertThat(badName.exitCode()).isEqualTo(2);
      assertThat(badName.err()).contains("countersignal feed create: name:", "lower-case letters");

      CliRun noBank = CliRun.of(args(server, "feed", "create", "to-b", "--bank", "missing"));
      assertThat(noBank.exitCode()).isEqualTo(2);
      assertThat(noBank.err()).contains("no bank 'missing'");
      assertThat(server.get("/api/v1/feeds").get("items")).as("nothing made").isEmpty();

      ok(server, "feed", "create", "to-b", "--bank", "1");
      CliRun taken = CliRun.of(args(server, "feed", "create", "to-b", "--bank", "shared"));
      assertThat(taken.exitCode()).isEqualTo(1);
      assertThat(taken.err()).contains("a feed named 'to-b' exists", "HTTP 409");

      CliRun badPeer = CliRun.of(args(server, "feed", "peer-add", "to-b", "Org B"));
      assertThat(badPeer.exitCode()).isEqualTo(2);
      assertThat(badPeer.out()).as("no key printed").isEmpty();
      CliRun noPeer = CliRun.of(args(server, "feed", "peer-remove", "to-b", "org-x"));
      assertThat(noPeer.exitCode()).isEqualTo(2);
      assertThat(noPeer.err()).contains("feed 'to-b' has no peer 'org-x'");
      CliRun noFeed = CliRun.of(args(server, "feed", "peer-add", "nope", "org-b"));
      assertThat(noFeed.exitCode()).isEqualTo(2);
      assertThat(noFeed.err()).contains("no feed 'nope'");

      // An auditor reads feeds but may not publish them.
      String auditor = ok(server, "key", "create", "--role", "auditor").out().strip();
      CliRun read = CliRun.of("feed", "list", "--server", server.url(), "--key", auditor);
      assertThat(read.exitCode()).as(read.err()).isZero();
      assertThat(read.out()).contains("to-b");
      CliRun refused = CliRun.of("feed", "peer-add", "to-b", "org-b", "--server", server.url(), "--key", auditor);
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.err()).contains("the API key's role may not do this");

      CliRun dataDir = CliRun.of("feed", "list", "--data-dir", dir.resolve("data").toString());
      assertThat(dataDir.exitCode()).isEqualTo(2);
      assertThat(dataDir.err()).contains("--data-dir is not taken here", "running server", "give --server URL");
      assertThat(CliRun.of("feed", "list", "--help").out()).as("not offered").doesNotContain("--data-dir");
      assertThat(CliRun.of("feed").exitCode()).isEqualTo(2);
    }
  }

  @Test
  void anotherInstanceFollowsTheFeedWithThePeerKey() throws Exception {
    try (RunningServer a = RunningServer.start(dir.resolve("a"), null, setup -> setup.exchangeSettings(FAST));
        RunningServer b = RunningServer.start(dir.resolve("b"), null, setup -> setup.exchangeSettings(FAST))) {
      long bank = a.post("/api/v1/banks", "{\"name\":\"shared\"}").get("id").asLong();
      a.post("/api/v1/banks/" + bank + "/entries", "{\"signals\":{\"pdq\":\"" + PDQ + "\"}}");
      ok(a, "feed", "create", "to-b", "--bank", "shared");
      String peerKey = ok(a, "feed", "peer-add", "to-b", "org-b").out().strip();
      String publicKey = ok(a, "feed", "key").out().strip();

      Path credentials = privateFile("from-a.env", "key=" + peerKey + "\n");
      String config = JSON.createObjectNode().put("url", a.url() + "/").put("feed", "to-b").put("public_key", publicKey).toString();
      ok(b, "exchange", "create", "from-a", "--kind", "countersignal", "--config", config, "--credentials-file", credentials.toString());
      CliRun fetched = ok(b, "exchange", "fetch", "from-a", "--wait");
      assertThat(fetched.out()).containsPattern("bank\\s+from-a \\(id \\d+\\): 1 entry");
      JsonNode found = b.get("/api/v1/entries?signal_type=pdq&signal=" + PDQ).get("items");
      assertThat(found).as("A's entry is in B's bank").hasSize(1);
      assertThat(found.get(0).get("bank_id").asLong()).isEqualTo(b.get("/api/v1/exchanges/1").get("bank_id").asLong());

      // What B follows is A's list, not B's to publish onward.
      CliRun onward = CliRun.of(args(b, "feed", "create", "onward", "--bank", "from-a"));
      assertThat(onward.exitCode()).isEqualTo(1);
      assertThat(onward.err()).contains("follows the exchange 'from-a'");

      // Once A removes the peer, B's next fetch fails.
      ok(a, "feed", "peer-remove", "to-b", "org-b");
      CliRun refused = CliRun.of(args(b, "exchange", "fetch", "from-a", "--wait"));
      assertThat(refused.exitCode()).as(refused.err()).isEqualTo(1);
      assertThat(refused.err()).contains("the fetch failed", "refused the peer key");
    }
  }

  @Test
  void anIncidentAPeerSharesIsProposedAndAcceptedFromTheCommandLine() throws Exception {
    try (RunningServer a = RunningServer.start(dir.resolve("a"), null, setup -> setup.exchangeSettings(FAST));
        RunningServer b = RunningServer.start(dir.resolve("b"), null, setup -> setup.exchangeSettings(FAST))) {
      a.post("/api/v1/banks", "{\"name\":\"shared\"}");
      ok(a, "feed", "create", "to-b", "--bank", "shared");
      String peerKey = ok(a, "feed", "peer-add", "to-b", "org-b").out().strip();
      String publicKey = ok(a, "feed", "key").out().strip();
      JsonNode declared = jsonLines(ok(a, "incident", "declare", "Harbour attack", "--kind", "attack_livestreamed", "--level",
          "content_incident_protocol", "--json").out()).getFirst();
      ok(a, "incident", "add", declared.get("id").asText(), "--signal", "pdq=" + PDQ);

      Path credentials = privateFile("from-a.env", "key=" + peerKey + "\n");
      String config = JSON.createObjectNode().put("url", a.url() + "/").put("feed", "to-b").put("public_key", publicKey).toString();
      ok(b, "exchange", "create", "from-a", "--kind", "countersignal", "--config", config, "--credentials-file", credentials.toString(),
          "--incidents", "propose");
      ok(b, "exchange", "fetch", "from-a", "--wait");
      List<JsonNode> proposed = jsonLines(ok(b, "incident", "list", "--status", "proposed", "--json").out());
      assertThat(proposed).extracting(i -> i.get("name").asText()).containsExactly("Harbour attack");
      String id = proposed.getFirst().get("id").asText();
      assertThat(b.get("/api/v1/entries?signal_type=pdq&signal=" + PDQ).get("items")).as("not yet accepted").isEmpty();

      JsonNode accepted = jsonLines(ok(b, "incident", "accept", id, "--json").out()).getFirst();
      assertThat(accepted.get("status").asText()).isEqualTo("active");
      ok(b, "exchange", "fetch", "from-a-incident-" + declared.get("id").asText(), "--wait");
      JsonNode found = b.get("/api/v1/entries?signal_type=pdq&signal=" + PDQ).get("items");
      assertThat(found).hasSize(1);
      assertThat(found.get(0).get("bank_id").asLong()).isEqualTo(accepted.get("bank_id").asLong());
      CliRun again = CliRun.of(args(b, "incident", "accept", id));
      assertThat(again.exitCode()).isEqualTo(1);
      assertThat(again.err()).contains("not proposed");
    }
  }
}
