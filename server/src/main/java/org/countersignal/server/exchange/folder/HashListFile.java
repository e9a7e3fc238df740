package org.countersignal.server.exchange.folder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.countersignal.server.exchange.FetchDelta;
import org.countersignal.server.exchange.FieldSignals;
import org.countersignal.server.exchange.Opinion;
import org.countersignal.server.exchange.SignalKey;
import org.countersignal.server.exchange.SourceRecord;

/**
 * One hash-list file of a watched folder, read a record at a time, in the format its name says:
 * {@code .txt} python-threatexchange's {@code signal_type signal} lines; {@code .csv} its dataset
 * CSV (columns by name: {@code signal_type}, {@code signal_str}, {@code category}, {@code tags}
 * space-separated, {@code collab}); {@code .jsonl} JSON lines of ours ({@code {"signals": {...},
 * "labels": [...], "entities": [...], "note": ..., "deleted": true}}). A record that cannot be
 * read becomes a malformed update, so one bad line never holds back the file.
 */
final class HashListFile implements AutoCloseable {

  /** The file name endings read; anything else in the folder is left alone. */
  static final List<String> ENDINGS = List.of(".txt", ".csv", ".jsonl");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One record: its updates (a JSON line may hold several signals). */
  interface Records {
    /** The next record's updates, or null at the end of the file. */
    List<FetchDelta.Update> next() throws IOException;
  }

  private final BufferedReader reader;
  private final Records records;

  HashListFile(Path file) throws IOException {
    this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".csv")) {
      records = csv(reader);
    } else if (name.endsWith(".jsonl")) {
      records = lines(reader, HashListFile::jsonLine);
    } else {
      records = lines(reader, HashListFile::fieldLine);
    }
  }

  static boolean isHashList(Path file) {
    String name = file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    return !name.startsWith(".") && ENDINGS.stream().anyMatch(lower::endsWith);
  }

  /** The next record's updates (empty for a blank or comment line), or null at the end. */
  List<FetchDelta.Update> next() throws IOException {
    return records.next();
  }

  private interface LineReader {
    List<FetchDelta.Update> read(String line);
  }

  private static Records lines(BufferedReader reader, LineReader read) {
    return () -> {
      String line = reader.readLine();
      if (line == null) {
        return null;
      }
      String stripped = line.strip();
      return stripped.isEmpty() || stripped.startsWith("#") ? List.of() : read.read(stripped);
    };
  }

  /** {@code signal_type signal}: the field's plain hash list. */
  private static List<FetchDelta.Update> fieldLine(String line) {
    int space = line.indexOf(' ');
    if (space < 0) {
      return List.of(FetchDelta.malformed(null, null, "a line is 'signal_type signal', not '" + shorten(line) + "'"));
    }
    return List.of(field(line.substring(0, space), line.substring(space).strip(), SourceRecord.positive(List.of(), null)));
  }

  private static FetchDelta.Update field(String type, String signal, SourceRecord record) {
    FieldSignals.Ours ours = FieldSignals.toOurs(type, signal);
    if (ours.error() != null) {
      return FetchDelta.malformed(type, shorten(signal), ours.error());
    }
    return new FetchDelta.Update(new SignalKey(ours.type(), ours.value()), record);
  }

  private static Records csv(BufferedReader reader) throws IOException {
    CSVParser parser = CSVParser.builder().setReader(reader)
        .setFormat(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true).get()).get();
    Map<String, Integer> header = parser.getHeaderMap();
    if (header == null || !header.containsKey("signal_type") || !header.containsKey("signal_str")) {
      throw new IOException("a CSV hash list has the columns signal_type and signal_str (and optionally category, tags, collab)");
    }
    Iterator<CSVRecord> rows = parser.iterator();
    return () -> {
      if (!rows.hasNext()) {
        return null;
      }
      CSVRecord row = rows.next();
      String category = cell(row, "category");
      Opinion opinion;
      try {
        opinion = category.isBlank() ? Opinion.POSITIVE_CLASS : Opinion.valueOf(category.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        return List.of(FetchDelta.malformed(cell(row, "signal_type"), null, "category: '" + shorten(category) + "' is not an opinion"));
      }
      List<String> tags = new ArrayList<>();
      for (String tag : cell(row, "tags").split("\\s+")) {
        if (!tag.isBlank()) {
          tags.add(tag);
        }
      }
      String collab = cell(row, "collab");
      SourceRecord record = new SourceRecord(tags, opinion, collab.isBlank() ? null : collab.strip(), null);
      return List.of(field(cell(row, "signal_type"), cell(row, "signal_str"), record));
    };
  }

  private static String cell(CSVRecord row, String column) {
    return row.isMapped(column) && row.isSet(column) ? row.get(column) : "";
  }

  private static List<FetchDelta.Update> jsonLine(String line) {
    JsonNode row;
    try {
      row = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      return List.of(FetchDelta.malformed(null, null, "a JSON line does not parse: " + e.getOriginalMessage()));
    }
    JsonNode signals = row == null ? null : row.get("signals");
    if (signals == null || !signals.isObject() || signals.isEmpty()) {
      return List.of(FetchDelta.malformed(null, null, "a JSON line has a \"signals\" object of signal type to signal"));
    }
    boolean deleted = row.path("deleted").asBoolean(false);
    List<String> tags = new ArrayList<>();
    row.path("labels").forEach(label -> tags.add(label.asText()));
    row.path("entities").forEach(entity -> tags.add(entity.asText()));
    String note = row.path("note").isTextual() ? row.path("note").asText() : null;
    List<FetchDelta.Update> updates = new ArrayList<>();
    signals.properties().forEach(signal -> {
      String type = signal.getKey();
      String value = signal.getValue().asText();
      if (FieldSignals.isAlias(type, value)) {
        FetchDelta.Update field = field(type, value, SourceRecord.positive(tags, note));
        updates.add(deleted && field.record().problem() == null ? FetchDelta.Update.deleted(field.key()) : field);
      } else {
        SignalKey key = new SignalKey(type.strip().toLowerCase(Locale.ROOT), value);
        updates.add(deleted ? FetchDelta.Update.deleted(key) : new FetchDelta.Update(key, SourceRecord.positive(tags, note)));
      }
    });
    return updates;
  }

  private static String shorten(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
