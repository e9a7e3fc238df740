package org.countersignal.cli.bank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.countersignal.cli.admin.Backend;
import org.countersignal.cli.admin.CliException;
import org.countersignal.cli.admin.Commands;
import org.countersignal.cli.admin.Target;
import org.countersignal.server.RequestException;
import org.countersignal.server.bank.EntryImport;
import org.countersignal.server.bank.NewEntry;
import org.countersignal.server.bank.SignalCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code countersignal bank import BANK FILE}: entries from CSV or JSON lines, one signal a row;
 * rows sharing an {@code entry} value are one entry ({@link EntryGroups}).
 *
 * <p>Two passes over the file. The first checks every row (locally what can be checked locally:
 * shape, signal syntax, a signal given twice in the file; then by the server's own rules, a
 * batch at a time with nothing written: labels, limits, signals the bank already has) and, by
 * default, refuses the whole file if any row is bad. The second sends the good rows in batches,
 * each written all or nothing.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
        "Add entries to a bank from a CSV file (header row; columns signal_type,signal,labels,note,provenance,entities,entry;"
            + " labels and entities ;-separated in their cell) or JSON lines (one object a line with the same fields,"
            + " labels and entities as arrays). One entry per row, with one signal; consecutive rows with the same `entry`"
            + " are one entry with all their signals (a video: its vpdq frames in the reference text format, md5, sha256)."
            + " FILE - reads stdin.",
        "--format te reads python-threatexchange's `signal_type signal` lines and --format te-csv its dataset CSV"
            + " (columns collab,signal_type,signal_str,category,tags): types pdq, vpdq (a JSON list of \"pdqhex,quality,seconds\"),"
            + " video_md5, video_sha256, url (an exact URL) and raw_text (hashed here into a text signal); tags become entity"
            + " tags, the collab the provenance, and rows whose category is NEGATIVE_CLASS or DISPUTED are left out.",
        "Every row is checked before anything is written; by default one bad row refuses the whole file (each bad row is"
            + " listed with its line). --skip-invalid imports the good rows and lists the bad.",
        "Prints {\"bank_id\",\"imported\",\"invalid\"} on stdout. Exit codes: 0 done, 2 bad input (nothing written"
            + " unless --skip-invalid), 1 failed."
    })
public final class ImportCommand implements Callable<Integer> {

  /** Where {@code -} reads from; tests replace it. */
  static Supplier<InputStream> stdin = () -> System.in;

  private static final int SHOWN_PROBLEMS = 100;
  // Batches also end at about this many bytes of JSON: 10,000 rows with long notes would pass the
  // server's 16 MB limit for one call.
  private static final long BATCH_BYTES = 8L << 20;

  @Spec CommandSpec spec;
  @Mixin Target target;

  @Parameters(index = "0", paramLabel = "BANK", description = "The bank's id or name.")
  String bank;

  @Parameters(index = "1", paramLabel = "FILE", description = "The file (.csv or .jsonl, or any with --format), or - for stdin (with --format).")
  String file;

  @Option(names = "--format", paramLabel = "csv|jsonl|te|te-csv", description = "The file's format (default: from its extension).")
  String format;

