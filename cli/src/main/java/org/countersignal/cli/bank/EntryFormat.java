package org.countersignal.cli.bank;

import org.countersignal.server.exchange.FieldSignals;
import java.util.Locale;
import org.countersignal.cli.admin.CliException;

/**
 * The file formats of entry import and export: ours, CSV with a header row and JSON lines; and
 * python-threatexchange's, in which the field shares hash lists: {@code signal_type signal} lines
 * ({@code te}) and its dataset CSV ({@code te-csv}: {@code collab,signal_type,signal_str,category,tags}),
 * in its signal vocabulary ({@link FieldSignals}).
 */
enum EntryFormat {
  CSV,
  JSONL,
  TE,
  TE_CSV;

  /** The dataset CSV's columns, in the order export writes them; import finds them by name. */
  static final java.util.List<String> TE_COLUMNS = java.util.List.of("collab", "signal_type", "signal_str", "category", "tags");

  /** Whether the format speaks the field's vocabulary rather than ours. */
  boolean field() {
    return this == TE || this == TE_CSV;
  }

  /** The columns (CSV) or fields (JSON lines), in the order export writes them. */
  static final java.util.List<String> COLUMNS =
      java.util.List.of("signal_type", "signal", "labels", "note", "provenance", "entities", "entry");

  /**
   * The format {@code option} names, else the one the file name's extension says.
   *
   * @param file a path, or {@code -} for stdin/stdout
   */
  static EntryFormat of(String option, String file, EntryFormat forStandardStreams) {
    if (option != null) {
      return switch (option.strip().toLowerCase(Locale.ROOT)) {
        case "csv" -> CSV;
        case "jsonl", "ndjson" -> JSONL;
        case "te", "threatexchange" -> TE;
        case "te-csv" -> TE_CSV;
        default -> throw CliException.badInput("--format is csv, jsonl, te or te-csv (got '" + option + "')");
      };
    }
    if ("-".equals(file)) {
      if (forStandardStreams != null) {
        return forStandardStreams;
      }
      throw CliException.badInput("reading stdin: say --format csv, jsonl, te or te-csv");
    }
    String name = file.toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv")) {
      return CSV;
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return JSONL;
    }
    throw CliException.badInput("cannot tell the format of " + file + " from its name (.csv, .jsonl); say --format csv, jsonl, te or te-csv");
  }
}
