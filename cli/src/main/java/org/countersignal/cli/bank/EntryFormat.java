package org.countersignal.cli.bank;

import java.util.Locale;
import org.countersignal.cli.admin.CliException;

/** The two file formats of entry import and export: CSV with a header row, and JSON lines. */
enum EntryFormat {
  CSV,
  JSONL;

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
        default -> throw CliException.badInput("--format is csv or jsonl (got '" + option + "')");
      };
    }
    if ("-".equals(file)) {
      if (forStandardStreams != null) {
        return forStandardStreams;
      }
      throw CliException.badInput("reading stdin: say --format csv or --format jsonl");
    }
    String name = file.toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv")) {
      return CSV;
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return JSONL;
    }
    throw CliException.badInput("cannot tell the format of " + file + " from its name (.csv, .jsonl); say --format csv or jsonl");
  }
}