  @Option(names = "--skip-invalid", description = "Import the valid rows and list the invalid ones, instead of refusing the file.")
  boolean skipInvalid;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + EntryImport.MAX_ENTRIES,
      description = "Entries per call, each all or nothing (1 to 10000; default ${DEFAULT-VALUE}).")
  int batchSize;

  /** What the first pass found wrong: which rows (by their position in the file) and why. */
  private static final class Problems {
    final BitSet rows = new BitSet();
    // The first rows of the file that are bad (found in no particular order), by line.
    final TreeMap<Long, String> shown = new TreeMap<>();
    int count;
    // Dataset rows whose category is an opinion against banking: read, and not imported.
    long leftOut;

    void add(int ordinal, long line, String why) {
      rows.set(ordinal);
      count++;
      shown.merge(line, why, (a, b) -> a + "; " + b);
      if (shown.size() > SHOWN_PROBLEMS) {
        shown.pollLastEntry();
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    EntryFormat entryFormat;
    try {
      if (batchSize < 1 || batchSize > EntryImport.MAX_ENTRIES) {
        throw CliException.badInput("--batch-size is from 1 to " + EntryImport.MAX_ENTRIES);
      }
      entryFormat = EntryFormat.of(format, file, null);
    } catch (CliException e) {
      return Commands.fail(spec, e);
    }
    Path copy = null;
    try {
      Path path;
      if ("-".equals(file)) {
        // Two passes need the rows twice; stdin can be read once, so it is kept in a temporary file.
        copy = Files.createTempFile("countersignal-import-", "." + entryFormat.name().toLowerCase());
        try (InputStream in = stdin.get()) {
          Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        path = copy;
      } else {
        path = Path.of(file);
      }
      return Commands.run(spec, target, backend -> importFile(backend, path, entryFormat));
    } finally {
      if (copy != null) {
        Files.deleteIfExists(copy);
      }
    }
  }

  private int importFile(Backend backend, Path path, EntryFormat entryFormat) throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    JsonNode bankNode = backend.resolveBank(bank);
    long bankId = bankNode.get("id").asLong();
    String name = spec.qualifiedName();

    Problems problems = check(backend, bankId, path, entryFormat);
    if (problems.count > 0) {
      problems.shown.forEach((line, why) -> err.println(name + ": line " + line + ": " + why));
      if (problems.count > problems.shown.size()) {
        err.println(name + ": ... and " + (problems.count - problems.shown.size()) + " more invalid rows");
      }
      if (!skipInvalid) {
        err.println(name + ": nothing imported: " + problems.count + " invalid rows (fix them, or --skip-invalid to import the others)");
        err.flush();
        return CliException.BAD_INPUT;
      }
    }

    long imported = write(backend, bankId, path, entryFormat, problems.rows);
    ObjectNode summary = JsonNodeFactory.instance.objectNode();
    summary.put("bank_id", bankId);
    summary.put("imported", imported);
    summary.put("invalid", problems.count);
    if (entryFormat == EntryFormat.TE_CSV) {
      summary.put("left_out", problems.leftOut);
    }
    Commands.print(spec, summary);
    err.println(name + ": imported " + imported + " entries into bank " + bankId + " (" + bankNode.path("name").asText() + ")"
        + (problems.count > 0 ? "; skipped " + problems.count + " invalid rows" : "")
        + (problems.leftOut > 0 ? "; left out " + problems.leftOut + " rows whose category is NEGATIVE_CLASS or DISPUTED" : ""));
    err.flush();
    return 0;
  }

  /** The first pass: every row checked, nothing written. */
  private Problems check(Backend backend, long bankId, Path path, EntryFormat entryFormat) {
    Problems problems = new Problems();
    SignalCatalog catalog = new SignalCatalog();
    SeenSignals seen = new SeenSignals();
    List<NewEntry> batch = new ArrayList<>(batchSize);
    List<long[]> positions = new ArrayList<>(batchSize);
    long bytes = 0;
    try (EntryGroups groups = EntryGroups.open(path, entryFormat)) {
      int ordinal = 0;
      while (groups.hasNext()) {
        EntryGroups.Group group = groups.next();
        int at = ordinal++;
        if (group.error() != null) {
          problems.add(at, group.line(), group.error());
          continue;
        }
        if (!checkSignals(catalog, seen, group, at, problems)) {
          continue;
        }
        if (full(batch, bytes)) {
          checkBatch(backend, bankId, batch, positions, problems);
          bytes = 0;
        }
        batch.add(group.toEntry());
        positions.add(new long[] {at, group.line()});
        bytes += group.approximateJsonBytes();
      }
      problems.leftOut = groups.leftOut();
    }
    if (!batch.isEmpty()) {
      checkBatch(backend, bankId, batch, positions, problems);
    }
    return problems;
  }

  /** Checks each signal of an entry locally; false (and the problem noted at the row's line) for the first bad one. */
  private static boolean checkSignals(SignalCatalog catalog, SeenSignals seen, EntryGroups.Group group, int at, Problems problems) {
    long line = group.line();
    for (FileRow row : group.rows()) {
      String type = row.signalType();
      if (!catalog.knows(type)) {
        problems.add(at, line, "signal_type: unknown signal type '" + type + "'; known: " + String.join(", ", catalog.names()));
        return false;
      }
      String canonical;
      try {
        canonical = catalog.canonical(type, row.signal(), "signal");
      } catch (RequestException e) {
        problems.add(at, line, e.getMessage());
        return false;
      }
      long first = seen.firstLine(type, canonical, line);
      if (first != 0) {
        problems.add(at, line, "signal: the same " + type + " signal as line " + first);
        return false;
      }
    }
    return true;
  }

  private boolean full(List<NewEntry> batch, long bytes) {
    return batch.size() >= batchSize || bytes >= BATCH_BYTES;
  }

  private static void checkBatch(Backend backend, long bankId, List<NewEntry> batch, List<long[]> positions, Problems problems) {
    for (EntryImport.RowError error : backend.validate(bankId, batch)) {
      long[] position = positions.get(error.index());
      problems.add((int) position[0], position[1], error.detail());
    }
    batch.clear();
    positions.clear();
  }

  /** The second pass: the rows not found invalid, a batch per call. */
  private long write(Backend backend, long bankId, Path path, EntryFormat entryFormat, BitSet invalid) {
    long imported = 0;
    List<NewEntry> batch = new ArrayList<>(batchSize);
    long firstLine = 0;
    long bytes = 0;
    try (EntryGroups groups = EntryGroups.open(path, entryFormat)) {
      int ordinal = 0;
      while (groups.hasNext()) {
        EntryGroups.Group group = groups.next();
        if (invalid.get(ordinal++)) {
          continue;
        }
        if (group.error() != null) {
          throw CliException.failed("line " + group.line() + " changed since it was checked (" + group.error() + "); "
              + imported + " entries were imported before it");
        }
        if (full(batch, bytes)) {
          imported += send(backend, bankId, batch, firstLine, imported);
          bytes = 0;
        }
        if (batch.isEmpty()) {
          firstLine = group.line();
        }
        batch.add(group.toEntry());
        bytes += group.approximateJsonBytes();
      }
    }
    if (!batch.isEmpty()) {
      imported += send(backend, bankId, batch, firstLine, imported);
    }
    return imported;
  }

  private static int send(Backend backend, long bankId, List<NewEntry> batch, long firstLine, long before) {
    try {
      int written = backend.importBatch(bankId, batch).size();
      batch.clear();
      return written;
    } catch (CliException e) {
      // The file was checked, so this is a change on the server in between (or a failure):
      // say exactly how far the import got, since earlier batches stay written.
      throw CliException.failed("the batch from line " + firstLine + " was refused: " + e.getMessage() + "; " + before
          + " entries (every valid row before line " + firstLine + ") were imported before it");
    }
  }
}
