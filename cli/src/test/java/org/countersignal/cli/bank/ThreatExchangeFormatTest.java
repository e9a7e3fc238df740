package org.countersignal.cli.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.countersignal.cli.bank.BankCommandTest.JSON;
import static org.countersignal.cli.bank.BankCommandTest.MD5;
import static org.countersignal.cli.bank.BankCommandTest.PDQ_A;
import static org.countersignal.cli.bank.BankCommandTest.PDQ_B;
import static org.countersignal.cli.bank.BankCommandTest.POST;
import static org.countersignal.cli.bank.BankCommandTest.SHA256;
import static org.countersignal.cli.bank.BankCommandTest.args;
import static org.countersignal.cli.bank.BankCommandTest.bankId;
import static org.countersignal.cli.bank.BankCommandTest.entries;
import static org.countersignal.cli.bank.BankCommandTest.video;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.countersignal.cli.CliRun;
import org.countersignal.cli.RunningServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bank import} and {@code bank export} in python-threatexchange's formats: its
 * {@code signal_type signal} lines and its dataset CSV, in its signal vocabulary.
 */
class ThreatExchangeFormatTest {

  @TempDir Path dir;

  /** The frames of {@code video(frames, seed)} as the field writes a vPDQ signal: a JSON list of "pdqhex,quality,seconds". */
  static String fieldVideo(int frames, long seed) {
    List<String> out = new ArrayList<>();
    for (String line : video(frames, seed).split("\n")) {
      String[] f = line.split(",");
      out.add(f[2] + "," + f[1] + "," + f[3]);
    }
    return json(out);
  }

