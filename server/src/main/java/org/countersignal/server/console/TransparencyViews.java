package org.countersignal.server.console;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.countersignal.server.RequestException;
import org.countersignal.server.transparency.Article7;
import org.countersignal.server.transparency.DsaTemplate;
import org.countersignal.server.transparency.Figure;
import org.countersignal.server.transparency.PublishRequest;
import org.countersignal.server.transparency.PublishedReport;
import org.countersignal.server.transparency.ReportText;
import org.countersignal.server.transparency.TransparencyReport;
import org.countersignal.server.transparency.Verification;

/**
 * What the transparency pages ({@code transparency*.jte}) show: the published reports with
 * whether each still checks out, the forms that preview a period and publish a report, and a
 * report's headline figures. A report's title and its publisher's statements are people's own
 * words; the templates escape them.
 */
final class TransparencyViews {

  private TransparencyViews() {}

  /**
   * The list page.
   *
   * @param publish the publish form, or null for those who only read
   */
  record ListPage(Viewer viewer, String message, boolean error, List<Listed> reports, PeriodForm preview, PublishForm publish) {}

  /** A published report as listed: its period in words, who published it and its verification's state. */
  record Listed(long id, String title, String period, ConsoleTime publishedAt, String publishedBy, Check check) {

    String href() {
      return "/console/transparency/" + id;
    }
  }

  /** A period to preview, as typed. */
  record PeriodForm(String from, String to) {

    static final PeriodForm EMPTY = new PeriodForm("", "");

    static PeriodForm from(Context ctx) {
      return new PeriodForm(entered(ctx.queryParam("from")), entered(ctx.queryParam("to")));
    }
  }

