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

  FileRow stripped() {
    return new FileRow(signalType == null ? null : signalType.strip(), signal == null ? null : signal.strip(), labels, note,
        provenance, entities);
  }
}
