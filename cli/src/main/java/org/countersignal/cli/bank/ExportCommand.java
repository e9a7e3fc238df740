package org.countersignal.cli.bank;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.countersignal.cli.admin.Backend;
import org.countersignal.cli.admin.CliException;
import org.countersignal.cli.admin.Commands;
import org.countersignal.cli.admin.Target;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.server.signal.PdqType;
import org.countersignal.server.signal.TextType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code countersignal bank export BANK}: a bank's enabled entries in the format import reads. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
        "Write a bank's enabled entries as CSV or JSON lines, the format `bank import` reads (disabled entries, e.g."
            + " false positives, are left out so that importing an export does not bring them back).",
        "One row per signal: an entry with several signals (say pdq and md5, or a video's vpdq frames and its digests)"
            + " becomes several rows with the same `entry` (the entry's id), which import as one entry again. A video's"
            + " vpdq signal is its frames in the reference text format (frame,quality,pdq,seconds a line).",
        "--format te writes python-threatexchange's `signal_type signal` lines, --format te-csv its dataset CSV (collab:"
            + " the bank's name; category POSITIVE_CLASS; tags: the entry's labels and entity tags). Only signals the field has"
            + " a form for are written: pdq, vpdq, md5 and sha256 as video_md5 and video_sha256 (but not an image's, beside its"
            + " pdq) and exact URLs (with https://); a text (its sketches are kept, not its text), a URL prefix or domain and"
            + " an image's digests are counted as left out."
    })
public final class ExportCommand implements Callable<Integer> {

  /** The signal type whose entries are shown by their frames' digest and exported by their frames. */
  private static final String VIDEO = new SignalCatalog().video().name();


  private static final int PAGE = 1000;

  @Spec CommandSpec spec;
  @Mixin Target target;

  @Parameters(index = "0", paramLabel = "BANK", description = "The bank's id or name.")
  String bank;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "-",
      description = "Where to write (.csv or .jsonl); - for stdout (the default).")
  String output;

  @Option(names = "--format", paramLabel = "csv|jsonl|te|te-csv",
      description = "The format (default: from the file's extension; csv on stdout). te and te-csv are python-threatexchange's"
          + " `signal_type signal` lines and dataset CSV, with the signals it has a form for.")
  String format;

  @Override
  public Integer call() throws Exception {
    EntryFormat entryFormat;
    try {
      entryFormat = EntryFormat.of(format, output, EntryFormat.CSV);
    } catch (CliException e) {
      return Commands.fail(spec, e);
    }
    return Commands.run(spec, target, backend -> {
      JsonNode bankNode = backend.resolveBank(bank);
      long bankId = bankNode.get("id").asLong();
      long[] counts;
      if ("-".equals(output)) {
        Writer out = spec.commandLine().getOut();
        counts = export(backend, bankNode, out, entryFormat);
      } else {
        // Written beside the target and moved into place, so a failed export leaves no half file.
        Path target = Path.of(output).toAbsolutePath();
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try (Writer out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(part), StandardCharsets.UTF_8))) {
          counts = export(backend, bankNode, out, entryFormat);
        } catch (IOException | RuntimeException e) {
          Files.deleteIfExists(part);
          if (e instanceof IOException io) {
            throw CliException.failed("cannot write " + target + ": " + io.getMessage());
          }
          throw e;
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
      }
      spec.commandLine().getErr().println(spec.qualifiedName() + ": " + counts[1] + " rows from " + counts[0]
          + " enabled entries of bank " + bankId + " (" + bankNode.path("name").asText() + ")"
          + (counts[2] > 0 ? "; left out " + counts[2] + (counts[2] == 1 ? " signal" : " signals") + " the format has no form for" : ""));
      return 0;
    });
  }

  /** Returns {entries, rows} written and the signals left out (a field format has no form for them). */
  private static long[] export(Backend backend, JsonNode bankNode, Writer out, EntryFormat format) throws IOException {
    long bankId = bankNode.get("id").asLong();
    long entries = 0;
    long rows = 0;
    long leftOut = 0;
    try (RowWriter writer = new RowWriter(out, format)) {
      long after = 0;
      while (true) {
        Backend.EntryPage page = backend.entries(bankId, after, PAGE);
        for (JsonNode entry : page.items()) {
          if (!entry.path("enabled").asBoolean()) {
            continue;
          }
          entries++;
          long id = entry.get("id").asLong();
          // An entry of several signals is several rows that say which entry they are, so import keeps them together.
          String group = entry.get("signals").size() > 1 ? Long.toString(id) : null;
          Iterator<Map.Entry<String, JsonNode>> signals = entry.get("signals").properties().iterator();
          while (signals.hasNext()) {
            Map.Entry<String, JsonNode> signal = signals.next();
            if (format.field() && TextType.NAME.equals(signal.getKey())) {
              leftOut++; // a bank keeps a text's sketches, not the text the field's raw_text would need
              continue;
            }
            // A video's signal is shown as its frames' digest; the frames themselves are what can be banked again.
            // A text's is shown by its identity; its sketches are what can be banked again.
            String value = VIDEO.equals(signal.getKey()) ? backend.frames(id)
                : TextType.NAME.equals(signal.getKey()) ? backend.wholeValue(id, signal.getKey()) : signal.getValue().asText();
            FileRow row = new FileRow(signal.getKey(), value, strings(entry.get("labels")),
                text(entry.get("note")), text(entry.get("provenance")), strings(entry.get("entities")), group);
            if (!format.field()) {
              writer.write(row);
            } else if (!writer.writeField(row, entry.get("signals").has(PdqType.NAME), bankNode.path("name").asText())) {
              leftOut++;
              continue;
            }
            rows++;
          }
        }
        if (page.nextAfter() == null) {
          break;
        }
        after = page.nextAfter();
      }
    }
    return new long[] {entries, rows, leftOut};
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> out.add(v.asText()));
    }
    return out;
  }

  private static String text(JsonNode value) {
    return value == null || value.isNull() ? null : value.asText();
  }
}
