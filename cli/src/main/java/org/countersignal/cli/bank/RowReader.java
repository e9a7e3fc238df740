package org.countersignal.cli.bank;

import org.countersignal.server.exchange.FieldSignals;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.countersignal.cli.admin.CliException;
import org.countersignal.server.http.JsonMapping;

/**
 * Reads an entry file one row at a time, so a file of millions of rows is never held in memory.
 * A row that cannot be read as an entry comes back with its error and line; a file that cannot
 * be read at all (no such file, a CSV header without the needed columns, broken quoting) stops
 * the import with exit code 2.
 */
final class RowReader implements Iterator<RowReader.Row>, AutoCloseable {

  /** One row; {@code error} is set, and {@code row} null, when the row is not a readable entry. */
  record Row(long line, FileRow row, String error) {}

  private final BufferedReader reader;
  private final Iterator<Row> rows;
  // Rows the file holds but that are not entries to bank: a dataset's negative opinions.
  private final long[] leftOut;

  private RowReader(BufferedReader reader, Iterator<Row> rows, long[] leftOut) {
    this.reader = reader;
    this.rows = rows;
    this.leftOut = leftOut;
  }

  /** Rows read so far that the file says are not harmful (a dataset row whose category is negative or disputed). */
  long leftOut() {
    return leftOut[0];
  }

  static RowReader open(Path file, EntryFormat format) {
    BufferedReader reader;
    try {
      reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw CliException.badInput("no such file: " + file);
    } catch (IOException e) {
      throw CliException.badInput("cannot read " + file + ": " + e.getMessage());
    }
    try {
      long[] leftOut = new long[1];
      Iterator<Row> rows = switch (format) {
        case CSV -> csv(reader, file, RowReader::checkOurHeader, RowReader::ourRow, leftOut);
        case JSONL -> lines(reader, RowReader::parse);
        case TE -> lines(reader, RowReader::fieldLine);
        case TE_CSV -> csv(reader, file, RowReader::checkFieldHeader, RowReader::fieldRow, leftOut);
      };
      return new RowReader(reader, rows, leftOut);
    } catch (RuntimeException e) {
      closeQuietly(reader);
      throw e;
    }
  }

  @Override
  public boolean hasNext() {
    return rows.hasNext();
  }

  @Override
  public Row next() {
    return rows.next();
  }

  @Override
  public void close() {
    closeQuietly(reader);
  }

  private static void closeQuietly(BufferedReader reader) {
    try {
      reader.close();
    } catch (IOException ignored) {
      // reading is over either way
    }
  }

  // --- CSV ------------------------------------------------------------------------------------

  private static final CSVFormat CSV = CSVFormat.RFC4180.builder()
      .setHeader()
      .setSkipHeaderRecord(true)
      // Blank lines come through as records (and are skipped below) so that line numbers stay right.
      .setIgnoreEmptyLines(false)
      .get();

  /** A CSV record's cells by column as a row, or null for a row that is left out. */
  private interface RecordRow {
    Row read(long line, Map<String, String> cells);
  }

  private interface HeaderCheck {
    void check(Path file, List<String> header);
  }

  private static void checkOurHeader(Path file, List<String> header) {
    for (String column : header) {
      if (!EntryFormat.COLUMNS.contains(column)) {
        throw CliException.badInput(file + ": line 1: unknown column '" + column + "'; the columns are "
            + String.join(",", EntryFormat.COLUMNS) + " (signal_type and signal required)");
      }
    }
    for (String required : List.of("signal_type", "signal")) {
      if (!header.contains(required)) {
        throw CliException.badInput(file + ": line 1: the header has no '" + required + "' column; the columns are "
            + String.join(",", EntryFormat.COLUMNS));
      }
    }
  }

  /** The dataset CSV's columns are found by name (its versions order them differently); others are ignored. */
  private static void checkFieldHeader(Path file, List<String> header) {
    for (String required : List.of("signal_type", "signal_str")) {
      if (!header.contains(required)) {
        throw CliException.badInput(file + ": line 1: the header has no '" + required + "' column; a dataset CSV has "
            + String.join(",", EntryFormat.TE_COLUMNS));
      }
    }
  }

  private static Row ourRow(long line, Map<String, String> cells) {
    FileRow row = new FileRow(cells.get("signal_type"), cells.get("signal"), list(cells.get("labels")),
        emptyToNull(cells.get("note")), emptyToNull(cells.get("provenance")), list(cells.get("entities")),
        emptyToNull(cells.get("entry"))).stripped();
    return checked(line, row);
  }

  /**
   * A row of our own formats, with the field's type names accepted as aliases: {@code video_md5},
   * {@code video_sha256}, {@code raw_text}, and a {@code vpdq} signal in the field's JSON form.
   */
  private static Row checked(long line, FileRow row) {
    String missing = row.missing();
    if (missing != null) {
      return new Row(line, null, missing);
    }
    if (!FieldSignals.isAlias(row.signalType(), row.signal())) {
      return new Row(line, row, null);
    }
    FieldSignals.Ours ours = FieldSignals.toOurs(row.signalType(), row.signal());
    return ours.error() != null ? new Row(line, null, ours.error()) : new Row(line, row.withSignal(ours.type(), ours.value()), null);
  }