  static String json(List<String> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static JsonNode signals(JsonNode entry) {
    return entry.get("signals");
  }

  @Test
  void importsTheFieldsLinesWithItsTypeNamesAndTheyMatch() throws Exception {
    String frames = video(20, 7);
    Path file = dir.resolve("list.txt");
    Files.writeString(file, "pdq " + PDQ_A + "\n"
        + "video_md5 " + MD5.toUpperCase() + "\n"
        + "\n"
        + "url https://Mirror.Evil.example/p\n"
        + "raw_text " + POST + "\n"
        + "vpdq " + fieldVideo(20, 7) + "\n");
    try (RunningServer server = RunningServer.start(dir.resolve("data"), null)) {
      long bank = bankId(CliRun.of(args(server, "bank", "create", "shared")));
      CliRun imported = CliRun.of(args(server, "bank", "import", "shared", file.toString(), "--format", "te"));
      assertThat(imported.exitCode()).as(imported.err()).isZero();
      assertThat(JSON.readTree(imported.out()).get("imported").asInt()).isEqualTo(5);

      List<JsonNode> rows = entries(server, bank);
      assertThat(rows).extracting(e -> signals(e).fieldNames().next()).containsExactly("pdq", "md5", "url", "text", "vpdq");
      assertThat(signals(rows.get(1)).get("md5").asText()).isEqualTo(MD5);
      // A field URL is one exact URL: it does not cover the rest of the site.
      assertThat(signals(rows.get(2)).get("url").asText()).isEqualTo("mirror.evil.example/p");

      List<Long> textHits = new ArrayList<>();
      server.post("/api/v1/match/text", "{\"text\":" + BankCommandTest.quoted(POST + " https://mirror.evil.example/p") + "}")
          .get("matches").forEach(hit -> textHits.add(hit.get("entry_id").asLong()));
      assertThat(textHits).contains(rows.get(2).get("id").asLong(), rows.get(3).get("id").asLong());
      JsonNode other = server.post("/api/v1/match/text", "{\"text\":\"see https://mirror.evil.example/q\"}").get("matches");
      assertThat(other).isEmpty();
      assertThat(BankCommandTest.videoHits(server, frames)).contains(rows.get(4).get("id").asLong());

      // Written back with a scheme, as the field compares URLs; the text has no field form to go back to.
      CliRun export = CliRun.of(args(server, "bank", "export", "shared", "--format", "te"));
      assertThat(export.exitCode()).as(export.err()).isZero();
      assertThat(export.out().lines().toList()).contains("url https://mirror.evil.example/p", "video_md5 " + MD5)
          .noneMatch(line -> line.startsWith("raw_text") || line.startsWith("text"));
      assertThat(export.err()).contains("left out 1 signal the format has no form for");
    }
  }

  @Test
  void importsTheDatasetCsvLeavingOutNegativeOpinions() throws Exception {
    Path file = dir.resolve("collab.csv");
    // The columns in the order python-threatexchange writes them; import finds them by name.
    Files.writeString(file, "collab,signal_type,signal_str,category,tags\n"
        + "Sample Data,pdq," + PDQ_B + ",POSITIVE_CLASS,livestream christchurch\n"
        + "Sample Data,pdq," + PDQ_A + ",NEGATIVE_CLASS,\n"
        + "Other Collab,video_sha256," + SHA256 + ",INVESTIGATION_SEED,\n"
        + "Other Collab,video_md5," + MD5 + ",DISPUTED,a b\n");
    try (RunningServer server = RunningServer.start(dir.resolve("data"), null)) {
      long bank = bankId(CliRun.of(args(server, "bank", "create", "shared")));
      CliRun imported = CliRun.of(args(server, "bank", "import", "shared", file.toString(), "--format", "te-csv"));
      assertThat(imported.exitCode()).as(imported.err()).isZero();
      JsonNode summary = JSON.readTree(imported.out());
      assertThat(summary.get("imported").asInt()).isEqualTo(2);
      assertThat(summary.get("left_out").asInt()).isEqualTo(2);
      assertThat(imported.err()).contains("left out 2 rows whose category is NEGATIVE_CLASS or DISPUTED");

      List<JsonNode> rows = entries(server, bank);
      assertThat(rows).hasSize(2);
      assertThat(signals(rows.get(0)).get("pdq").asText()).isEqualTo(PDQ_B);
      assertThat(rows.get(0).get("entities")).extracting(JsonNode::asText).containsExactly("livestream", "christchurch");
      assertThat(rows.get(0).get("provenance").asText()).isEqualTo("Sample Data");
      assertThat(signals(rows.get(1)).get("sha256").asText()).isEqualTo(SHA256);
      // The content a negative opinion names is not banked.
      JsonNode match = server.post("/api/v1/match", "{\"signals\":{\"pdq\":\"" + PDQ_A + "\"}}").get("matches");
      assertThat(match).noneMatch(m -> m.get("distance").asInt() == 0);
    }
  }

  @Test
  void ourFormatsAcceptTheFieldsTypeNamesAsAliases() throws Exception {
    String frames = video(16, 3);
    Path csv = dir.resolve("aliases.csv");
    Files.writeString(csv, BankCommandTest.HEADER
        + "video_md5," + MD5 + ",attacker_manifesto,from a shared list,,\n"
        + "raw_text,\"" + POST + "\",,,,\n");
    Path jsonl = dir.resolve("aliases.jsonl");
    Files.writeString(jsonl, "{\"signal_type\":\"video_sha256\",\"signal\":\"" + SHA256 + "\"}\n"
        + "{\"signal_type\":\"vpdq\",\"signal\":" + BankCommandTest.quoted(fieldVideo(16, 3)) + "}\n");
    try (RunningServer server = RunningServer.start(dir.resolve("data"), null)) {
      long bank = bankId(CliRun.of(args(server, "bank", "create", "shared")));
      for (Path file : List.of(csv, jsonl)) {
        CliRun imported = CliRun.of(args(server, "bank", "import", "shared", file.toString()));
        assertThat(imported.exitCode()).as(imported.err()).isZero();
      }
      List<JsonNode> rows = entries(server, bank);
      assertThat(rows).extracting(e -> signals(e).fieldNames().next()).containsExactly("md5", "text", "sha256", "vpdq");
      assertThat(rows.get(0).get("labels")).extracting(JsonNode::asText).containsExactly("attacker_manifesto");
      assertThat(rows.get(0).get("note").asText()).isEqualTo("from a shared list");
      assertThat(BankCommandTest.videoHits(server, frames)).contains(rows.get(3).get("id").asLong());
    }
  }

  @Test
  void badFieldRowsAreListedWithTheirLinesAndNothingIsImported() throws Exception {
    Path file = dir.resolve("bad.txt");
    Files.writeString(file, "text_tlsh T1A2B3\n"
        + "pdq\n"
        + "vpdq not json\n"
        + "vpdq [\"" + PDQ_A + ",100\"]\n"
        + "pdq " + PDQ_A + "\n");
    try (RunningServer server = RunningServer.start(dir.resolve("data"), null)) {
      long bank = bankId(CliRun.of(args(server, "bank", "create", "shared")));
      CliRun imported = CliRun.of(args(server, "bank", "import", "shared", file.toString(), "--format", "te"));
      assertThat(imported.exitCode()).isEqualTo(2);
      assertThat(imported.err())
          .contains("line 1: signal_type: 'text_tlsh' is not a type this service matches (pdq, vpdq, video_md5")
          .contains("line 2: expected 'signal_type signal'")
          .contains("line 3: signal: a vpdq signal is a JSON list")
          .contains("line 4: signal: vpdq frame: frame 0 is")
          .contains("nothing imported: 4 invalid rows");
      assertThat(entries(server, bank)).isEmpty();

      CliRun unknown = CliRun.of(args(server, "bank", "import", "shared", file.toString(), "--format", "hma"));
      assertThat(unknown.exitCode()).isEqualTo(2);
      assertThat(unknown.err()).contains("--format is csv, jsonl, te or te-csv (got 'hma')");
    }
  }

  @Test
  void exportWritesTheSignalsTheFieldCanReadAndTheyImportAgain() throws Exception {
    String frames = video(30, 11);
    try (RunningServer server = RunningServer.start(dir.resolve("data"), null)) {
      long bank = BankCommandTest.everyType(server, "all-types", frames);
      Path lines = dir.resolve("all.txt");
      CliRun export = CliRun.of(args(server, "bank", "export", "all-types", "-o", lines.toString(), "--format", "te"));
      assertThat(export.exitCode()).as(export.err()).isZero();
      // Of 12 signals: an image's digests (beside its PDQ hash), a text and a URL domain have no field form.
      assertThat(export.err()).contains("8 rows from 8 enabled entries").contains("left out 4 signals");
      List<String> written = Files.readAllLines(lines);
      assertThat(written).extracting(line -> line.substring(0, line.indexOf(' ')))
          .containsExactly("pdq", "video_md5", "video_sha256", "vpdq", "pdq", "video_md5", "video_sha256", "vpdq");
      assertThat(written.get(0)).isEqualTo("pdq " + PDQ_A);
      assertThat(written.get(1)).isEqualTo("video_md5 " + MD5);
      assertThat(written.get(5)).isEqualTo("video_md5 " + "c".repeat(32));
      assertThat(written.get(7)).isEqualTo("vpdq " + fieldVideo(30, 11));

      long copy = bankId(CliRun.of(args(server, "bank", "create", "copy")));
      CliRun imported = CliRun.of(args(server, "bank", "import", "copy", lines.toString(), "--format", "te"));
      assertThat(imported.exitCode()).as(imported.err()).isZero();
      List<JsonNode> copied = entries(server, copy);
      assertThat(copied).hasSize(8);
      assertThat(signals(copied.get(7)).get("vpdq").asText()).isEqualTo(signals(entries(server, bank).getLast()).get("vpdq").asText());
      assertThat(BankCommandTest.videoHits(server, frames)).contains(copied.get(7).get("id").asLong());

      Path csv = dir.resolve("all.csv");
      CliRun exportCsv = CliRun.of(args(server, "bank", "export", "all-types", "-o", csv.toString(), "--format", "te-csv"));
      assertThat(exportCsv.exitCode()).as(exportCsv.err()).isZero();
      List<String> csvLines = Files.readAllLines(csv);
      assertThat(csvLines.get(0)).isEqualTo("collab,signal_type,signal_str,category,tags");
      assertThat(csvLines.get(1)).isEqualTo("all-types,pdq," + PDQ_A + ",POSITIVE_CLASS,attacker_manifesto");
      long fromCsv = bankId(CliRun.of(args(server, "bank", "create", "from-csv")));
      CliRun importedCsv = CliRun.of(args(server, "bank", "import", "from-csv", csv.toString(), "--format", "te-csv"));
      assertThat(importedCsv.exitCode()).as(importedCsv.err()).isZero();
      List<JsonNode> fromCsvRows = entries(server, fromCsv);
      assertThat(fromCsvRows).hasSize(8);
      // The bank's labels travel as the field's tags, and come back as entity tags with the collab as provenance.
      assertThat(fromCsvRows.get(0).get("entities")).extracting(JsonNode::asText).containsExactly("attacker_manifesto");
      assertThat(fromCsvRows.get(0).get("provenance").asText()).isEqualTo("all-types");
    }
  }
}
