package org.countersignal.cli.bank;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.countersignal.cli.CliRun;
import org.countersignal.cli.RunningServer;
import org.countersignal.cli.admin.LocalBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code countersignal bank}: create, list, import and export, over HTTP and on a data directory. */
class BankCommandTest {

  @TempDir Path dir;

  static final ObjectMapper JSON = new ObjectMapper();
  static final String HEADER = "signal_type,signal,labels,note,provenance,entities\n";
  /** Export writes the column that keeps an entry's several signals together. */
  static final String EXPORT_HEADER = "signal_type,signal,labels,note,provenance,entities,entry\n";
  static final String PDQ_A = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  static final String PDQ_B = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
  static final String MD5 = "d35c1e2f3a4b5c6d7e8f90a1b2c3d4e5";

  /** Rows that exercise RFC 4180 quoting: commas, quotes and a line break inside cells. */
  static final String QUOTED = HEADER
      + "pdq," + PDQ_A + ",attacker_manifesto;recruitment_and_instruction,\"from the livestream, frame 12\",report 4411,perpetrator\n"
      + "md5," + MD5.toUpperCase() + ",,\"she said \"\"stop\"\"\nthen left\",,\n"
      + "\n"
      + "pdq," + PDQ_B + ",,,,\n";

  @AfterEach
  void realStdin() {
    ImportCommand.stdin = () -> System.in;
  }