  /** The publish form as typed: every field kept as text, so that a refused form comes back as it was. */
  record PublishForm(String title, String from, String to, String measures, String reappearance, String reviewProceedings,
      String reviewOutcomes, String reinstatedAfterReview) {

    static final PublishForm EMPTY = new PublishForm("", "", "", "", "", "", "", "");

    static PublishForm from(Context ctx) {
      return new PublishForm(entered(ctx.formParam("title")), entered(ctx.formParam("from")), entered(ctx.formParam("to")),
          entered(ctx.formParam("measures")), entered(ctx.formParam("reappearance")), entered(ctx.formParam("review_proceedings")),
          entered(ctx.formParam("review_outcomes")), entered(ctx.formParam("reinstated_after_review")));
    }

    /** The form of a previewed period: its dates filled in, to publish what was just looked at. */
    static PublishForm of(PeriodForm period) {
      return new PublishForm("", period.from(), period.to(), "", "", "", "", "");
    }

    /** The request the API takes; the service checks the rest, as it does for the API. */
    PublishRequest request() {
      return new PublishRequest(title, FormFields.utcTime(from), FormFields.utcTime(to), FormFields.blankToNull(measures),
          FormFields.blankToNull(reappearance), count(reviewProceedings, "review_proceedings"), FormFields.blankToNull(reviewOutcomes),
          count(reinstatedAfterReview, "reinstated_after_review"));
    }

    private static Long count(String text, String field) {
      String value = FormFields.blankToNull(text);
      if (value == null) {
        return null;
      }
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw RequestException.invalid(field, "a whole number, got '" + value + "'");
      }
    }
  }

  /** Where a verification stands: the document as published and its figures counted again, or what broke. */
  enum Check {
    HOLDS("holds", "the document is as published and its figures count the same again"),
    DOCUMENT_ALTERED("document altered", "the stored document no longer has the checksum it was published with"),
    FIGURES_CHANGED("figures changed", "counting the rows it names again gives other figures");

    private final String word;
    private final String meaning;

    Check(String word, String meaning) {
      this.word = word;
      this.meaning = meaning;
    }

    static Check of(Verification verification) {
      if (!verification.intact()) {
        return DOCUMENT_ALTERED;
      }
      return verification.reproduced() ? HOLDS : FIGURES_CHANGED;
    }

    String word() {
      return word;
    }

    String meaning() {
      return meaning;
    }

    /** The class the stylesheet colours it by. */
    String css() {
      return "transparency-check transparency-check-" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * A report's page.
   *
   * @param verification its verification, with the figures that changed, if any
   */
  record ReportPage(Viewer viewer, long id, String title, String period, ConsoleTime publishedAt, String publishedBy, Check check,
      Verification verification, Summary summary, List<Download> downloads) {}

  /** A period previewed: its figures as they stand now, and for admins the form to publish them. */
  record PreviewPage(Viewer viewer, String period, ConsoleTime countedAt, PeriodForm preview, Summary summary, PublishForm publish) {}

  /** What a report says at a glance: TCO Art. 7(3) point by point, each figure's total, and what was counted. */
  record Summary(List<Point> points, List<Total> totals, String counted) {}

  /** One point of Art. 7(3): what it asks, the answer (a publisher's statement, or written from the figures), and its counts. */
  record Point(String point, String asks, String answer, String basis, List<Detail> detail) {}

  record Detail(String value, String count) {}

  /** A figure's total in words: what it counts and, where it has one, the median time to decide. */
  record Total(String key, String title, String total, String counts, String median) {}

  /** A file of the report to download: its address, its link's words and the format it is in. */
  record Download(String href, String text, String format) {}

  static Listed listed(PublishedReport report, Map<Long, String> names, Verification verification) {
    return new Listed(report.id(), report.title(), period(report.periodFrom(), report.periodTo()), ConsoleTime.of(report.publishedAt(), false),
        publisher(report.publishedBy(), names), Check.of(verification));
  }

  static ReportPage report(Viewer viewer, PublishedReport published, TransparencyReport report, Verification verification,
      Map<Long, String> names) {
    return new ReportPage(viewer, published.id(), published.title(), ReportText.period(report), ConsoleTime.of(published.publishedAt(), false),
        publisher(published.publishedBy(), names), Check.of(verification), verification, summary(report), downloads(published.id()));
  }

  static PreviewPage preview(Viewer viewer, PeriodForm period, TransparencyReport report, boolean publishes) {
    return new PreviewPage(viewer, ReportText.period(report), ConsoleTime.of(report.generatedAt(), false), period, summary(report),
        publishes ? PublishForm.of(period) : null);
  }

  static Summary summary(TransparencyReport report) {
    List<Point> points = new ArrayList<>();
    for (Article7 point : report.tco()) {
      points.add(new Point(point.point(), point.asks(), point.answer(), ReportText.word(point.basis()),
          point.detail().stream().map(c -> new Detail(c.value(), ReportText.count(c.count()))).toList()));
    }
    List<Total> totals = new ArrayList<>();
    for (Figure figure : report.figures()) {
      totals.add(new Total(figure.key(), figure.title(), ReportText.count(figure.total()), figure.counts(),
          ReportText.duration(figure.medianSeconds())));
    }
    return new Summary(points, totals, ReportText.counted(report));
  }

  /** The report's files: the stored document, its exports, and the DSA template's sheets. */
  static List<Download> downloads(long id) {
    String base = "/console/transparency/" + id + "/";
    List<Download> files = new ArrayList<>();
    files.add(new Download(base + "report.json", "The stored document", "JSON"));
    files.add(new Download(base + "report.csv", "Every figure, breakdown and Art. 7 count", "CSV"));
    files.add(new Download(base + "report.html", "A page for a public website", "HTML"));
    files.add(new Download(base + "report.pdf", "A printable report (A4)", "PDF"));
    for (String sheet : DsaTemplate.SHEETS.keySet()) {
      files.add(new Download(base + "dsa/" + sheet, "DSA template sheet " + sheet, "CSV"));
    }
    return files;
  }

  /**
   * A period in the words the report's own documents use ("1 January 2026 to 31 December 2026"):
   * a listed report is not read whole just to name its period.
   */
  static String period(String from, String to) {
    return ReportText.period(new TransparencyReport(null, null, from, to, null, null, 0, 0, List.of(), List.of(), null, null));
  }

  private static String publisher(Long keyId, Map<Long, String> names) {
    if (keyId == null) {
      return "server";
    }
    return names.getOrDefault(keyId, "key " + keyId);
  }

  private static String entered(String text) {
    return Objects.requireNonNullElse(text, "");
  }
}
