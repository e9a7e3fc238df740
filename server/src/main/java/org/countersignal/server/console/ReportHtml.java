package org.countersignal.server.console;

import java.util.List;
import java.util.Set;
import org.countersignal.server.auth.Role;
import org.countersignal.server.userreport.ReportCase;
import org.countersignal.server.userreport.ReporterKind;
import org.countersignal.server.userreport.UserReport;

/**
 * A report case's reports on its case page, read only ({@code report-section.jte}): who reported
 * (a user, or a trusted flagger by name), why, in their words, and whether the case looks like a
 * mass-report campaign and why. Users are not named: the reviewer judges the content, not who
 * reported it.
 */
final class ReportHtml {

  /** Who may read a case's reports (as {@code GET /api/v1/cases/{id}/reports}). */
  static final Set<Role> READERS = Set.of(Role.ADMIN, Role.REVIEWER, Role.AUDITOR);

  private ReportHtml() {}

  /**
   * @param campaignReason why the case looks like a campaign
   * @param reporters how many reported it, and how many of them are trusted flaggers, in a sentence
   */
  record Section(boolean possibleCampaign, String campaignReason, String reporters, List<Row> rows) {}

  /**
   * One report.
   *
   * @param flagger the trusted flagger's name, or null for a user, who is not named
   * @param reason why, in words; null when the report gave none
   * @param details what the reporter wrote, or null
   */
  record Row(long id, ConsoleTime received, String flagger, boolean newAccount, boolean repeatReport, boolean possibleCampaign,
      String reason, String details, String state) {}

  /** The section as the case page's template shows it: {@code @template.console.report-section(section = ReportHtml.view(...))}. */
  static Section view(ReportCase reports) {
    List<Row> rows = reports.reports().stream().map(ReportHtml::row).toList();
    String reporters = reports.reporters() + (reports.reporters() == 1 ? " reporter" : " reporters")
        + (reports.trustedFlaggers() == 0 ? "" : ", " + reports.trustedFlaggers() + " of them trusted flaggers") + ".";
    return new Section(reports.possibleCampaign(), reports.campaignReason(), reporters, rows);
  }

  /** The section rendered, for a case page still put together as a string. */
  static String section(ReportCase reports) {
    return Templates.render("report-section", view(reports));
  }

  private static Row row(UserReport report) {
    String flagger = report.reporterKind() == ReporterKind.TRUSTED_FLAGGER ? report.reporterId() : null;
    return new Row(report.id(), ConsoleTime.of(report.receivedAt(), false), flagger, report.newAccount(), report.repeatReport(),
        report.possibleCampaign(), words(report.reason() == null ? null : report.reason().wire()), report.details(),
        words(report.state() == null ? null : report.state().wire()));
  }

  private static String words(String wire) {
    return wire == null ? null : wire.replace('_', ' ');
  }
}
