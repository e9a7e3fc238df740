package org.countersignal.server.transparency;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A breakdown as an inline SVG bar chart: a horizontal bar per row, in the rows' order (longest
 * first), scaled to the largest, at most {@link ReportHtml#MAX_BARS} of them. Positions are
 * written out here so the template only places them; lengths keep one decimal, in any locale.
 */
record ReportChart(int width, int height, List<Bar> bars) {

  /**
   * One row's bar: its label (shortened to fit) and count as text beside it.
   *
   * @param y the bar's top
   * @param textY the baseline of its label and count
   * @param length the bar's length
   * @param countX where its count starts, just past the bar's end
   */
  record Bar(String label, String count, int y, int textY, String length, String countX) {}

  private static final int LABEL_WIDTH = 150;
  private static final int BAR_HEIGHT = 18;
  private static final int GAP = 6;
  private static final int WIDTH = 420;
  private static final int MAX_LABEL = 22;

  static ReportChart of(List<Figure.Count> rows) {
    List<Figure.Count> shown = rows.size() <= ReportHtml.MAX_BARS ? rows : rows.subList(0, ReportHtml.MAX_BARS);
    long max = Math.max(1, shown.stream().mapToLong(Figure.Count::count).max().orElse(1));
    List<Bar> bars = new ArrayList<>();
    int y = 0;
    for (Figure.Count count : shown) {
      double length = Math.max(1, (WIDTH - LABEL_WIDTH - 60) * (double) count.count() / max);
      String label = ReportText.word(count.value());
      String shortened = label.length() > MAX_LABEL ? label.substring(0, MAX_LABEL - 1) + "\u2026" : label;
      bars.add(new Bar(shortened, ReportText.count(count.count()), y, y + 13, decimal(length), decimal(LABEL_WIDTH + length + 4)));
      y += BAR_HEIGHT + GAP;
    }
    return new ReportChart(WIDTH, shown.size() * (BAR_HEIGHT + GAP), bars);
  }

  int labelWidth() {
    return LABEL_WIDTH;
  }

  int barHeight() {
    return BAR_HEIGHT;
  }

  private static String decimal(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
