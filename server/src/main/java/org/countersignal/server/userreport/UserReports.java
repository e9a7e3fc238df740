package org.countersignal.server.userreport;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.countersignal.server.RequestException;
import org.countersignal.server.TextFields;
import org.countersignal.server.action.Submissions;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.review.CaseDecidedHook;
import org.countersignal.server.review.CaseKind;
import org.countersignal.server.review.CaseStatus;
import org.countersignal.server.review.Cases;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.GroupCommit;
import org.countersignal.server.transparency.Ledger;
import org.countersignal.server.webhook.Outbox;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Reports from users and trusted flaggers, relayed by the platform. Reports of the same content
 * (the same content id, else the same canonical URL) join one open review case of kind
 * {@code report}, each reporter counted once. A burst of reports from recently made accounts
 * against one post or one account marks the case {@code possible_campaign}: its reporters from new
 * accounts then add nothing to its priority, and the reviewer sees why. No report acts on the
 * content by itself: a reviewer decides every report case. When the case is decided each report's
 * reporter is told through a {@code report.outcome} webhook event.
 */
public final class UserReports implements CaseDecidedHook, AutoCloseable {

  /** The webhook event that tells the platform what came of a report. */
  public static final String REPORT_OUTCOME = "report.outcome";

  /** A reporter's account made less than this before the report is a new account. */
  public static final Duration NEW_ACCOUNT = Duration.ofDays(7);
  /** The window in which reports from new accounts are counted towards a campaign. */
  public static final Duration CAMPAIGN_WINDOW = Duration.ofHours(1);
  /** This many distinct new-account reporters in the window against one post or one account is a possible campaign. */
  public static final int CAMPAIGN_REPORTERS = 5;

  /** What each reporter (counted once per case) adds to the case's priority. */
  public static final int USER_WEIGHT = 10;
  public static final int TRUSTED_FLAGGER_WEIGHT = 300;
  /** Users together add at most this much: one trusted flagger outranks any number of users. */
  public static final int USERS_CAP = 250;
  /** A report case's priority stays below an escalated case's ({@code Priority.ESCALATION}). */
  public static final int PRIORITY_CAP = 900;

