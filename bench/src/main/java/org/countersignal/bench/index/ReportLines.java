package org.countersignal.bench.index;

import java.util.Arrays;
import java.util.Locale;

/** What the index reports share: their {@code key=value} output lines and medians of rounds. */
final class ReportLines {

  private ReportLines() {}

  /** One {@code key=value} line on standard output; doubles to four significant digits. */
  static void print(String key, Object value) {
    if (value instanceof Double d) {
      System.out.println(key + "=" + String.format(Locale.ROOT, "%.4g", d));
    } else {
      System.out.println(key + "=" + value);
    }
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
