package org.countersignal.server.transparency;

import static org.countersignal.server.pdf.PdfText.BOLD;
import static org.countersignal.server.pdf.PdfText.INK;
import static org.countersignal.server.pdf.PdfText.MUTED;
import static org.countersignal.server.pdf.PdfText.REGULAR;
import static org.countersignal.server.pdf.PdfText.WARNING;

import java.awt.Color;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.countersignal.server.pdf.PdfPages;
import org.countersignal.server.pdf.PdfTable;
import org.countersignal.server.pdf.PdfText;

/**
 * A report as a PDF (A4): the TCO Art. 7(3) answers first, then each figure with its total,
 * median and breakdowns (a bar chart and the full table), then how it was counted. Its text is set
 * as {@link PdfText} says. The same report gives the same file: the dates in it are the report's.
 */
public final class ReportPdf {

  private static final Color BAR = new Color(0x0072B2);

  private ReportPdf() {}

  public static byte[] render(TransparencyReport report) {
    return PdfPages.document(report.title() + " (transparency report)", Instant.parse(report.generatedAt()),
        "Countersignal  \u00b7  " + report.title() + "  \u00b7  transparency report" + (report.id() == null ? " (PREVIEW)" : ""),
        pages -> write(report, pages));
  }

  private static void write(TransparencyReport report, PdfPages pages) throws IOException {
    boolean preview = report.id() == null;
    pages.text("TRANSPARENCY REPORT" + (preview ? "  \u00b7  PREVIEW" : ""), BOLD, 9, preview ? WARNING : MUTED);
    pages.space(4);
    pages.paragraph(report.title(), BOLD, 20, INK);
    pages.space(4);
    pages.paragraph(ReportText.period(report), REGULAR, 12, INK);
    pages.paragraph(ReportText.status(report), preview ? BOLD : REGULAR, 9, preview ? WARNING : MUTED);

    pages.heading("Terrorist content online: TCO Regulation Art. 7(3)");
    for (Article7 point : report.tco()) {
      pages.space(4);
      pages.paragraph(point.point() + "  " + point.asks(), BOLD, 10, INK);
      pages.paragraph(point.answer(), REGULAR, 10, INK);
      for (Figure.Count count : point.detail()) {
        pages.paragraph("\u2022 " + count.value() + ": " + ReportText.count(count.count()), REGULAR, 10, INK);
      }
      pages.paragraph("Basis: " + ReportText.word(point.basis()), REGULAR, 8, MUTED);
    }

    pages.newPage();
    pages.heading("Figures");
    for (Figure figure : report.figures()) {
      pages.space(8);
      pages.paragraph(figure.title() + ": " + ReportText.count(figure.total()), BOLD, 11, INK);
      pages.paragraph("Counts " + figure.counts() + ".", REGULAR, 8.5f, MUTED);
      if (figure.medianSeconds() != null) {
        pages.paragraph("Median time from receipt to decision: " + ReportText.duration(figure.medianSeconds()), REGULAR, 8.5f, MUTED);
      }
      if (figure.total() == 0) {
        continue;
      }
      for (Figure.Breakdown breakdown : figure.breakdowns()) {
        if (breakdown.rows().isEmpty()) {
          continue;
        }
        pages.space(4);
        pages.paragraph(breakdown.title() + (breakdown.note() == null ? "" : " (" + breakdown.note() + ")"), BOLD, 9, INK);
        List<Figure.Count> shown = breakdown.rows().size() <= ReportHtml.MAX_BARS ? breakdown.rows()
            : breakdown.rows().subList(0, ReportHtml.MAX_BARS);
        pages.bars(shown.stream().map(c -> ReportText.word(c.value())).toList(), shown.stream().map(Figure.Count::count).toList(), BAR);
        if (breakdown.rows().size() > ReportHtml.MAX_BARS) {
          PdfTable table = new PdfTable(new String[] {ReportText.word(breakdown.by()), "Count"}, new float[] {0.75f, 0.25f},
              new boolean[] {false, true});
          breakdown.rows().forEach(c -> table.row(ReportText.word(c.value()), ReportText.count(c.count())));
          pages.table(table);
        }
      }
    }
    pages.heading("How these figures were counted");
    pages.paragraph(ReportText.counted(report), REGULAR, 10, INK);
  }
}
