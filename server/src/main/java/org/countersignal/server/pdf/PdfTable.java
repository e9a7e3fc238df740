package org.countersignal.server.pdf;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A table's columns (share of the width, right-aligned or not, monospace or not) and its rows, for {@link PdfPages#table}. */
public final class PdfTable {

  static final int MAX_CELL = 400;

  final String[] headers;
  final float[] shares;
  final boolean[] right;
  final boolean[] mono;
  final List<String[]> rows = new ArrayList<>();
  /** Rows drawn in grey (a span when nothing was counted), by index; the last row in bold when it is a total. */
  final Set<Integer> quiet = new HashSet<>();
  boolean total;

  public PdfTable(String[] headers, float[] shares, boolean[] right) {
    this.headers = headers;
    this.shares = shares;
    this.right = right;
    this.mono = new boolean[headers.length];
  }

  /** Draws the last row added in grey (a span when nothing was counted). */
  public void quietRow() {
    quiet.add(rows.size() - 1);
  }

  public void mono(int column) {
    mono[column] = true;
  }

  /** A row; a cell longer than {@link #MAX_CELL} characters (a long text signal) is cut, so a row never outgrows a page. */
  public void row(String... cells) {
    String[] cut = new String[cells.length];
    for (int c = 0; c < cells.length; c++) {
      String cell = cells[c] == null ? "" : cells[c];
      cut[c] = cell.length() <= MAX_CELL ? cell : cell.substring(0, MAX_CELL) + "\u2026";
    }
    rows.add(cut);
  }

  /** Sets the last row in bold under a rule, as a total. */
  public void totalRow() {
    total = true;
  }
}
