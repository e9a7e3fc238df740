package org.countersignal.cli.bank;

import org.countersignal.server.exchange.FieldSignals;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.countersignal.server.http.JsonMapping;

/** Writes entry rows in the format {@link RowReader} reads, so an export imports again as it was. */
final class RowWriter implements AutoCloseable {

  private static final ObjectMapper JSON = JsonMapping.create().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

  private final Writer out;
  private final CSVPrinter csv;

  RowWriter(Writer out, EntryFormat format) throws IOException {
    this.out = out;
    this.csv = format == EntryFormat.CSV || format == EntryFormat.TE_CSV
        ? new CSVPrinter(out, CSVFormat.RFC4180.builder()
            .setHeader((format == EntryFormat.CSV ? EntryFormat.COLUMNS : EntryFormat.TE_COLUMNS).toArray(String[]::new))
            // RFC 4180 quoting, but Unix line ends like the rest of the command's output (import reads both).
            .setRecordSeparator('\n')
            .get())
        : null;
  }

  void write(FileRow row) throws IOException {
    if (csv != null) {
      csv.printRecord(row.signalType(), row.signal(), joined(row.labels()), row.note(), row.provenance(), joined(row.entities()),
          row.entry());
    } else {
      out.write(JSON.writeValueAsString(row));
      out.write('\n');
    }
  }

  /**
   * Writes the row's signal in python-threatexchange's vocabulary: a {@code signal_type signal}
   * line, or a dataset CSV row (the bank as its collaboration, the entry's labels and entity tags
   * as its tags). Returns false, writing nothing, when the field has no form for the signal.
   *
   * @param image whether the row's entry is an image (has a PDQ hash)
   */
  boolean writeField(FileRow row, boolean image, String bankName) throws IOException {
    FieldSignals.Field field = FieldSignals.toField(row.signalType(), row.signal(), image);
    if (field == null) {
      return false;
    }
    if (csv != null) {
      List<String> tags = new java.util.ArrayList<>();
      for (List<String> values : List.of(row.labels(), row.entities())) {
        // A tag is one word in the dataset's space-separated cell.
        values.forEach(value -> tags.add(value.strip().replaceAll("\\s+", "_")));
      }
      csv.printRecord(bankName, field.type(), field.signal(), "POSITIVE_CLASS", String.join(" ", tags));
    } else {
      out.write(field.type() + " " + field.signal() + "\n");
    }
    return true;
  }

  private static String joined(List<String> values) {
    return values == null ? "" : String.join(";", values);
  }

  /** Flushes; the caller closes the writer it gave (which may be stdout, left open). */
  @Override
  public void close() throws IOException {
    if (csv != null) {
      csv.flush();
    }
    out.flush();
  }
}
