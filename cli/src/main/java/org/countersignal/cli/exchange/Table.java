package org.countersignal.cli.exchange;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Rows of text in aligned columns, for people; scripts take {@code --json}. */
final class Table {

  private final List<String[]> rows = new ArrayList<>();

  Table(String... header) {
    rows.add(header);
  }

  void add(String... cells) {
    String[] row = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      row[i] = oneLine(cells[i]);
    }
    rows.add(row);
  }

  void print(PrintWriter out) {
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
  static String oneLine(String text) {
    return text == null || text.isBlank() ? "-" : text.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
  }
}
