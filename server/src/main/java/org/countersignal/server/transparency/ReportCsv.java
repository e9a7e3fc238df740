package org.countersignal.server.transparency;

import java.util.Arrays;
import java.util.List;

/**
 * A report as CSV (RFC 4180): one row per total, median, breakdown row and TCO Art. 7 count, with
 * the unit each counts in. Values that a spreadsheet would run as a formula are quoted as text.
 */
public final class ReportCsv {

  private ReportCsv() {}

  public static String render(TransparencyReport report) {
    StringBuilder out = new StringBuilder(8192);
    out.append("figure,breakdown,value,count,unit\r\n");
    for (Figure figure : report.figures()) {
      row(out, figure.key(), "total", "", Long.toString(figure.total()), figure.counts());
      if (figure.medianSeconds() != null) {
        row(out, figure.key(), "median_seconds", "", Long.toString(figure.medianSeconds()), "seconds from receipt to decision");
      }
      for (Figure.Breakdown breakdown : figure.breakdowns()) {
        for (Figure.Count count : breakdown.rows()) {
          row(out, figure.key(), breakdown.by(), count.value(), Long.toString(count.count()), figure.counts());
        }
      }
    }
    for (Article7 point : report.tco()) {
      String key = "tco_art_" + point.point().replaceAll("[^0-9a-z]+", "_").replaceAll("_$", "");
      if (point.figure() != null) {
        row(out, key, "total", "", Long.toString(point.figure()), point.basis());
      }
      for (Figure.Count count : point.detail()) {
        row(out, key, "detail", count.value(), Long.toString(count.count()), point.basis());
      }
    }
    return out.toString();
  }

  private static void row(StringBuilder out, String... cells) {
    line(out, Arrays.asList(cells));
  }

  /** One line of cells, each quoted as it needs, ended as RFC 4180 ends lines. */
  static void line(StringBuilder out, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(cell(cells.get(i)));
    }
    out.append("\r\n");
  }

  static String cell(String value) {
    String text = value == null ? "" : value;
    if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
      text = "'" + text;
    }
    if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0 || text.startsWith("'")) {
      return '"' + text.replace("\"", "\"\"") + '"';
    }
    return text;
  }
}
