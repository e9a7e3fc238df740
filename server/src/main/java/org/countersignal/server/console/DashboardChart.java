package org.countersignal.server.console;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The matches-per-hour bar chart, laid out: where each bar and label goes in the SVG the
 * template draws. The layout is done here so the template only places what it is given; the
 * numbers are in the page as a table too, for screen readers and for copying.
 */
record DashboardChart(List<Bar> bars, List<Label> labels, long total, long most, String summary) {

  /** The SVG's drawing area ({@code viewBox}), in its own units. */
  static final int WIDTH = 520;
  static final int HEIGHT = 160;

  private static final int LEFT = 36;
  private static final int SLOT = 20;
  private static final int BAR = 14;
  private static final int TOP = 16;
  private static final int BASE = 130;

  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm");

  /** One hour's bar; {@code hour} as the page names it ("13:00"), {@code start} for a machine. */
  record Bar(String hour, String start, long count, int x, int y, int width, int height, String title) {}

  /** A text in the chart: an hour under the bars, or the scale beside them. */
  record Label(String text, int x, int y, String anchor) {}

  static DashboardChart of(List<OffsetDateTime> hourStarts, long[] counts) {
    long most = 0;
    long total = 0;
    for (long count : counts) {
      most = Math.max(most, count);
      total += count;
    }
    List<Bar> bars = new ArrayList<>();
    List<Label> labels = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      // A bar for any match at all, however small beside the busiest hour.
      int height = most == 0 ? 0 : (int) Math.max(counts[i] == 0 ? 0 : 1, Math.round((double) counts[i] * (BASE - TOP) / most));
      int x = LEFT + i * SLOT + (SLOT - BAR) / 2;
      String hour = HOUR.format(hourStarts.get(i));
      String next = HOUR.format(hourStarts.get(i).plusHours(1));
      bars.add(new Bar(hour, hourStarts.get(i).toInstant().toString(), counts[i], x, BASE - height, BAR, height,
          hour + "–" + next + " UTC: " + matches(counts[i])));
      if (i % 6 == 0 || i == counts.length - 1) {
        labels.add(new Label(hour, x + BAR / 2, BASE + 16, "middle"));
      }
    }
    labels.add(new Label(Long.toString(most), LEFT - 6, TOP + 4, "end"));
    labels.add(new Label("0", LEFT - 6, BASE, "end"));
    String summary = "Matches per hour over the last " + counts.length + " hours, UTC: " + matches(total) + " in all"
        + (most == 0 ? "" : ", at most " + most + " in one hour") + ". The table below has each hour's figure.";
    return new DashboardChart(bars, labels, total, most, summary);
  }

  /** Where the bars stand: the chart's base line. */
  int baseY() {
    return BASE;
  }

  int left() {
    return LEFT;
  }

  int right() {
    return LEFT + SLOT * bars.size();
  }

  String viewBox() {
    return "0 0 " + WIDTH + " " + HEIGHT;
  }

  static String matches(long count) {
    return count + (count == 1 ? " match" : " matches");
  }
}
