package org.countersignal.server.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import org.countersignal.server.auth.Role;
import org.countersignal.server.userreport.ReportCase;
import org.countersignal.server.userreport.ReporterKind;
import org.countersignal.server.userreport.UserReport;

/**
 * A report case's reports on its case page ({@code case-reports.jte}), read only: who reported (a
 * user, or a trusted flagger by name), why, in their words, and whether the case looks like a
 * mass-report campaign and why. Users are not named: the reviewer judges the content, not who
 * reported it.
 *
 * @param hidden the viewer's role may not read reports: the page says so and shows none
 * @param reporters how many reported, and how many of them trusted flaggers, as a sentence
 */
record CaseReports(boolean hidden, boolean possibleCampaign, String campaignReason, String reporters, List<Row> rows) {

  /** Who may read a case's reports (as {@code GET /api/v1/cases/{id}/reports}). */
  static final Set<Role> READERS = Set.of(Role.ADMIN, Role.REVIEWER, Role.AUDITOR);

  private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  /**
   * One report.
   *
   * @param received when it came in (ISO-8601), or null
   * @param receivedShown the same to the minute in UTC, or null when it could not be read as a time
   * @param trusted from a trusted flagger, named by {@code reporterId}, rather than a user, who is not named
   */
  record Row(long id, boolean campaign, String received, String receivedShown, boolean trusted, String reporterId, boolean newAccount,
      boolean repeat,
      String reason, String details, String state) {}

  static CaseReports notForRole() {
    return new CaseReports(true, false, null, null, List.of());
  }

  static CaseReports of(ReportCase reports) {
    String reporters = reports.reporters() + (reports.reporters() == 1 ? " reporter" : " reporters")
        + (reports.trustedFlaggers() == 0 ? "" : ", " + reports.trustedFlaggers() + " of them trusted flaggers") + ".";
    return new CaseReports(false, reports.possibleCampaign(), reports.campaignReason(), reporters,
        reports.reports().stream().map(CaseReports::row).toList());
  }

  private static Row row(UserReport report) {
    return new Row(report.id(), report.possibleCampaign(), report.receivedAt(), minutes(report.receivedAt()),
        report.reporterKind() == ReporterKind.TRUSTED_FLAGGER, report.reporterId(), report.newAccount(), report.repeatReport(),
        words(report.reason() == null ? null : report.reason().wire()), report.details(),
        words(report.state() == null ? null : report.state().wire()));
  }

  private static String minutes(String iso) {
    if (iso == null) {
      return null;
    }
    try {
      return MINUTES.format(Instant.parse(iso));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String words(String wire) {
    return wire == null ? null : wire.replace('_', ' ');
  }
}
