package org.countersignal.cli.exchange;

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
import java.util.Map;
import java.util.Set;
import org.countersignal.cli.CliRun;
import org.countersignal.cli.RunningServer;
import org.countersignal.server.exchange.ExchangeSettings;
import org.countersignal.server.exchange.Opinion;
import org.countersignal.server.exchange.SignalKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code countersignal exchange}: against a real server, whose fetcher runs in this JVM. */
class ExchangeCommandTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final ExchangeSettings FAST = ExchangeSettings.DEFAULT.withPollInterval(Duration.ofMillis(200));
  static final String PDQ_A = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  static final String PDQ_B = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
  // One word each, so a parser's message quoting the token would quote the whole secret.
  static final String SECRET = "s3cretAb9fDoNotEcho";
  static final String NEW_SECRET = "n3wSecret77DoNotEcho";

  @TempDir Path dir;

  @AfterEach
  void realEnvironment() {
    Credentials.environment = System::getenv;
  }

  static String[] args(RunningServer server, String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of("--server", server.url(), "--key", server.adminKey()));
    return all.toArray(String[]::new);
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

  /** Waits until exchange {@code id} has ended a fetch and runs none. */
  static JsonNode awaitIdle(RunningServer server, long id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      JsonNode status = server.get("/api/v1/exchanges/" + id).get("status");
      if (status.hasNonNull("last_fetch_complete_ts") && status.get("running_fetch_start_ts").isNull()) {
        return status;
      }
      assertThat(System.nanoTime()).as("a fetch of exchange " + id + " ended").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  static boolean matches(RunningServer server, String pdq) {
    return server.post("/api/v1/match", "{\"signals\":{\"pdq\":\"" + pdq + "\"}}").get("matches").size() > 0;
  }

  static String row(CliRun list, String name) {
    return Arrays.stream(list.lines()).filter(line -> line.matches("\\d+\\s+" + name + "\\s.*")).findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + name + " in\n" + list.out()));
  }

  @Test
  void aFolderExchangeIsCreatedFetchedListedShownChangedAndDeleted() throws Exception {
    Path data = dir.resolve("data");
    try (RunningServer server = RunningServer.start(data, null, b -> b.exchangeSettings(FAST))) {
      Path feed = Files.createDirectories(data.resolve("exchange-folders").resolve("feed"));

      CliRun kinds = CliRun.of(args(server, "exchange", "kinds"));
      assertThat(kinds.exitCode()).as(kinds.err()).isZero();
      assertThat(kinds.lines()[0]).startsWith("KIND").contains("CREDENTIALS", "DESCRIPTION");
      assertThat(kinds.out()).containsPattern("(?m)^folder\\s+none\\s+no\\s+no\\s+Hash-list files");

      CliRun created = CliRun.of(args(server, "exchange", "create", "feed", "--kind", "folder", "--config", "{\"path\":\"feed\"}",
          "--label", "attacker_manifesto", "--map", "manifesto=attacker_manifesto", "--interval", "3600"));
      assertThat(created.exitCode()).as(created.err()).isZero();
      assertThat(created.out()).startsWith("exchange 1: feed\n").containsPattern("kind\\s+folder")
          .containsPattern("trust\\s+review: matches wait for a reviewer").containsPattern("label map\\s+manifesto -> attacker_manifesto")
          .containsPattern("fetching\\s+enabled, every 3600 s");
      // The fetch creation starts finds the folder empty; the file comes after it.
      assertThat(awaitIdle(server, 1).get("fetched_items").asLong()).isZero();
      Files.writeString(feed.resolve("list.txt"), "pdq " + PDQ_A + "\npdq " + PDQ_B + "\nnot-a-signal-line\n");

      CliRun fetched = CliRun.of(args(server, "exchange", "fetch", "feed", "--wait"));
      assertThat(fetched.exitCode()).as(fetched.err()).isZero();
      assertThat(fetched.out()).as("printed once the fetch asked for has ended")
          .containsPattern("fetched\\s+3 items, 1 malformed").containsPattern("up to date\\s+yes")
          .containsPattern("last fetch\\s+\\S+ ok").containsPattern("bank\\s+feed \\(id 1\\): 2 entries, matching");
      assertThat(matches(server, PDQ_A)).as("the fetched entries match").isTrue();

      // A folder that is not there: the fetch fails, and --wait says so with exit code 1.
      CliRun broken = CliRun.of(args(server, "exchange", "create", "broken", "--kind", "folder", "--config", "{\"path\":\"missing\"}"));
      assertThat(broken.exitCode()).as(broken.err()).isZero();
      CliRun failed = CliRun.of(args(server, "exchange", "fetch", "2", "--wait"));
      assertThat(failed.exitCode()).isEqualTo(1);
      assertThat(failed.err()).contains("exchange fetch: the fetch failed: cannot read the folder");
      assertThat(failed.out()).containsPattern("last fetch\\s+\\S+ failed");

      CliRun list = CliRun.of(args(server, "exchange", "list"));
      assertThat(list.exitCode()).as(list.err()).isZero();
      assertThat(list.lines()[0]).containsSubsequence("ID", "NAME", "KIND", "BANK", "TRUST", "ENABLED", "UP TO DATE", "LAST FETCH",
          "FETCHED", "MALFORMED", "LAST ERROR");
      assertThat(row(list, "feed")).matches("1\\s+feed\\s+folder\\s+feed\\s+review\\s+yes\\s+yes\\s+\\S+ ok\\s+3\\s+1\\s+-");
      assertThat(row(list, "broken")).containsPattern("review\\s+yes\\s+no\\s+\\S+ failed\\s+0\\s+0\\s+cannot read the folder");

      List<JsonNode> listed = jsonLines(CliRun.of(args(server, "exchange", "list", "--json")).out());
      assertThat(listed).extracting(e -> e.get("name").asText()).containsExactly("feed", "broken");
      JsonNode shown = JSON.readTree(CliRun.of(args(server, "exchange", "show", "feed", "--json")).out());
      assertThat(shown.get("status").get("fetched_items").asLong()).isEqualTo(3);
      assertThat(shown.get("config").get("path").asText()).isEqualTo("feed");
      assertThat(CliRun.of(args(server, "exchange", "show", "1")).out()).startsWith("exchange 1: feed\n");

      CliRun trusted = CliRun.of(args(server, "exchange", "update", "feed", "--trust", "trusted", "--entries", "off"));
      assertThat(trusted.exitCode()).as(trusted.err()).isZero();
      assertThat(trusted.out()).containsPattern("trust\\s+trusted: matches act as the rules say").contains("switched off");
      JsonNode stored = server.get("/api/v1/exchanges/1");
      assertThat(stored.get("trust").asText()).isEqualTo("trusted");
      assertThat(stored.get("entries_enabled").asBoolean()).isFalse();
      assertThat(stored.get("labels").get(0).asText()).as("what the update did not give stays").isEqualTo("attacker_manifesto");
      assertThat(matches(server, PDQ_A)).as("its entries are switched off").isFalse();

      CliRun disabled = CliRun.of(args(server, "exchange", "update", "broken", "--disable"));
      assertThat(disabled.exitCode()).as(disabled.err()).isZero();
      CliRun notNow = CliRun.of(args(server, "exchange", "fetch", "broken"));
      assertThat(notNow.exitCode()).isEqualTo(1);
      assertThat(notNow.err()).contains("is disabled; enable it to fetch", "HTTP 409");

      CliRun deleted = CliRun.of(args(server, "exchange", "delete", "broken"));
      assertThat(deleted.exitCode()).as(deleted.err()).isZero();
      assertThat(deleted.err()).contains("exchange 2 (broken) deleted; its bank 'broken' and its entries stay");
      assertThat(server.get("/api/v1/exchanges").get("items")).hasSize(1);
      assertThat(server.get("/api/v1/banks/2").get("name").asText()).isEqualTo("broken");
    }
  }

  @Test
  void refusalsAreClearWithExitCodeTwoOrOne() throws Exception {
    try (RunningServer server = RunningServer.start(dir.resolve("data"), null, b -> b.exchangeSettings(FAST))) {
      CliRun badKind = CliRun.of(args(server, "exchange", "create", "x", "--kind", "hsdb", "--config", "{}"));
      assertThat(badKind.exitCode()).isEqualTo(2);
      assertThat(badKind.err()).contains("countersignal exchange create: kind: 'hsdb' is not an exchange kind; one of folder");

      CliRun outside = CliRun.of(args(server, "exchange", "create", "x", "--kind", "folder", "--config", "{\"path\":\"../..\"}"));
      assertThat(outside.exitCode()).isEqualTo(2);
      assertThat(outside.err()).contains("config.path: must lie within the exchange folder root");

      CliRun notJson = CliRun.of(args(server, "exchange", "create", "x", "--kind", "folder", "--config", "path=feed"));
      assertThat(notJson.exitCode()).isEqualTo(2);
      assertThat(notJson.err()).contains("--config is not JSON");
      assertThat(server.get("/api/v1/exchanges").get("items")).as("nothing made").isEmpty();

      CliRun unknown = CliRun.of(args(server, "exchange", "show", "nope"));
      assertThat(unknown.exitCode()).isEqualTo(2);
      assertThat(unknown.err()).contains("no exchange 'nope' at " + server.url());

      CliRun created = CliRun.of(args(server, "exchange", "create", "f", "--kind", "folder", "--config", "{\"path\":\"f\"}"));
      assertThat(created.exitCode()).as(created.err()).isZero();
      CliRun nothing = CliRun.of(args(server, "exchange", "update", "f"));
      assertThat(nothing.exitCode()).isEqualTo(2);
      assertThat(nothing.err()).contains("nothing to change");
      CliRun both = CliRun.of(args(server, "exchange", "update", "f", "--enable", "--disable"));
      assertThat(both.exitCode()).isEqualTo(2);
      CliRun entries = CliRun.of(args(server, "exchange", "update", "f", "--entries", "maybe"));
      assertThat(entries.exitCode()).isEqualTo(2);
      assertThat(entries.err()).contains("--entries takes on or off");
      CliRun badTrust = CliRun.of(args(server, "exchange", "update", "f", "--trust", "blind"));
      assertThat(badTrust.exitCode()).isEqualTo(2);
      assertThat(badTrust.err()).contains("trust: review");
      CliRun noOpinions = CliRun.of(args(server, "exchange", "opinion", "f", "--signal-type", "pdq", "--signal", PDQ_A,
          "--opinion", "positive_class"));
      assertThat(noOpinions.exitCode()).isEqualTo(1);
      assertThat(noOpinions.err()).contains("the folder exchange kind takes no opinions");
      CliRun noVerify = CliRun.of(args(server, "exchange", "verify", "f", "--signal", "pdq=" + PDQ_A));
      assertThat(noVerify.exitCode()).isEqualTo(1);
      assertThat(noVerify.err()).contains("the folder exchange kind does not verify signals");

      // Exchanges live in the running server: a data directory is refused, saying why.
      CliRun dataDir = CliRun.of("exchange", "list", "--data-dir", dir.resolve("data").toString());
      assertThat(dataDir.exitCode()).isEqualTo(2);
      assertThat(dataDir.err()).contains("--data-dir is not taken here: exchanges are fetched by a running server",
          "give --server URL");
      assertThat(CliRun.of("exchange", "list", "--help").out()).as("not offered").doesNotContain("--data-dir");

      CliRun down = CliRun.of("exchange", "list", "--server", "http://127.0.0.1:9", "--key", "cs_x");
      assertThat(down.exitCode()).isEqualTo(1);
      assertThat(down.err()).contains("cannot reach the server at http://127.0.0.1:9");
      assertThat(CliRun.of("exchange").exitCode()).isEqualTo(2);
    }
  }

  @Test
  void credentialsComeFromAPrivateFileOrTheEnvironmentAndAreNeverEchoed() throws Exception {
    KeyedSource source = new KeyedSource(SECRET, Set.of(new SignalKey("pdq", PDQ_A)));
    try (RunningServer server = RunningServer.start(dir.resolve("data"), null,
        b -> b.exchangeSettings(FAST).extraExchangeKinds(List.of(source)))) {
      assertThat(CliRun.of(args(server, "exchange", "kinds")).out()).containsPattern("(?m)^keyed\\s+api_key\\s+yes\\s+yes\\s+");

      Path file = dir.resolve("keyed.json");
      Files.writeString(file, "{\"api_key\": \"" + SECRET + "\"}\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      CliRun readable = CliRun.of(args(server, "exchange", "create", "keyed", "--kind", "keyed", "--config", "{\"list\":\"l\"}",
          "--credentials-file", file.toString()));
      assertThat(readable.exitCode()).isEqualTo(2);
      assertThat(readable.err()).contains("others may read it (rw-r--r--)", "chmod 600 " + file);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
      CliRun groupReadable = CliRun.of(args(server, "exchange", "create", "keyed", "--kind", "keyed", "--config", "{\"list\":\"l\"}",
          "--credentials-file", file.toString()));
      assertThat(groupReadable.exitCode()).isEqualTo(2);
      assertThat(groupReadable.err()).contains("others may read it (rw-r-----)");
      assertThat(server.get("/api/v1/exchanges").get("items")).as("nothing made").isEmpty();

      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      CliRun created = CliRun.of(args(server, "exchange", "create", "keyed", "--kind", "keyed", "--config", "{\"list\":\"l\"}",
          "--credentials-file", file.toString()));
      assertThat(created.exitCode()).as(created.err()).isZero();
      assertThat(created.out()).containsPattern("credentials\\s+api_key \\(set; never shown\\)");
      CliRun fetched = CliRun.of(args(server, "exchange", "fetch", "keyed", "--wait"));
      assertThat(fetched.exitCode()).as(fetched.err()).isZero();
      assertThat(source.keysSeen).as("the key reached the source").last().isEqualTo(SECRET);
      List<CliRun> runs = new ArrayList<>(List.of(created, fetched,
          CliRun.of(args(server, "exchange", "show", "keyed")), CliRun.of(args(server, "exchange", "show", "keyed", "--json")),
          CliRun.of(args(server, "exchange", "list")), CliRun.of(args(server, "exchange", "list", "--json"))));

      // A malformed file is refused without quoting it.
      Path broken = dir.resolve("broken.json");
      Files.writeString(broken, "{\"api_key\": " + NEW_SECRET + "}");
      Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rw-------"));
      CliRun malformed = CliRun.of(args(server, "exchange", "update", "keyed", "--credentials-file", broken.toString()));
      assertThat(malformed.exitCode()).isEqualTo(2);
      assertThat(malformed.err()).contains("is not a JSON object of credentials (malformed JSON at line 1, column");
      runs.add(malformed);

      // name=value lines; the update replaces the key.
      Path lines = dir.resolve("keyed.env");
      Files.writeString(lines, "# the hsdb key\napi_key = " + NEW_SECRET + "\n");
      Files.setPosixFilePermissions(lines, PosixFilePermissions.fromString("rw-------"));
      source.key = NEW_SECRET;
      CliRun replaced = CliRun.of(args(server, "exchange", "update", "keyed", "--credentials-file", lines.toString()));
      assertThat(replaced.exitCode()).as(replaced.err()).isZero();
      CliRun again = CliRun.of(args(server, "exchange", "fetch", "keyed", "--wait"));
      assertThat(again.exitCode()).as(again.err()).isZero();
      assertThat(source.keysSeen).last().isEqualTo(NEW_SECRET);
      runs.addAll(List.of(replaced, again));

      // The variable: taken by create when no file is given; by update only when asked.
      Credentials.environment = Map.of(Credentials.ENV, "{\"api_key\":\"" + SECRET + "\"}")::get;
      CliRun fromEnv = CliRun.of(args(server, "exchange", "create", "second", "--kind", "keyed", "--config", "{\"list\":\"m\"}"));
      assertThat(fromEnv.exitCode()).as(fromEnv.err()).isZero();
      assertThat(fromEnv.err()).contains("credentials from $COUNTERSIGNAL_EXCHANGE_CREDENTIALS: api_key");
      CliRun untouched = CliRun.of(args(server, "exchange", "update", "keyed", "--interval", "600"));
      assertThat(untouched.exitCode()).as(untouched.err()).isZero();
      CliRun stillNew = CliRun.of(args(server, "exchange", "fetch", "keyed", "--wait"));
      assertThat(stillNew.exitCode()).as("the variable did not replace the key: " + stillNew.err()).isZero();
      CliRun fromEnvAsked = CliRun.of(args(server, "exchange", "update", "keyed", "--credentials-from-env"));
      assertThat(fromEnvAsked.exitCode()).as(fromEnvAsked.err()).isZero();
      CliRun refused = CliRun.of(args(server, "exchange", "fetch", "keyed", "--wait"));
      assertThat(refused.exitCode()).as("the source refuses the old key").isEqualTo(1);
      assertThat(refused.err()).contains("the fetch failed: the source refused the API key");
      runs.addAll(List.of(fromEnv, untouched, stillNew, fromEnvAsked, refused));

      for (CliRun run : runs) {
        assertThat(run.out() + run.err()).as("never echoed").doesNotContain(SECRET).doesNotContain(NEW_SECRET);
      }

      // Opinions and verification reach the source.
      CliRun opinion = CliRun.of(args(server, "exchange", "opinion", "keyed", "--signal-type", "pdq", "--signal", PDQ_B,
          "--opinion", "saw_this_too"));
      assertThat(opinion.exitCode()).as(opinion.err()).isZero();
      assertThat(source.opinions).containsExactly(new KeyedSource.SentOpinion(new SignalKey("pdq", PDQ_B), Opinion.SAW_THIS_TOO, SECRET));
      CliRun badOpinion = CliRun.of(args(server, "exchange", "opinion", "keyed", "--signal-type", "pdq", "--signal", PDQ_B,
          "--opinion", "agree"));
      assertThat(badOpinion.exitCode()).isEqualTo(2);
      assertThat(badOpinion.err()).contains("opinion: one of positive_class");

      CliRun verified = CliRun.of(args(server, "exchange", "verify", "keyed", "--signal", "pdq=" + PDQ_A, "--signal", "pdq=" + PDQ_B));
      assertThat(verified.exitCode()).as(verified.err()).isZero();
      assertThat(verified.lines()).hasSize(3);
      assertThat(verified.lines()[1]).matches("pdq\\s+" + PDQ_A + "\\s+yes\\s+seen in l");
      assertThat(verified.lines()[2]).matches("pdq\\s+" + PDQ_B + "\\s+no\\s+-");
      List<JsonNode> verdicts = jsonLines(CliRun.of(args(server, "exchange", "verify", "keyed", "--signal", "pdq=" + PDQ_A, "--json")).out());
      assertThat(verdicts.getFirst().get("verified").asBoolean()).isTrue();
      // A reviewer may verify, though not read exchanges: by id.
      String reviewer = CliRun.of(args(server, "key", "create", "--role", "reviewer")).out().strip();
      CliRun byReviewer = CliRun.of("exchange", "verify", "1", "--signal", "pdq=" + PDQ_A, "--server", server.url(), "--key", reviewer);
      assertThat(byReviewer.exitCode()).as(byReviewer.err()).isZero();
      assertThat(byReviewer.lines()[1]).contains("yes");
      CliRun notAName = CliRun.of("exchange", "verify", "keyed", "--signal", "pdq=" + PDQ_A, "--server", server.url(), "--key", reviewer);
      assertThat(notAName.exitCode()).isEqualTo(1);
      assertThat(notAName.err()).contains("the API key's role may not do this");
      CliRun notASignal = CliRun.of(args(server, "exchange", "verify", "keyed", "--signal", PDQ_A));
      assertThat(notASignal.exitCode()).isEqualTo(2);
      assertThat(notASignal.err()).contains("--signal takes TYPE=VALUE");
    }
  }
}
