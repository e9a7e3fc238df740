package org.countersignal.server.transparency;

import java.util.ArrayList;
import java.util.List;

/**
 * A report as its HTML page shows it ({@code src/main/jte/transparency/report.jte}): every count,
 * time and stored word already written out for a reader, and each chart measured. Labels, titles
 * and statements are kept as people wrote them; the template escapes them.
 *
 * @param preview true for a report not yet published, whose figures may still change
 * @param checksum the figures' SHA-256, for a published report; null for a preview
 */
record ReportPage(String title, String period, boolean preview, String status, List<Point> tco, List<Section> figures, String counted,
    String checksum) {

  /** One point of Art. 7(3): what it asks, its answer, the counts behind the answer, where the answer comes from. */
  record Point(String point, String asks, String answer, List<Row> detail, String basis) {}

  /** A value and its count, the count written with thousands separators. */
  record Row(String value, String count) {}

  /** A figure: its total and unit, its median time to decide (null where it has none), the breakdowns worth a table. */
  record Section(String title, String total, String counts, String median, List<Split> splits) {}

  /** One breakdown: its table, and the same rows as bars beside it. */
  record Split(String caption, String by, List<Row> rows, ReportChart chart) {}

  static ReportPage of(TransparencyReport report) {
    List<Point> tco = new ArrayList<>();
    for (Article7 point : report.tco()) {
      List<Row> detail = point.detail().stream().map(count -> new Row(count.value(), ReportText.count(count.count()))).toList();
      tco.add(new Point(point.point(), point.asks(), point.answer(), detail, ReportText.word(point.basis())));
    }
    List<Section> figures = report.figures().stream().map(ReportPage::section).toList();
    return new ReportPage(report.title(), ReportText.period(report), report.id() == null, ReportText.status(report), tco, figures,
        ReportText.counted(report), report.id() == null ? null : report.figuresSha256());
  }

  private static Section section(Figure figure) {
    String median = figure.medianSeconds() == null ? null : ReportText.duration(figure.medianSeconds());
    List<Split> splits = new ArrayList<>();
    // A figure that counted nothing has nothing to break down: its total says it all.
    if (figure.total() != 0) {
      for (Figure.Breakdown breakdown : figure.breakdowns()) {
        if (!breakdown.rows().isEmpty()) {
          splits.add(split(breakdown));
        }
      }
    }
    return new Section(figure.title(), ReportText.count(figure.total()), figure.counts(), median, splits);
  }

  private static Split split(Figure.Breakdown breakdown) {
    String caption = breakdown.note() == null ? breakdown.title() : breakdown.title() + " (" + breakdown.note() + ")";
    List<Row> rows = breakdown.rows().stream()
        .map(count -> new Row(ReportText.word(count.value()), ReportText.count(count.count()))).toList();
    return new Split(caption, ReportText.word(breakdown.by()), rows, ReportChart.of(breakdown.rows()));
  }
}
