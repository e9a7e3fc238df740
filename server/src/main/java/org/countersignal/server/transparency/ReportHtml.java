package org.countersignal.server.transparency;

import org.countersignal.server.HtmlTemplates;

/**
 * A report as one self-contained HTML page, ready to put on a public site: styles inline, each
 * breakdown drawn as an inline SVG bar chart beside its table (the table is what screen readers
 * and copy-paste use; the chart is hidden from them). The markup is in
 * {@code src/main/jte/transparency/report.jte}, which escapes every value: labels and statements
 * come from people.
 */
public final class ReportHtml {

  /** The page loads nothing and runs nothing: its styles are inline, its charts inline SVG. */
  public static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'";

  /** The bars a chart draws at most; a longer breakdown is in its table whole. */
  static final int MAX_BARS = 12;

  private ReportHtml() {}

  public static String render(TransparencyReport report) {
    return HtmlTemplates.render("transparency/report.jte", ReportPage.of(report));
  }
}
