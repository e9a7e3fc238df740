package org.countersignal.server.transparency;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.countersignal.server.RequestException;
import org.countersignal.server.Sha256;
import org.countersignal.server.TextFields;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.Database;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Transparency reports: previews counted on demand, and published reports, frozen. Publishing
 * counts the period's figures from the ledger rows and submissions that exist at that moment, and
 * names them (the highest id of each); the document is stored as text with its SHA-256 and never
 * changed. Verifying counts the same rows again and compares, so an auditor can see that a report
 * states what the records held, and that neither it nor they were altered.
 */
public final class TransparencyReports {

  /** A period at most this long: ten years, more than any report covers, and bounded so a typo does not scan everything. */
  static final Duration MAX_PERIOD = Duration.ofDays(3660);
  private static final int MAX_TITLE = 200;
  private static final int MAX_STATEMENT = 8000;
  private static final int MAX_OUTCOMES = 4000;

  private final Jdbi jdbi;

  public TransparencyReports(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The figures of a period as they stand now, not kept. */
  public TransparencyReport preview(String from, String to) {
    Period period = period(from, to);
    return jdbi.inTransaction(h -> count(h, null, "Preview", period, Clock.now(h), null, Declared.NONE, through(h)));
  }

  /** Publishes a report of a period that has ended: counted, stored as it is, and audited. */
  public PublishedReport publish(Principal publisher, PublishRequest request) {
    String title = TextFields.line(required(request.title(), "title", MAX_TITLE), "title");
    Period period = period(request.from(), request.to());
    Declared declared = new Declared(text(request.measures(), "measures", MAX_STATEMENT), text(request.reappearance(), "reappearance",
        MAX_STATEMENT), count(request.reviewProceedings(), "review_proceedings"), text(request.reviewOutcomes(), "review_outcomes", MAX_OUTCOMES),
        count(request.reinstatedAfterReview(), "reinstated_after_review"));
    return jdbi.inTransaction(h -> {
      OffsetDateTime now = Clock.now(h);
      if (period.to().isAfter(now)) {
        throw RequestException.invalid("to", "the period has not ended yet (it ends " + Clock.text(period.to())
            + "): a published report is final, so publish it once the period is over, or preview it now");
      }
      long[] through = through(h);
      // The document holds its own id: the row is made first, and filled in the same transaction.
      long id = h.createUpdate("INSERT INTO transparency_reports (title, period_from, period_to, events_through, submissions_through, "
              + "document, sha256, figures_sha256, published_at, published_by) VALUES (:title, :from, :to, :events, :submissions, '', '', '', "
              + ":now, :by)")
          .bind("title", title).bind("from", period.from()).bind("to", period.to()).bind("events", through[0])
          .bind("submissions", through[1]).bind("now", now).bind("by", publisher.keyId())
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      TransparencyReport report = count(h, id, title, period, now, publisher.keyId(), declared, through);
      String document = JsonText.write(report);
      h.createUpdate("UPDATE transparency_reports SET document = :document, sha256 = :sha, figures_sha256 = :figures WHERE id = :id")
          .bind("document", document).bind("sha", Sha256.hex(document)).bind("figures", report.figuresSha256()).bind("id", id).execute();
      PublishedReport published = find(h, id);
      AuditLog.append(h, publisher.keyId(), "transparency_report.published", "transparency_report", id, null, published);
      return published;
    });
  }

  public List<PublishedReport> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT id FROM transparency_reports ORDER BY id DESC").mapTo(Long.class).list()
        .stream().map(id -> find(h, id)).toList());
  }

  public PublishedReport get(long id) {
    return jdbi.withHandle(h -> find(h, id));
  }

  /** The report's document exactly as it was stored when published: the bytes its SHA-256 is of. */
  public String document(long id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT document FROM transparency_reports WHERE id = :id").bind("id", id)
        .mapTo(String.class).findOne().orElseThrow(() -> RequestException.notFound("transparency report", id)));
  }

  public TransparencyReport report(long id) {
    return JsonText.read(document(id), TransparencyReport.class);
  }

  /** Checks the stored document against its checksum, and counts its figures again from the rows it names. */
  public Verification verify(long id) {
    return jdbi.inTransaction(h -> {
      PublishedReport published = find(h, id);
      String document = h.createQuery("SELECT document FROM transparency_reports WHERE id = :id").bind("id", id).mapTo(String.class).one();
      TransparencyReport stated = JsonText.read(document, TransparencyReport.class);
      Period period = new Period(OffsetDateTime.parse(stated.periodFrom()), OffsetDateTime.parse(stated.periodTo()));
      List<Figure> again = counted(h, period, stated.eventsThrough(), stated.submissionsThrough());
      String figuresNow = figuresSha256(period, stated.eventsThrough(), stated.submissionsThrough(), again);
      List<String> changed = new ArrayList<>();
      for (Figure figure : again) {
        boolean same = stated.figures().stream().anyMatch(f -> f.key().equals(figure.key()) && f.equals(figure));
        if (!same) {
          changed.add(figure.key());
        }
      }
      boolean intact = Sha256.hex(document).equals(published.sha256()) && published.figuresSha256().equals(stated.figuresSha256());
      return new Verification(id, intact, figuresNow.equals(stated.figuresSha256()), published.sha256(), stated.figuresSha256(), figuresNow,
          changed);
    });
  }

  private static TransparencyReport count(Handle h, Long id, String title, Period period, OffsetDateTime now, Long publishedBy,
      Declared declared, long[] through) {
    List<Figure> figures = counted(h, period, through[0], through[1]);
    return new TransparencyReport(id, title, Clock.text(period.from()), Clock.text(period.to()), Clock.text(now), publishedBy, through[0],
        through[1], figures, Article7Answers.answer(figures, declared), declared, figuresSha256(period, through[0], through[1], figures));
  }

  private static List<Figure> counted(Handle h, Period period, long eventsThrough, long submissionsThrough) {
    if (Database.isPostgres(h)) {
      // PostgreSQL expects as many groups of the ledger as the product of its columns' distinct
      // values and, with its default memory per step, sorts a year's rows on disk to group them;
      // with room to hash it hashes the few hundred there are. For this transaction only.
      h.execute("SET LOCAL work_mem = '64MB'");
    }
    return FigureCounter.count(h, period.from(), period.to(), eventsThrough, submissionsThrough);
  }

  /** The rows a report counts: the ledger and the submissions as far as they go now. */
  private static long[] through(Handle h) {
    return new long[] {
      h.createQuery("SELECT COALESCE(MAX(id), 0) FROM transparency_events").mapTo(Long.class).one(),
      h.createQuery("SELECT COALESCE(MAX(id), 0) FROM submissions").mapTo(Long.class).one()};
  }

  /** What the figures' checksum is of: the period, the rows named, and the figures, as JSON. */
  private record Counted(String periodFrom, String periodTo, long eventsThrough, long submissionsThrough, List<Figure> figures) {}

  private static String figuresSha256(Period period, long events, long submissions, List<Figure> figures) {
    return Sha256.hex(JsonText.write(new Counted(Clock.text(period.from()), Clock.text(period.to()), events, submissions, figures)));
  }

  private static PublishedReport find(Handle h, long id) {
    return h.createQuery("SELECT id, title, period_from, period_to, published_at, published_by, sha256, figures_sha256 "
            + "FROM transparency_reports WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> new PublishedReport(rs.getLong("id"), rs.getString("title"),
            Clock.text(rs.getObject("period_from", OffsetDateTime.class)), Clock.text(rs.getObject("period_to", OffsetDateTime.class)),
            Clock.text(rs.getObject("published_at", OffsetDateTime.class)), rs.getObject("published_by", Long.class), rs.getString("sha256"),
            rs.getString("figures_sha256")))
        .findOne()
        .orElseThrow(() -> RequestException.notFound("transparency report", id));
  }

  /** A report's period: from its start, up to but not including its end. */
  record Period(OffsetDateTime from, OffsetDateTime to) {}

  static Period period(String from, String to) {
    OffsetDateTime start = time(from, "from");
    OffsetDateTime end = time(to, "to");
    if (!end.isAfter(start)) {
      throw RequestException.invalid("to", "must come after from");
    }
    if (Duration.between(start, end).compareTo(MAX_PERIOD) > 0) {
      throw RequestException.invalid("to", "a period is at most ten years");
    }
    return new Period(start, end);
  }

  /** A date (the start of that day, UTC) or an ISO-8601 time with its offset. */
  private static OffsetDateTime time(String text, String field) {
    if (text == null || text.isBlank()) {
      throw RequestException.invalid(field, "give a date (2026-01-01, the start of that day in UTC) or a time (2026-01-01T00:00:00Z)");
    }
    try {
      return Clock.utc(Clock.dayOrTime(text).toInstant());
    } catch (DateTimeParseException e) {
      throw RequestException.invalid(field, "'" + text + "' is neither a date (2026-01-01) nor a time with its offset (2026-01-01T00:00:00Z)");
    }
  }

  private static String required(String text, String field, int max) {
    if (text == null || text.isBlank()) {
      throw RequestException.invalid(field, "is required");
    }
    return text(text, field, max).strip();
  }

  private static String text(String text, String field, int max) {
    if (text == null) {
      return null;
    }
    if (text.length() > max) {
      throw RequestException.invalid(field, "is " + text.length() + " characters; at most " + max);
    }
    return TextFields.paragraphs(text, field);
  }

  private static Long count(Long value, String field) {
    if (value != null && value < 0) {
      throw RequestException.invalid(field, "is a count: 0 or more");
    }
    return value;
  }
}