  private static final int MAX_ID = 200;
  private static final int MAX_URL = 2000;
  private static final int MAX_DETAILS = 4000;
  private static final int MAX_SIGNALS = 10;
  private static final int MAX_SIGNAL_VALUE = 2000;
  private static final Pattern SIGNAL_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,49}");

  /**
   * Threads that take reports in; reports naming one account always meet in the same one. Two: on
   * the two cores measured, more split the batches smaller and meet each other's locks more often,
   * and take fewer reports a second (docs/BENCHMARKS.md, "Reports from users").
   */
  static final int INTAKE_WORKERS = 2;
  /** At most this many reports in one intake transaction. */
  static final int INTAKE_BATCH = 64;

  private final Jdbi jdbi;
  private final Duration retention;
  private final GroupCommit<Incoming, ReceivedReport> intake;

  /** @param retention how long the reported content's submission is kept, as for matches */
  public UserReports(Jdbi jdbi, Duration retention) {
    this.jdbi = jdbi;
    this.retention = retention;
    this.intake = new GroupCommit<>(jdbi, "report-intake", INTAKE_WORKERS, INTAKE_BATCH, Incoming::worker, this::take);
  }

  private record Checked(String reporterId, ReporterKind kind, OffsetDateTime createdAt, Integer accountAgeDays, ReportReason reason,
      String details, String contentId, String url, String canonicalUrl, String account, Map<String, String> signals) {}

  /** A checked report and who relayed it, waiting to be taken in. */
  private record Incoming(Principal caller, Checked report) {

    /**
     * Reports against one account are taken by one worker, in one transaction while they come in
     * together: a burst against an account (a possible campaign) does not queue for its lock.
     */
    Object worker() {
      return report.account() != null ? report.account() : report.contentId() != null ? report.contentId() : report.canonicalUrl();
    }
  }

  /**
   * Takes in a report: it joins the open case of its content, or opens one. The report is checked
   * here, then taken in with the reports that wait with it, in one transaction
   * ({@link GroupCommit}); it is answered once that has committed.
   */
  public ReceivedReport receive(Principal caller, NewReport report) {
    return intake.submit(new Incoming(caller, check(report)));
  }

  /**
   * Takes in a batch of reports in one transaction: the locks of them all in one statement, each
   * report in turn as if alone (a report sees those before it in the batch), then their audit and
   * ledger rows, each kind as one JDBC batch. Every statement here costs a round trip while the
   * batch's locks are held, so what the transaction itself wrote is answered from memory rather
   * than read back.
   */
  private List<ReceivedReport> take(Handle h, List<Incoming> batch) {
    SortedSet<String> locks = new TreeSet<>();
    batch.forEach(in -> IntakeLocks.add(locks, in.report().contentId(), in.report().canonicalUrl(), in.report().account()));
    IntakeLocks.take(h, locks);
    Written written = new Written(new ArrayList<>(), new ArrayList<>());
    List<ReceivedReport> received = new ArrayList<>();
    for (Incoming in : batch) {
      received.add(take(h, in.caller(), in.report(), written));
    }
    AuditLog.appendAll(h, written.audit());
    Ledger.reportsReceived(h, written.ledger());
    return received;
  }

  /** The audit and ledger rows of a batch, written after its reports. */
  private record Written(List<AuditLog.Entry> audit, List<Ledger.ReportReceived> ledger) {}

  private ReceivedReport take(Handle h, Principal caller, Checked in, Written written) {
    OffsetDateTime now = Clock.now(h);
    OffsetDateTime createdAt = in.createdAt() != null ? Clock.utc(in.createdAt().toInstant())
        : in.accountAgeDays() != null ? now.minusDays(in.accountAgeDays()) : null;
    boolean newAccount = in.kind() == ReporterKind.USER && createdAt != null && createdAt.isAfter(now.minus(NEW_ACCOUNT));
    Optional<Long> open = openCase(h, in.contentId(), in.canonicalUrl());
    boolean opened = open.isEmpty();
    long caseId;
    long submission = 0;
    Reporters alone = new Reporters(1, in.kind() == ReporterKind.TRUSTED_FLAGGER ? 1 : 0);
    if (opened) {
      String contentId = in.contentId() != null ? in.contentId() : "cs-" + UUID.randomUUID();
      submission = Submissions.insertReported(h, contentId, in.account(), in.contentId() == null ? "url" : "other", in.signals(),
          caller.keyId(), now, now.plus(retention));
      // Its priority as its only reporter sets it; a campaign marked below sets it again.
      caseId = Cases.openReportCase(h, submission, priority(alone), now);
      h.createUpdate("INSERT INTO user_report_cases (case_id, submission_id, content_id, canonical_url, account_id, possible_campaign, created_at) "
              + "VALUES (:c, :s, :content, :url, :account, FALSE, :now)")
          .bind("c", caseId).bind("s", submission).bind("content", in.contentId()).bind("url", in.canonicalUrl())
          .bind("account", in.account()).bind("now", now).execute();
    } else {
      caseId = open.get();
      // A later report may name what the first did not: the content id, the URL, the account. The
      // update also locks the case's row until commit, so a report that found this case by another
      // value (its URL where this one gave the content id) waits here, and the counts below see it.
      h.createUpdate("UPDATE user_report_cases SET content_id = COALESCE(content_id, :content), canonical_url = COALESCE(canonical_url, :url), "
              + "account_id = COALESCE(account_id, :account) WHERE case_id = :c")
          .bind("content", in.contentId()).bind("url", in.canonicalUrl()).bind("account", in.account()).bind("c", caseId).execute();
    }
    boolean repeat = !opened && h.createQuery("SELECT COUNT(*) FROM user_reports WHERE case_id = :c AND reporter_id = :r")
        .bind("c", caseId).bind("r", in.reporterId()).mapTo(Integer.class).one() > 0;
    long id = h.createUpdate("INSERT INTO user_reports (case_id, reporter_id, reporter_kind, reporter_created_at, reason, details, content_id, "
            + "content_url, account_id, repeat_report, new_account, possible_campaign, state, key_id, received_at) "
            + "VALUES (:c, :reporter, :kind, :created, :reason, :details, :content, :url, :account, :repeat, :new, FALSE, :state, :key, :now)")
        .bind("c", caseId).bind("reporter", in.reporterId()).bind("kind", in.kind().wire()).bind("created", createdAt)
        .bind("reason", in.reason().wire()).bind("details", in.details()).bind("content", in.contentId()).bind("url", in.url())
        .bind("account", in.account()).bind("repeat", repeat).bind("new", newAccount).bind("state", ReportState.OPEN.wire())
        .bind("key", caller.keyId()).bind("now", now)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    Campaign campaign = newAccount ? campaign(h, caller, caseId, !opened, in.account(), now, written.audit()) : Campaign.NONE;
    ReportCase reportCase;
    if (opened && !campaign.thisReport()) {
      reportCase = new ReportCase(caseId, submission, CaseStatus.OPEN.wire(), priority(alone), in.contentId(), in.canonicalUrl(), in.account(),
          1, alone.trusted(), false, null, Clock.text(now), List.of());
    } else {
      CaseReporters reporters = reporters(h, caseId);
      Cases.setReportPriority(h, caseId, priority(reporters.counting()));
      reportCase = reportCase(h, caseId, reporters.all(), List.of());
    }
    for (long other : campaign.marked()) {
      if (other != caseId) {
        reprioritise(h, other);
      }
    }
    UserReport view = new UserReport(id, caseId, in.reporterId(), in.kind(), Clock.text(createdAt), in.reason(), in.details(), in.contentId(),
        in.url(), in.account(), repeat, newAccount, campaign.thisReport(), ReportState.OPEN, Clock.text(now), null);
    Map<String, Object> after = new LinkedHashMap<>();
    after.put("report", view);
    after.put("case_opened", opened);
    after.put("priority", reportCase.priority());
    after.put("possible_campaign", reportCase.possibleCampaign());
    written.audit().add(new AuditLog.Entry(caller.keyId(), "user_report.received", "user_report", id, null, after));
    written.ledger().add(new Ledger.ReportReceived(id, reportCase.submissionId(), in.kind().wire(), in.reason().wire(), repeat, opened));
    return new ReceivedReport(view, opened, reportCase);
  }

  /** Stops taking reports in: those already submitted are taken first. */
  @Override
  public void close() {
    intake.close();
  }

  /**
   * What the campaign check found for a report from a new account: whether the report itself is
   * part of a burst (and so marked), and the cases it newly marked.
   */
  private record Campaign(boolean thisReport, List<Long> marked) {
    static final Campaign NONE = new Campaign(false, List.of());
  }

  /**
   * Counts distinct new-account reporters in the window against this post, and against the
   * account that posted it; at {@link #CAMPAIGN_REPORTERS} the cases they reported are marked
   * (once, audited) and so are those reports, this one among them. A case this report has just
   * opened has one reporter: its post is not counted.
   */
  private static Campaign campaign(Handle h, Principal caller, long caseId, boolean countPost, String account, OffsetDateTime now,
      List<AuditLog.Entry> audit) {
    OffsetDateTime since = now.minus(CAMPAIGN_WINDOW);
    List<Long> marked = new ArrayList<>();
    boolean thisReport = false;
    int onPost = !countPost ? 1 : h.createQuery("SELECT COUNT(DISTINCT reporter_id) FROM user_reports WHERE case_id = :c AND new_account AND received_at >= :since")
        .bind("c", caseId).bind("since", since).mapTo(Integer.class).one();
    if (onPost >= CAMPAIGN_REPORTERS) {
      thisReport = true;
      marked.addAll(mark(h, caller, audit, "case_id = :c", Map.of("c", caseId), since,
          onPost + " reports from accounts made less than " + NEW_ACCOUNT.toDays() + " days before, within " + CAMPAIGN_WINDOW.toMinutes()
              + " minutes, against this post"));
    }
    if (account != null) {
      int onAccount = h.createQuery("SELECT COUNT(DISTINCT reporter_id) FROM user_reports WHERE account_id = :a AND new_account AND received_at >= :since")
          .bind("a", account).bind("since", since).mapTo(Integer.class).one();
      if (onAccount >= CAMPAIGN_REPORTERS) {
        thisReport = true;
        marked.addAll(mark(h, caller, audit, "account_id = :a", Map.of("a", account), since,
            onAccount + " reports from accounts made less than " + NEW_ACCOUNT.toDays() + " days before, within " + CAMPAIGN_WINDOW.toMinutes()
                + " minutes, against account " + account));
      }
    }
    return new Campaign(thisReport, marked);
  }

  private static List<Long> mark(Handle h, Principal caller, List<AuditLog.Entry> audit, String where, Map<String, Object> binds,
      OffsetDateTime since, String reason) {
    String unmarked = where + " AND new_account AND received_at >= :since AND NOT possible_campaign";
    // The cases of the reports about to be marked: any other report marked before was marked with
    // its case. Read without a join, as the update reads them, so a burst costs no lookup per report.
    List<Long> cases = h.createQuery("SELECT DISTINCT case_id FROM user_reports WHERE " + unmarked)
        .bindMap(binds).bind("since", since).mapTo(Long.class).list();
    h.createUpdate("UPDATE user_reports SET possible_campaign = TRUE WHERE " + unmarked).bindMap(binds).bind("since", since).execute();
    List<Long> marked = new ArrayList<>();
    for (long c : cases) {
      // Another report's transaction may have marked it since (a campaign against another account): once, with its reason.
      if (h.createUpdate("UPDATE user_report_cases SET possible_campaign = TRUE, campaign_reason = :r WHERE case_id = :c AND NOT possible_campaign")
          .bind("r", reason).bind("c", c).execute() == 1) {
        audit.add(new AuditLog.Entry(caller.keyId(), "user_report.possible_campaign", "case", c, null, Map.of("campaign_reason", reason)));
        marked.add(c);
      }
    }
    return marked;
  }

  /**
   * The case's priority from its reporters, each counted once (at the weight of their kind):
   * users {@link #USER_WEIGHT} each up to {@link #USERS_CAP} together, trusted flaggers
   * {@link #TRUSTED_FLAGGER_WEIGHT} each, at most {@link #PRIORITY_CAP}.
   */
  static int priority(Reporters counted) {
    int users = (counted.all() - counted.trusted()) * USER_WEIGHT;
    return Math.min(PRIORITY_CAP, Math.min(users, USERS_CAP) + counted.trusted() * TRUSTED_FLAGGER_WEIGHT);
  }

  /** A reporter whose reports are all marked as part of a campaign adds nothing. */
  private static void reprioritise(Handle h, long caseId) {
    Cases.setReportPriority(h, caseId, priority(reporters(h, caseId).counting()));
  }

  /**
   * Distinct reporters of a case, and how many of them are trusted flaggers (a reporter who
   * reported as one counts as one).
   */
  record Reporters(int all, int trusted) {

    static Reporters of(List<UserReport> reports) {
      Map<String, ReporterKind> kinds = new HashMap<>();
      reports.forEach(r -> kinds.merge(r.reporterId(), r.reporterKind(), (a, b) -> a == ReporterKind.TRUSTED_FLAGGER ? a : b));
      return new Reporters(kinds.size(), (int) kinds.values().stream().filter(k -> k == ReporterKind.TRUSTED_FLAGGER).count());
    }
  }

  /** A case's reporters: all of them, and those that count towards its priority (not marked as part of a campaign). */
  private record CaseReporters(Reporters all, Reporters counting) {}

  /** Counted by the database, so that a case with thousands of reports is not read whole for each new one. */
  private static CaseReporters reporters(Handle h, long caseId) {
    return h.createQuery("SELECT COUNT(DISTINCT reporter_id), COUNT(DISTINCT CASE WHEN reporter_kind = :trusted THEN reporter_id END), "
            + "COUNT(DISTINCT CASE WHEN NOT possible_campaign THEN reporter_id END), "
            + "COUNT(DISTINCT CASE WHEN NOT possible_campaign AND reporter_kind = :trusted THEN reporter_id END) "
            + "FROM user_reports WHERE case_id = :c")
        .bind("c", caseId).bind("trusted", ReporterKind.TRUSTED_FLAGGER.wire())
        .map((rs, ctx) -> new CaseReporters(new Reporters(rs.getInt(1), rs.getInt(2)), new Reporters(rs.getInt(3), rs.getInt(4))))
        .one();
  }

  /**
   * The open case of the content: the one of its content id, else one of its canonical URL (only a
   * case without an id when the report gives one: another content id at the same URL is other
   * content, the platform knows best). One statement of two index lookups (UNION ALL rather than
   * OR, which H2 would answer by reading every case). The case's status is a scalar subquery by
   * its key, not a join: joined, PostgreSQL may plan to read every open case through the queue's
   * index and look each up here, which grows with the queue.
   */
  private static Optional<Long> openCase(Handle h, String contentId, String canonicalUrl) {
    String select = "SELECT u.case_id, %d AS pick FROM user_report_cases u WHERE (SELECT c.status FROM cases c WHERE c.id = u.case_id) "
        + "IN (" + CaseStatus.OPEN.sql() + ", " + CaseStatus.ESCALATED.sql() + ") AND ";
    List<String> parts = new ArrayList<>();
    if (contentId != null) {
      parts.add(select.formatted(0) + "u.content_id = :id");
    }
    if (canonicalUrl != null) {
      parts.add(select.formatted(1) + "u.canonical_url = :url" + (contentId == null ? "" : " AND u.content_id IS NULL"));
    }
    var query = h.createQuery("SELECT case_id FROM (" + String.join(" UNION ALL ", parts) + ") o ORDER BY pick, case_id FETCH FIRST 1 ROWS ONLY");
    if (contentId != null) {
      query.bind("id", contentId);
    }
    if (canonicalUrl != null) {
      query.bind("url", canonicalUrl);
    }
    return query.mapTo(Long.class).findFirst();
  }

  /** {@inheritDoc} A report case confirmed or rejected tells each of its reports' reporters. */
  @Override
  public void decided(Handle h, long caseId, CaseKind kind, String outcome, String rejectAs) {
    if (kind != CaseKind.REPORT) {
      return;
    }
    ReportState state = switch (outcome) {
      case "confirm" -> ReportState.VIOLATING;
      case "reject" -> ReportState.NO_VIOLATION;
      default -> null;
    };
    if (state == null) {
      return;
    }
    OffsetDateTime now = Clock.now(h);
    List<Long> open = h.createQuery("SELECT id FROM user_reports WHERE case_id = :c AND state = :open")
        .bind("c", caseId).bind("open", ReportState.OPEN.wire()).mapTo(Long.class).list();
    h.createUpdate("UPDATE user_reports SET state = :s, decided_at = :now WHERE case_id = :c AND state = :open")
        .bind("s", state.wire()).bind("now", now).bind("c", caseId).bind("open", ReportState.OPEN.wire()).execute();
    ReportCase decided = reportCase(h, caseId);
    for (UserReport r : decided.reports()) {
      if (open.contains(r.id())) {
        Ledger.reportDecided(h, r.id(), decided.submissionId(), r.reporterKind().wire(), r.reason().wire(), state.wire(),
            OffsetDateTime.parse(r.receivedAt()));
      }
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("report_id", r.id());
      event.put("case_id", caseId);
      event.put("reporter_id", r.reporterId());
      event.put("reporter_kind", r.reporterKind().wire());
      event.put("outcome", state.wire());
      event.put("reason", r.reason().wire());
      Map<String, Object> content = new LinkedHashMap<>();
      content.put("id", r.contentId() != null ? r.contentId() : decided.contentId());
      content.put("url", r.url());
      content.put("account", r.account());
      event.put("content", content);
      event.put("decided_at", Clock.text(now));
      Outbox.enqueue(h, REPORT_OUTCOME, event);
    }
    AuditLog.append(h, null, "user_report.outcome", "case", caseId, null,
        Map.of("outcome", state.wire(), "reports", decided.reports().size()));
  }

  public UserReport get(long id) {
    return jdbi.withHandle(h -> find(h, id)).orElseThrow(() -> RequestException.notFound("report", id));
  }

  /** Reports, newest first, by any of case, reporter and content id; at most {@code limit}. */
  public List<UserReport> list(Long caseId, String reporterId, String contentId, int limit) {
    StringBuilder where = new StringBuilder("1 = 1");
    Map<String, Object> binds = new HashMap<>();
    if (caseId != null) {
      where.append(" AND r.case_id = :c");
      binds.put("c", caseId);
    }
    if (reporterId != null) {
      where.append(" AND r.reporter_id = :r");
      binds.put("r", reporterId);
    }
    if (contentId != null) {
      where.append(" AND (r.content_id = :content OR u.content_id = :content)");
      binds.put("content", contentId);
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT r.* FROM user_reports r JOIN user_report_cases u ON u.case_id = r.case_id WHERE " + where
            + " ORDER BY r.id DESC FETCH FIRST :limit ROWS ONLY")
        .bindMap(binds).bind("limit", limit)
        .map((rs, ctx) -> view(rs))
        .list());
  }

  /** The reports of review case {@code caseId}, with its reporters and campaign flag; 404 if it is no report case. */
  public ReportCase forCase(long caseId) {
    return jdbi.withHandle(h -> reportCase(h, caseId));
  }

  private static ReportCase reportCase(Handle h, long caseId) {
    List<UserReport> reports = h.createQuery("SELECT * FROM user_reports WHERE case_id = :c ORDER BY id")
        .bind("c", caseId).map((rs, ctx) -> view(rs)).list();
    return reportCase(h, caseId, Reporters.of(reports), reports);
  }

  private static ReportCase reportCase(Handle h, long caseId, Reporters reporters, List<UserReport> reports) {
    return h.createQuery("SELECT u.*, c.status, c.priority FROM user_report_cases u JOIN cases c ON c.id = u.case_id WHERE u.case_id = :c")
        .bind("c", caseId)
        .map((rs, ctx) -> new ReportCase(caseId, rs.getLong("submission_id"), rs.getString("status"), rs.getInt("priority"), rs.getString("content_id"),
            rs.getString("canonical_url"), rs.getString("account_id"), reporters.all(), reporters.trusted(), rs.getBoolean("possible_campaign"),
            rs.getString("campaign_reason"), Clock.text(rs.getObject("created_at", OffsetDateTime.class)), reports))
        .findOne()
        .orElseThrow(() -> RequestException.notFound("report case", caseId));
  }

  private static Optional<UserReport> find(Handle h, long id) {
    return h.createQuery("SELECT * FROM user_reports WHERE id = :id").bind("id", id).map((rs, ctx) -> view(rs)).findOne();
  }

  private static UserReport view(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new UserReport(rs.getLong("id"), rs.getLong("case_id"), rs.getString("reporter_id"), ReporterKind.fromWire(rs.getString("reporter_kind")),
        Clock.text(rs.getObject("reporter_created_at", OffsetDateTime.class)), ReportReason.fromWire(rs.getString("reason")),
        rs.getString("details"), rs.getString("content_id"), rs.getString("content_url"), rs.getString("account_id"),
        rs.getBoolean("repeat_report"), rs.getBoolean("new_account"), rs.getBoolean("possible_campaign"),
        ReportState.fromWire(rs.getString("state")), Clock.text(rs.getObject("received_at", OffsetDateTime.class)),
        Clock.text(rs.getObject("decided_at", OffsetDateTime.class)));
  }

  private static Checked check(NewReport r) {
    if (r == null) {
      throw RequestException.invalid("body", "a report: reporter_id, reporter_kind, reason, content_id or url");
    }
    String reporter = id(r.reporterId(), "reporter_id");
    if (reporter == null) {
      throw RequestException.invalid("reporter_id", "the reporter, in the platform's ids");
    }
    ReporterKind kind = ReporterKind.fromWire(r.reporterKind());
    if (kind == null) {
      throw RequestException.invalid("reporter_kind", "one of " + ReporterKind.words());
    }
    OffsetDateTime created = null;
    if (r.reporterCreatedAt() != null) {
      if (r.reporterAccountAgeDays() != null) {
        throw RequestException.invalid("reporter_account_age_days", "give reporter_created_at or reporter_account_age_days, not both");
      }
      try {
        created = OffsetDateTime.parse(r.reporterCreatedAt());
      } catch (DateTimeParseException e) {
        throw RequestException.invalid("reporter_created_at", "a date and time with its offset, e.g. 2026-01-31T09:00:00Z");
      }
    }
    if (r.reporterAccountAgeDays() != null && (r.reporterAccountAgeDays() < 0 || r.reporterAccountAgeDays() > 100_000)) {
      throw RequestException.invalid("reporter_account_age_days", "a number of days, 0 or more");
    }
    ReportReason reason = ReportReason.fromWire(r.reason());
    if (reason == null) {
      throw RequestException.invalid("reason", "one of " + ReportReason.words());
    }
    String details = null;
    if (r.details() != null && !r.details().isBlank()) {
      if (r.details().length() > MAX_DETAILS) {
        throw RequestException.invalid("details", "at most " + MAX_DETAILS + " characters");
      }
      details = TextFields.paragraphs(r.details().strip(), "details");
    }
    String contentId = id(r.contentId(), "content_id");
    String url = null;
    String canonical = null;
    if (r.url() != null && !r.url().isBlank()) {
      url = r.url().strip();
      if (url.length() > MAX_URL) {
        throw RequestException.invalid("url", "at most " + MAX_URL + " characters");
      }
      canonical = canonicalUrl(url);
    }
    if (contentId == null && url == null) {
      throw RequestException.invalid("content_id", "give the reported content's content_id, its url, or both");
    }
    String account = id(r.account(), "account");
    Map<String, String> signals = new LinkedHashMap<>();
    if (r.signals() != null) {
      if (r.signals().size() > MAX_SIGNALS) {
        throw RequestException.invalid("signals", "at most " + MAX_SIGNALS + " signals");
      }
      r.signals().forEach((type, value) -> {
        if (type == null || !SIGNAL_TYPE.matcher(type).matches()) {
          throw RequestException.invalid("signals", "a signal type is a lower-case word, e.g. pdq or md5");
        }
        if (value == null || value.isBlank() || value.length() > MAX_SIGNAL_VALUE) {
          throw RequestException.invalid("signals." + type, "a value of at most " + MAX_SIGNAL_VALUE + " characters");
        }
        signals.put(type, TextFields.line(value.strip(), "signals." + type));
      });
    }
    return new Checked(reporter, kind, created, r.reporterAccountAgeDays(), reason, details, contentId, url, canonical, account, signals);
  }

  private static String id(String value, String field) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (value.length() > MAX_ID) {
      throw RequestException.invalid(field, "at most " + MAX_ID + " characters");
    }
    return TextFields.line(value.strip(), field);
  }

  /**
   * The URL as reports of the same content are compared: scheme and host in lower case, the
   * default port and the fragment dropped, an empty path as {@code /}; the path and query as given.
   */
  static String canonicalUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw RequestException.invalid("url", "not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
      throw RequestException.invalid("url", "an http or https URL with a host");
    }
    int port = uri.getPort();
    boolean defaultPort = port == -1 || "http".equals(scheme) && port == 80 || "https".equals(scheme) && port == 443;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }
}
