package org.countersignal.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Rows of text in aligned columns, for people; scripts take {@code --json}. */
public final class Table {

  private final List<String[]> rows = new ArrayList<>();

  public Table(String... header) {
    rows.add(header);
  }

  public void add(String... cells) {
    String[] row = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      row[i] = oneLine(cells[i]);
    }
    rows.add(row);
  }

  public void print(PrintWriter out) {
    int columns = rows.getFirst().length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** Text from the server (an error, a name) on one line, so it cannot break the table. */
  public static String oneLine(String text) {
    return text == null || text.isBlank() ? "-" : text.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
  }

  /** The server's time to the second, still ISO-8601 in UTC; "-" for none. */
  public static String time(JsonNode text) {
    if (text == null || !text.isTextual()) {
      return "-";
    }
    try {
      return Instant.parse(text.asText()).truncatedTo(ChronoUnit.SECONDS).toString();
    } catch (DateTimeParseException e) {
      return text.asText();
    }
  }
}
