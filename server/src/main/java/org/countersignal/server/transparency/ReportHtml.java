package org.countersignal.server.transparency;

import java.util.List;
import java.util.Locale;
import org.countersignal.server.HtmlText;

/**
 * A report as one self-contained HTML page, ready to put on a public site: styles inline, each
 * breakdown drawn as an inline SVG bar chart beside its table (the table is what screen readers
 * and copy-paste use; the chart is hidden from them). Every value is escaped: labels and
 * statements come from people.
 */
public final class ReportHtml {

  /** The page loads nothing and runs nothing: its styles are inline, its charts inline SVG. */
  public static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'";

  /** The bars a chart draws at most; a longer breakdown is in its table whole. */
  static final int MAX_BARS = 12;

  private static final String STYLE = """
      body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#222;margin:2rem auto;max-width:960px;padding:0 1rem;line-height:1.4}
      h1{font-size:1.6rem;margin:.2rem 0 .6rem}h2{font-size:1.25rem;margin:2.2rem 0 .4rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}
      h3{font-size:1rem;margin:1.2rem 0 .3rem}.kicker{color:#666;text-transform:uppercase;letter-spacing:.08em;font-size:.8rem}
      .preview{background:#fff4e5;border:1px solid #d55e00;color:#7a2e00;padding:.6rem .8rem;border-radius:4px}
      .unit,.muted{color:#666}.total{font-size:1.5rem;font-weight:600;font-variant-numeric:tabular-nums}
      .split{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}.split table{flex:1 1 20rem}.split svg{flex:1 1 20rem;max-width:100%}
      table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.25rem .5rem;vertical-align:top;border-bottom:1px solid #e4e4e4}
      th{background:#f3f3f3}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
      .answer{white-space:pre-wrap}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;word-break:break-all}
      @media print{body{margin:0;max-width:none}h2{break-after:avoid}.split,tr{break-inside:avoid}}
      """;

  private ReportHtml() {}

  public static String render(TransparencyReport report) {
    StringBuilder out = new StringBuilder(65_536);
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(esc(report.title())).append(" (transparency report)</title>")
        .append("<style>").append(STYLE).append("</style></head><body>\n");
    out.append("<p class=\"kicker\">Transparency report</p>\n<h1>").append(esc(report.title())).append("</h1>\n");
    out.append("<p>").append(esc(ReportText.period(report))).append("</p>\n");
    out.append("<p class=\"").append(report.id() == null ? "preview" : "muted").append("\">").append(esc(ReportText.status(report)))
        .append("</p>\n");

    out.append("<h2>Terrorist content online: TCO Regulation Art. 7(3)</h2>\n");
    out.append("<table><thead><tr><th scope=\"col\">Point</th><th scope=\"col\">What it asks</th><th scope=\"col\">Answer</th>")
        .append("<th scope=\"col\">Basis</th></tr></thead><tbody>\n");
    for (Article7 point : report.tco()) {
      out.append("<tr><td>").append(esc(point.point())).append("</td><td>").append(esc(point.asks())).append("</td><td><div class=\"answer\">")
          .append(esc(point.answer())).append("</div>");
      if (!point.detail().isEmpty()) {
        out.append("<ul>");
        for (Figure.Count count : point.detail()) {
          out.append("<li>").append(esc(count.value())).append(": ").append(ReportText.count(count.count())).append("</li>");
        }
        out.append("</ul>");
      }
      out.append("</td><td>").append(esc(ReportText.word(point.basis()))).append("</td></tr>\n");
    }
    out.append("</tbody></table>\n");

    out.append("<h2>Figures</h2>\n");
    for (Figure figure : report.figures()) {
      figure(out, figure);
    }
    out.append("<h2>How these figures were counted</h2>\n<p>").append(esc(ReportText.counted(report))).append("</p>\n");
    if (report.id() != null) {
      out.append("<p>Figures checksum (SHA-256): <code>").append(esc(report.figuresSha256())).append("</code></p>\n");
    }
    out.append("</body></html>\n");
    return out.toString();
  }

  private static void figure(StringBuilder out, Figure figure) {
    out.append("<section><h3>").append(esc(figure.title())).append("</h3>\n");
    out.append("<p><span class=\"total\">").append(ReportText.count(figure.total())).append("</span> <span class=\"unit\">")
        .append(esc(figure.counts())).append("</span>");
    if (figure.medianSeconds() != null) {
      out.append("<br><span class=\"unit\">Median time from receipt to decision: ").append(esc(ReportText.duration(figure.medianSeconds())))
          .append("</span>");
    }
    out.append("</p>\n");
    if (figure.total() == 0) {
      out.append("</section>\n");
      return;
    }
    for (Figure.Breakdown breakdown : figure.breakdowns()) {
      if (breakdown.rows().isEmpty()) {
        continue;
      }
      out.append("<div class=\"split\"><table><caption class=\"muted\">").append(esc(breakdown.title()));
      if (breakdown.note() != null) {
        out.append(" (").append(esc(breakdown.note())).append(")");
      }
      out.append("</caption><thead><tr><th scope=\"col\">").append(esc(ReportText.word(breakdown.by())))
          .append("</th><th scope=\"col\" class=\"n\">Count</th></tr></thead><tbody>");
      for (Figure.Count count : breakdown.rows()) {
        out.append("<tr><td>").append(esc(ReportText.word(count.value()))).append("</td><td class=\"n\">")
            .append(ReportText.count(count.count())).append("</td></tr>");
      }
      out.append("</tbody></table>");
      bars(out, breakdown.rows());
      out.append("</div>\n");
    }
    out.append("</section>\n");
  }

  /** A horizontal bar per row, longest first, scaled to the largest. */
  private static void bars(StringBuilder out, List<Figure.Count> rows) {
    List<Figure.Count> shown = rows.size() <= MAX_BARS ? rows : rows.subList(0, MAX_BARS);
    long max = Math.max(1, shown.stream().mapToLong(Figure.Count::count).max().orElse(1));
    int barHeight = 18;
    int gap = 6;
    int labelWidth = 150;
    int width = 420;
    int height = shown.size() * (barHeight + gap);
    out.append("<svg aria-hidden=\"true\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" width=\"").append(width).append("\" height=\"").append(height).append("\">");
    int y = 0;
    for (Figure.Count count : shown) {
      double length = (width - labelWidth - 60) * (double) count.count() / max;
      String label = ReportText.word(count.value());
      out.append("<text x=\"0\" y=\"").append(y + 13).append("\" font-size=\"12\" fill=\"#222\">")
          .append(esc(label.length() > 22 ? label.substring(0, 21) + "\u2026" : label)).append("</text>");
      out.append("<rect x=\"").append(labelWidth).append("\" y=\"").append(y).append("\" width=\"")
          .append(String.format(Locale.ROOT, "%.1f", Math.max(1, length))).append("\" height=\"").append(barHeight)
          .append("\" fill=\"#0072B2\"/>");
      out.append("<text x=\"").append(String.format(Locale.ROOT, "%.1f", labelWidth + Math.max(1, length) + 4)).append("\" y=\"")
          .append(y + 13).append("\" font-size=\"12\" fill=\"#444\">").append(ReportText.count(count.count())).append("</text>");
      y += barHeight + gap;
    }
    out.append("</svg>");
  }

  private static String esc(Object value) {
    return HtmlText.escape(value);
  }
}