  /**
   * A dataset row: its tags become entity tags (labels are this service's own taxonomy) and its
   * collaboration the provenance. A row whose category says the content is not harmful
   * ({@code NEGATIVE_CLASS}) or is disputed is left out: an opinion against banking is no ban.
   */
  private static Row fieldRow(long line, Map<String, String> cells) {
    String category = cells.getOrDefault("category", "").strip().toUpperCase(java.util.Locale.ROOT);
    if (category.equals("NEGATIVE_CLASS") || category.equals("DISPUTED")) {
      return null;
    }
    String signal = cells.get("signal_str");
    if (signal == null || signal.isBlank()) {
      return new Row(line, null, "signal_str: missing");
    }
    FieldSignals.Ours ours = FieldSignals.toOurs(cells.get("signal_type"), signal);
    if (ours.error() != null) {
      return new Row(line, null, ours.error());
    }
    String tags = cells.getOrDefault("tags", "").strip();
    List<String> entities = tags.isEmpty() ? null : List.of(tags.split("\\s+"));
    return new Row(line, new FileRow(ours.type(), ours.value(), null, null, emptyToNull(cells.getOrDefault("collab", "").strip()),
        entities), null);
  }

  /** A line of {@code signal_type signal}: the type, one run of spaces, then the signal to the line's end. */
  private static Row fieldLine(String text, long line) {
    String stripped = text.strip();
    int space = 0;
    while (space < stripped.length() && !Character.isWhitespace(stripped.charAt(space))) {
      space++;
    }
    if (space == stripped.length()) {
      return new Row(line, null, "expected 'signal_type signal' (e.g. 'pdq' and a space, then 64 hex digits)");
    }
    FieldSignals.Ours ours = FieldSignals.toOurs(stripped.substring(0, space), stripped.substring(space).strip());
    return ours.error() != null ? new Row(line, null, ours.error())
        : new Row(line, new FileRow(ours.type(), ours.value(), null, null, null, null), null);
  }

  private static Iterator<Row> csv(BufferedReader reader, Path file, HeaderCheck headerCheck, RecordRow toRow, long[] leftOut) {
    CSVParser parser;
    try {
      parser = CSV.parse(reader);
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      throw CliException.badInput(file + ": cannot read the CSV header row: " + e.getMessage());
    }
    List<String> header = parser.getHeaderNames();
    headerCheck.check(file, header);
    Iterator<CSVRecord> records = parser.iterator();
    return new Iterator<>() {
      // The line a record starts on: one after the line the previous one ended on (blank lines aside).
      long nextStart = parser.getCurrentLineNumber() + 1;

      private Row pending;

      @Override
      public boolean hasNext() {
        try {
          while (pending == null && records.hasNext()) {
            CSVRecord record = records.next();
            long line = nextStart;
            nextStart = parser.getCurrentLineNumber() + 1;
            if (record.size() == 1 && record.get(0).isEmpty()) {
              continue;
            }
            if (record.size() != header.size()) {
              pending = new Row(line, null, "has " + record.size() + " cells; the header has " + header.size());
            } else {
              pending = toRow.read(line, record.toMap());
              if (pending == null) {
                leftOut[0]++;
              }
            }
          }
          return pending != null;
        } catch (UncheckedIOException | IllegalStateException e) {
          throw CliException.badInput(file + ": line " + nextStart + ": malformed CSV: " + e.getMessage());
        }
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Row row = pending;
        pending = null;
        return row;
      }
    };
  }

  /** A {@code ;}-separated cell as a list (blank parts dropped); null for a missing column. */
  private static List<String> list(String cell) {
    if (cell == null) {
      return null;
    }
    return Arrays.stream(cell.split(";")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toCollection(ArrayList::new));
  }

  private static String emptyToNull(String cell) {
    return cell == null || cell.isEmpty() ? null : cell;
  }

  // --- JSON lines -----------------------------------------------------------------------------

  // The API's own rules: snake_case, unknown fields refused (a misspelt "lables" would drop labels).
  private static final ObjectMapper JSON = JsonMapping.create();

  private interface LineRow {
    Row read(String text, long line);
  }

  private static Iterator<Row> lines(BufferedReader reader, LineRow toRow) {
    return new Iterator<>() {
      long lineNumber;
      String pending = advance();

      private String advance() {
        try {
          String text;
          do {
            text = reader.readLine();
            lineNumber++;
          } while (text != null && text.isBlank());
          return text;
        } catch (IOException e) {
          throw CliException.badInput("cannot read line " + lineNumber + ": " + e.getMessage());
        }
      }

      @Override
      public boolean hasNext() {
        return pending != null;
      }

      @Override
      public Row next() {
        if (pending == null) {
          throw new NoSuchElementException();
        }
        String text = pending;
        long line = lineNumber;
        pending = advance();
        return toRow.read(text, line);
      }
    };
  }

  private static Row parse(String text, long line) {
    try {
      FileRow row = JSON.readValue(text, FileRow.class);
      if (row == null) {
        return new Row(line, null, "null; each line is an object such as {\"signal_type\":\"pdq\",\"signal\":\"...\"}");
      }
      return checked(line, row.stripped());
    } catch (UnrecognizedPropertyException e) {
      return new Row(line, null, "unknown field '" + e.getPropertyName() + "'; the fields are " + String.join(", ", EntryFormat.COLUMNS));
    } catch (JsonMappingException e) {
      String field = e.getPath().isEmpty() ? null : e.getPath().getFirst().getFieldName();
      return new Row(line, null, field == null
          ? "not an object with the fields " + String.join(", ", EntryFormat.COLUMNS)
          : field + ": wrong type (labels and entities are arrays of strings, the others strings)");
    } catch (JsonProcessingException e) {
      return new Row(line, null, "not JSON: " + e.getOriginalMessage());
    }
  }
}
