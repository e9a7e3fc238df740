package org.countersignal.cli.bank;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.countersignal.server.bank.NewEntry;

/** One row of an entry file: one signal and the entry's details. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record FileRow(String signalType, String signal, List<String> labels, String note, String provenance, List<String> entities) {

  /** The entry this row adds. */
  NewEntry toEntry() {
    return new NewEntry(Map.of(signalType, signal), labels, entities, note, provenance);
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
    long bytes = 64 + length(signalType) + length(signal) + length(note) + length(provenance);
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

  FileRow stripped() {
    return new FileRow(signalType == null ? null : signalType.strip(), signal == null ? null : signal.strip(), labels, note,
        provenance, entities);
  }
}
