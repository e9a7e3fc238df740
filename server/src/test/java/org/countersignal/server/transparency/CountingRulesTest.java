package org.countersignal.server.transparency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The two rules a report's numbers follow beyond adding up: a median is the lower middle value
 * of what was counted (a value that was seen, as PostgreSQL's PERCENTILE_DISC gives it, never an
 * average of two), and a CSV cell that a spreadsheet would run as a formula is written as text.
 */
class CountingRulesTest {

  static long median(Map<Long, Long> counts) {
    return FigureCounter.median(new TreeMap<>(counts));
  }

  @Test
  void theMedianIsTheLowerMiddleValueSeen() {
    assertThat(median(Map.of(10L, 1L, 20L, 1L))).isEqualTo(10);
    assertThat(median(Map.of(10L, 1L, 20L, 1L, 30L, 1L))).isEqualTo(20);
    assertThat(median(Map.of(5L, 3L, 3600L, 2L))).isEqualTo(5);
    assertThat(median(Map.of(5L, 2L, 3600L, 3L))).isEqualTo(3600);
    assertThat(median(Map.of(42L, 1L))).isEqualTo(42);
  }

  @Test
  void aCellThatWouldRunAsAFormulaIsWrittenAsText() {
    assertThat(ReportCsv.cell("=HYPERLINK(\"http://x\",\"y\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    assertThat(ReportCsv.cell("+1")).isEqualTo("\"'+1\"");
    assertThat(ReportCsv.cell("@SUM(A1)")).isEqualTo("\"'@SUM(A1)\"");
    assertThat(ReportCsv.cell("attacker_manifesto")).isEqualTo("attacker_manifesto");
    assertThat(ReportCsv.cell("a, b")).isEqualTo("\"a, b\"");
    assertThat(ReportCsv.cell("42")).isEqualTo("42");
  }
}
