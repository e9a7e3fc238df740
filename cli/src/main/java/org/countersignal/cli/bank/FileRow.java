package org.countersignal.cli.bank;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One row of an entry file: one signal and the entry's details. {@code entry} groups the rows
 * of an entry with several signals ({@link EntryGroups}); null for an entry of one row.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record FileRow(String signalType, String signal, List<String> labels, String note, String provenance, List<String> entities,
    String entry) {

  FileRow(String signalType, String signal, List<String> labels, String note, String provenance, List<String> entities) {
    this(signalType, signal, labels, note, provenance, entities, null);
  }

  /** What is missing for the row to name a signal, or null. */
  String missing() {
    if (signalType == null || signalType.isBlank()) {
      return "signal_type: missing (e.g. pdq, md5, sha256)";
    }
    if (signal == null || signal.isBlank()) {
      return "signal: missing";
    }
    return null;
  }

  /** About how long this row is as JSON in a batch request, to keep batches under the server's size limit. */
  long approximateJsonBytes() {
    long bytes = 64 + length(signalType) + length(signal) + length(note) + length(provenance) + length(entry);
    for (List<String> values : java.util.Arrays.asList(labels, entities)) {
      if (values != null) {
        for (String value : values) {
          bytes += length(value) + 3;
        }
      }
    }
    return bytes;
  }

  private static long length(String text) {
    // JSON escapes and UTF-8 make some characters 2 or more bytes: count 2 a char, and the batch
    // cap (half the server's limit) covers the rest.
    return text == null ? 0 : 2L * text.length();
  }

  FileRow withSignal(String type, String value) {
    return new FileRow(type, value, labels, note, provenance, entities, entry);
  }

  FileRow stripped() {
    return new FileRow(signalType == null ? null : signalType.strip(), signal == null ? null : signal.strip(), labels, note,
        provenance, entities, entry == null || entry.isBlank() ? null : entry.strip());
  }
}