  static String[] args(RunningServer server, String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of("--server", server.url(), "--key", server.adminKey()));
    return all.toArray(String[]::new);
  }

  static List<String> pdqHashes(int count, long seed) {
    Random random = new Random(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      out.add(HexFormat.of().formatHex(bytes));
    }
    return out;
  }

  static List<JsonNode> entries(RunningServer server, long bank) {
    List<JsonNode> out = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonNode page = server.get("/api/v1/banks/" + bank + "/entries?limit=1000&after=" + after);
      page.get("items").forEach(out::add);
      if (page.get("next_after").isNull()) {
        return out;
      }
      after = page.get("next_after").asLong();
    }
  }

  static long bankId(CliRun created) throws Exception {
    assertThat(created.exitCode()).as(created.err()).isZero();
    return JSON.readTree(created.out()).get("id").asLong();
  }

  @Test
  void createListImportAndExportRoundTripOverTheApi() throws Exception {
    try (RunningServer server = RunningServer.start(dir.resolve("data"), null)) {
      long bank = bankId(CliRun.of(args(server, "bank", "create", "incident", "--label", "graphic_violence_defenceless",
          "--threshold", "pdq=24", "--description", "stills")));
      JsonNode stored = server.get("/api/v1/banks/" + bank);
      assertThat(stored.get("thresholds").get("pdq").asInt()).isEqualTo(24);
      assertThat(stored.get("labels").get(0).asText()).isEqualTo("graphic_violence_defenceless");
      assertThat(stored.get("purpose").asText()).isEqualTo("match");
      long harmless = bankId(CliRun.of(args(server, "bank", "create", "news photos", "--negative")));
      assertThat(server.get("/api/v1/banks/" + harmless).get("purpose").asText()).isEqualTo("negative");
      CliRun taken = CliRun.of(args(server, "bank", "create", "incident"));
      assertThat(taken.exitCode()).isEqualTo(1);
      assertThat(taken.err()).contains("a bank named 'incident' already exists");

      Path csv = dir.resolve("in.csv");
      Files.writeString(csv, QUOTED);
      CliRun imported = CliRun.of(args(server, "bank", "import", "incident", csv.toString()));
      assertThat(imported.exitCode()).as(imported.err()).isZero();
      assertThat(JSON.readTree(imported.out()).get("imported").asInt()).isEqualTo(3);
      List<JsonNode> rows = entries(server, bank);
      assertThat(rows).hasSize(3);
      assertThat(rows.get(0).get("labels")).extracting(JsonNode::asText)
          .containsExactly("attacker_manifesto", "recruitment_and_instruction");
      assertThat(rows.get(0).get("note").asText()).isEqualTo("from the livestream, frame 12");
      assertThat(rows.get(0).get("entities").get(0).asText()).isEqualTo("perpetrator");
      assertThat(rows.get(1).get("note").asText()).isEqualTo("she said \"stop\"\nthen left");
      assertThat(rows.get(1).get("signals").get("md5").asText()).isEqualTo(MD5);

      // The imported entries match at once: the batch went through the change sequence.
      JsonNode match = server.post("/api/v1/match", "{\"signals\":{\"pdq\":\"" + PDQ_A + "\"}}").get("matches");
      assertThat(match).filteredOn(m -> m.get("distance").asInt() == 0).extracting(m -> m.get("entry_id").asLong())
          .containsExactly(rows.get(0).get("id").asLong());

      // Export, import the export into a new bank, export that: the same file.
      for (String format : List.of("csv", "jsonl")) {
        Path first = dir.resolve("first." + format);
        CliRun export = CliRun.of(args(server, "bank", "export", "incident", "-o", first.toString()));
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.err()).contains("3 rows from 3 enabled entries");
        bankId(CliRun.of(args(server, "bank", "create", "copy-" + format)));
        CliRun again = CliRun.of(args(server, "bank", "import", "copy-" + format, first.toString()));
        assertThat(again.exitCode()).as(again.err()).isZero();
        CliRun second = CliRun.of(args(server, "bank", "export", "copy-" + format, "--format", format));
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).isEqualTo(Files.readString(first));
      }
      assertThat(Files.readString(dir.resolve("first.csv"))).startsWith(EXPORT_HEADER)
          .contains("\"she said \"\"stop\"\"\nthen left\"");

      // A disabled entry (a false positive) is not exported.
      server.post("/api/v1/entries/" + rows.get(2).get("id").asLong() + "/disable", "{\"reason\":\"false positive\"}");
      CliRun withoutDisabled = CliRun.of(args(server, "bank", "export", String.valueOf(bank)));
      assertThat(withoutDisabled.out()).doesNotContain(PDQ_B).contains(PDQ_A);

      CliRun list = CliRun.of(args(server, "bank", "list"));
      assertThat(list.out().lines().map(l -> readName(l)).toList()).containsExactly("incident", "news photos", "copy-csv", "copy-jsonl");
    }
  }

  private static String readName(String line) {
    try {
      return JSON.readTree(line).get("name").asText();
    } catch (Exception e) {
      throw new AssertionError(line, e);
    }
  }

  @Test
  void badRowsRefuseTheWholeFileUnlessSkipped() throws Exception {
    try (RunningServer server = RunningServer.start(dir.resolve("data"), null)) {
      long bank = bankId(CliRun.of(args(server, "bank", "create", "strict")));
      server.post("/api/v1/banks/" + bank + "/entries", "{\"signals\":{\"md5\":\"" + "e".repeat(32) + "\"}}");
      List<String> hashes = pdqHashes(7, 5);
      String file = HEADER
          + "pdq," + hashes.get(0) + ",,,,\n"                       // line 2
          + "pdq,not-a-hash,,,,\n"                                   // line 3: malformed
          + "pdq," + hashes.get(1) + ",no_such_label,,,\n"           // line 4: unknown label (the server says)
          + "md5," + "E".repeat(32) + ",,,,\n"                       // line 5: already in the bank
          + "pdq," + hashes.get(2) + ",,,\n"                         // line 6: a cell short
          + "pdq," + hashes.get(3) + ",,,,\n"                        // line 7
          + "pdq," + hashes.get(0).toUpperCase() + ",,,,\n"          // line 8: the same as line 2
          + ",,,,,\n"                                                // line 9: no signal
          + "pdq," + hashes.get(4) + ",,,,\n";                       // line 10
      Path csv = dir.resolve("bad.csv");
      Files.writeString(csv, file);

      // --batch-size 2: the repeat on line 8 is in another batch than line 2, and still found first.
      CliRun refused = CliRun.of(args(server, "bank", "import", "strict", csv.toString(), "--batch-size", "2"));
      assertThat(refused.exitCode()).isEqualTo(2);
      assertThat(refused.err()).contains(
          "line 3: signal: malformed pdq signal",
          "line 4: labels[0]: unknown label 'no_such_label'",
          "line 5: bank " + bank + " already has this md5 signal",
          "line 6: has 5 cells; the header has 6",
          "line 8: signal: the same pdq signal as line 2",
          "line 9: signal_type: missing",
          "nothing imported: 6 invalid rows");
      assertThat(refused.err().indexOf("line 3:")).as("in line order").isLessThan(refused.err().indexOf("line 9:"));
      assertThat(entries(server, bank)).as("nothing written").hasSize(1);

      CliRun skipped = CliRun.of(args(server, "bank", "import", "strict", csv.toString(), "--batch-size", "2", "--skip-invalid"));
      assertThat(skipped.exitCode()).as(skipped.err()).isZero();
      JsonNode summary = JSON.readTree(skipped.out());
      assertThat(summary.get("imported").asInt()).isEqualTo(3);
      assertThat(summary.get("invalid").asInt()).isEqualTo(6);
      assertThat(skipped.err()).contains("line 3: signal: malformed pdq signal", "skipped 6 invalid rows");
      assertThat(entries(server, bank)).extracting(e -> e.get("signals").path("pdq").asText(""))
          .containsExactly("", hashes.get(0), hashes.get(3), hashes.get(4));

      Path unknownColumn = dir.resolve("typo.csv");
      Files.writeString(unknownColumn, "signal_type,signal,lables\npdq," + hashes.get(5) + ",attacker_manifesto\n");
      CliRun typo = CliRun.of(args(server, "bank", "import", "strict", unknownColumn.toString()));
      assertThat(typo.exitCode()).isEqualTo(2);
      assertThat(typo.err()).contains("line 1: unknown column 'lables'");

      Path jsonl = dir.resolve("bad.jsonl");
      Files.writeString(jsonl, "{\"signal_type\":\"pdq\",\"signal\":\"" + hashes.get(5) + "\",\"labels\":\"attacker_manifesto\"}\n"
          + "\n"
          + "{\"signal_type\":\"pdq\",\"signal\":\"" + hashes.get(6) + "\",\"lables\":[]}\n"
          + "not json\n");
      CliRun badJson = CliRun.of(args(server, "bank", "import", "strict", jsonl.toString()));
      assertThat(badJson.exitCode()).isEqualTo(2);
      assertThat(badJson.err()).contains("line 1: labels: wrong type", "line 3: unknown field 'lables'", "line 4: not JSON");

      CliRun noFile = CliRun.of(args(server, "bank", "import", "strict", dir.resolve("missing.csv").toString()));
      assertThat(noFile.exitCode()).isEqualTo(2);
      assertThat(noFile.err()).contains("no such file");
      CliRun noFormat = CliRun.of(args(server, "bank", "import", "strict", dir.resolve("rows.txt").toString()));
      assertThat(noFormat.exitCode()).isEqualTo(2);
      assertThat(noFormat.err()).contains("say --format csv, jsonl, te or te-csv");
      CliRun noBank = CliRun.of(args(server, "bank", "import", "nonesuch", csv.toString()));
      assertThat(noBank.exitCode()).isEqualTo(2);
      assertThat(noBank.err()).contains("no bank 'nonesuch'");
    }
  }

  @Test
  void importsManyRowsInBatchesFromStdin() throws Exception {
    List<String> hashes = pdqHashes(12_345, 6);
    StringBuilder jsonl = new StringBuilder();
    for (String hash : hashes) {
      jsonl.append("{\"signal_type\":\"pdq\",\"signal\":\"").append(hash).append("\",\"labels\":[\"attacker_manifesto\"]}\n");
    }
    ImportCommand.stdin = () -> new ByteArrayInputStream(jsonl.toString().getBytes(StandardCharsets.UTF_8));
    try (RunningServer server = RunningServer.start(dir.resolve("data"), null)) {
      long bank = bankId(CliRun.of(args(server, "bank", "create", "many")));
      CliRun imported = CliRun.of(args(server, "bank", "import", "many", "-", "--format", "jsonl"));
      assertThat(imported.exitCode()).as(imported.err()).isZero();
      assertThat(JSON.readTree(imported.out()).get("imported").asInt()).isEqualTo(12_345);
      List<JsonNode> rows = entries(server, bank);
      assertThat(rows).extracting(e -> e.get("signals").get("pdq").asText()).containsExactlyElementsOf(hashes);
      // Two full batches and the rest: three audit events.
      JsonNode events = server.get("/api/v1/audit?limit=1000").get("items");
      List<Integer> counts = new ArrayList<>();
      events.forEach(e -> {
        if (e.get("action").asText().equals("entries.imported")) {
          counts.add(e.get("after").get("count").asInt());
        }
      });
      assertThat(counts).containsExactly(10_000, 2_345);
    }
  }

  @Test
  void rowsWithLongNotesGoInSmallerBatchesThanTheServersBodyLimit() throws Exception {
    // 4,500 rows with notes near the 4,000-character limit: about 18 MB, over the 16 MB a call takes.
    List<String> hashes = pdqHashes(4_500, 7);
    StringBuilder csv = new StringBuilder(HEADER);
    String note = "n".repeat(3_990);
    for (String hash : hashes) {
      csv.append("pdq,").append(hash).append(",,").append(note).append(",,\n");
    }
    Path file = dir.resolve("long-notes.csv");
    Files.writeString(file, csv);
    try (RunningServer server = RunningServer.start(dir.resolve("data"), null)) {
      long bank = bankId(CliRun.of(args(server, "bank", "create", "notes")));
      CliRun imported = CliRun.of(args(server, "bank", "import", "notes", file.toString()));
      assertThat(imported.exitCode()).as(imported.err()).isZero();
      assertThat(entries(server, bank)).hasSize(4_500);
      JsonNode events = server.get("/api/v1/audit?limit=1000").get("items");
      long batches = 0;
      for (JsonNode event : events) {
        if (event.get("action").asText().equals("entries.imported")) {
          batches++;
        }
      }
      assertThat(batches).as("several calls, not one").isGreaterThan(2);
    }
  }

  @Test
  void directlyOnTheDataDirectoryWithTheSameRulesAndAnAuditRecord() throws Exception {
    Path data = dir.resolve("data");
    String admin;
    try (RunningServer first = RunningServer.start(data, null)) {
      admin = first.adminKey();
    }
    String[] local = {"--data-dir", data.toString()};
    bankId(CliRun.of(concat(new String[] {"bank", "create", "offline"}, local)));
    Path csv = dir.resolve("in.csv");
    Files.writeString(csv, QUOTED);
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, HEADER + "pdq," + PDQ_A + ",,,,\npdq,zz,,,,\n");
    CliRun refused = CliRun.of(concat(new String[] {"bank", "import", "offline", bad.toString()}, local));
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("line 3: signal: malformed pdq signal", "nothing imported");
    CliRun imported = CliRun.of(concat(new String[] {"bank", "import", "offline", csv.toString()}, local));
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    CliRun again = CliRun.of(concat(new String[] {"bank", "import", "offline", csv.toString()}, local));
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).contains("line 2: bank 1 already has this pdq signal in entry 1");
    CliRun export = CliRun.of(concat(new String[] {"bank", "export", "offline"}, local));
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(export.out()).startsWith(EXPORT_HEADER).contains(PDQ_A, PDQ_B, MD5);

    // A server started afterwards has them in its indexes and the audit log names the local operator.
    try (RunningServer server = RunningServer.start(data, admin)) {
      JsonNode match = server.post("/api/v1/match", "{\"signals\":{\"pdq\":\"" + PDQ_B + "\"}}").get("matches");
      assertThat(match).extracting(m -> m.get("entry_id").asLong() + "@" + m.get("distance").asInt()).containsExactly("3@0", "1@6");
      JsonNode events = server.get("/api/v1/audit?limit=1000").get("items");
      List<String> actions = new ArrayList<>();
      events.forEach(e -> {
        if (e.get("actor_key_id").isNumber() && e.get("actor_key_id").asLong() == LocalBackend.LOCAL_OPERATOR_KEY_ID) {
          actions.add(e.get("action").asText());
        }
      });
      assertThat(actions).containsExactly("bank.created", "entries.imported");
    }
  }

  static final String SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  /** A video's frames in the reference text format: {@code frames} random PDQ hashes a second apart. */
  static String video(int frames, long seed) {
    StringBuilder out = new StringBuilder();
    List<String> hashes = pdqHashes(frames, seed);
    for (int i = 0; i < frames; i++) {
      out.append(i).append(",100,").append(hashes.get(i)).append(',').append(i).append(".000\n");
    }
    return out.toString();
  }

  /** A post of a few hundred words whose text signal a bank can hold. */
  static final String POST = String.join(" ", java.util.Collections.nCopies(40,
      "they said the river would rise by morning and every lantern in the harbour")).replace("morning and every", "dawn and each");

  /**
   * A bank with an entry of each signal type, alone (pdq, md5, sha256, text, url, vpdq) and
   * together (an image's pdq and digests, a video's frames and digests); returns the bank's id.
   */
  static long everyType(RunningServer server, String name, String frames) {
    long bank = server.post("/api/v1/banks", "{\"name\":\"" + name + "\"}").get("id").asLong();
    String text = server.post("/api/v1/hash/text", "{\"text\":" + quoted(POST) + "}").get("signals").get("text").asText();
    String[] entries = {
        "{\"pdq\":\"" + PDQ_A + "\"}",
        "{\"md5\":\"" + MD5 + "\"}",
        "{\"sha256\":\"" + SHA256 + "\"}",
        "{\"text\":" + quoted(text) + "}",
        "{\"url\":\"domain:evil.example\"}",
        "{\"vpdq\":" + quoted(video(12, 5)) + "}",
        "{\"pdq\":\"" + PDQ_B + "\",\"md5\":\"" + "a".repeat(32) + "\",\"sha256\":\"" + "b".repeat(64) + "\"}",
        "{\"vpdq\":" + quoted(frames) + ",\"md5\":\"" + "c".repeat(32) + "\",\"sha256\":\"" + "d".repeat(64) + "\"}"};
    for (String signals : entries) {
      server.post("/api/v1/banks/" + bank + "/entries", "{\"signals\":" + signals + ",\"labels\":[\"attacker_manifesto\"],"
          + "\"note\":\"from report 9\"}");
    }
    return bank;
  }

  static String quoted(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Each entry's signals, labels and note, in id order, without the ids. */
  static List<String> contents(List<JsonNode> entries) {
    return entries.stream().map(e -> e.get("signals").toString() + e.get("labels") + e.get("note")).toList();
  }

  /** The ids of the entries a match of {@link #POST} hits, as text and url. */
  static List<Long> textAndUrlHits(RunningServer server) {
    List<Long> ids = new ArrayList<>();
    server.post("/api/v1/match/text", "{\"text\":" + quoted(POST + " https://mirror.evil.example/p") + "}").get("matches")
        .forEach(hit -> ids.add(hit.get("entry_id").asLong()));
    return ids;
  }

  /** The ids of the entries a match of the video's frames hits, as vpdq. */
  static List<Long> videoHits(RunningServer server, String frames) {
    List<Long> ids = new ArrayList<>();
    server.post("/api/v1/match", "{\"signals\":{\"vpdq\":" + quoted(frames) + "}}").get("matches").forEach(hit -> {
      if (hit.get("signal_type").asText().equals("vpdq")) {
        ids.add(hit.get("entry_id").asLong());
      }
    });
    return ids;
  }

  @Test
  void everySignalTypeRoundTripsThroughExportAndImportOverTheApi() throws Exception {
    String frames = video(30, 11);
    try (RunningServer server = RunningServer.start(dir.resolve("data"), null)) {
      long bank = everyType(server, "all-types", frames);
      List<JsonNode> original = entries(server, bank);
      for (String format : List.of("csv", "jsonl")) {
        Path file = dir.resolve("all." + format);
        CliRun export = CliRun.of(args(server, "bank", "export", "all-types", "-o", file.toString()));
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.err()).contains("12 rows from 8 enabled entries");
        long copy = bankId(CliRun.of(args(server, "bank", "create", "all-types-" + format)));
        CliRun imported = CliRun.of(args(server, "bank", "import", "all-types-" + format, file.toString()));
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(JSON.readTree(imported.out()).get("imported").asInt()).isEqualTo(8);
        // Each entry comes back as it was, a video with its frames (the same digest) and its digests as one entry.
        List<JsonNode> copied = entries(server, copy);
        assertThat(contents(copied)).containsExactlyElementsOf(contents(original));
        long videoEntry = copied.getLast().get("id").asLong();
        assertThat(videoHits(server, frames)).contains(original.getLast().get("id").asLong(), videoEntry);
        // A text entry comes back with its sketches, not only its identity: the copy matches too.
        assertThat(textAndUrlHits(server)).contains(copied.get(3).get("id").asLong(), copied.get(4).get("id").asLong());
      }
    }
  }

  @Test
  void everySignalTypeRoundTripsOnADataDirectory() throws Exception {
    Path data = dir.resolve("data");
    String frames = video(30, 13);
    String admin;
    List<JsonNode> original;
    try (RunningServer first = RunningServer.start(data, null)) {
      admin = first.adminKey();
      original = entries(first, everyType(first, "all-types", frames));
    }
    String[] local = {"--data-dir", data.toString()};
    Path file = dir.resolve("all.jsonl");
    CliRun export = CliRun.of(concat(new String[] {"bank", "export", "all-types", "-o", file.toString()}, local));
    assertThat(export.exitCode()).as(export.err()).isZero();
    long copy = bankId(CliRun.of(concat(new String[] {"bank", "create", "copy"}, local)));
    CliRun imported = CliRun.of(concat(new String[] {"bank", "import", "copy", file.toString()}, local));
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    try (RunningServer server = RunningServer.start(data, admin)) {
      List<JsonNode> copied = entries(server, copy);
      assertThat(contents(copied)).containsExactlyElementsOf(contents(original));
      assertThat(videoHits(server, frames)).contains(copied.getLast().get("id").asLong());
      assertThat(textAndUrlHits(server)).contains(copied.get(3).get("id").asLong(), copied.get(4).get("id").asLong());
    }
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
