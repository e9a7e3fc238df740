package org.countersignal.server.console;

import static org.countersignal.server.console.Html.esc;
import static org.countersignal.server.console.IncidentHtml.time;

import java.util.Set;
import org.countersignal.server.auth.Role;
import org.countersignal.server.userreport.ReportCase;
import org.countersignal.server.userreport.ReporterKind;
import org.countersignal.server.userreport.UserReport;

/**
 * A report case's reports on its case page, read only: who reported (a user, or a trusted flagger
 * by name), why, in their words, and whether the case looks like a mass-report campaign and why.
 * Users are not named: the reviewer judges the content, not who reported it.
 */
final class ReportHtml {

  /** Who may read a case's reports (as {@code GET /api/v1/cases/{id}/reports}). */
  static final Set<Role> READERS = Set.of(Role.ADMIN, Role.REVIEWER, Role.AUDITOR);

  private ReportHtml() {}

  static String section(ReportCase reports) {
    StringBuilder out = new StringBuilder("<section class=\"card\" id=\"reports\"><h2>Reports</h2>");
    if (reports.possibleCampaign()) {
      out.append("<div class=\"notice error\" id=\"possible-campaign\" role=\"note\"><p><strong>Possible mass-report campaign:</strong> ")
          .append(esc(reports.campaignReason()))
          .append(". Coordinated reports are used to get legitimate content taken down; judge the content, not the number of reports.</p></div>");
    }
    out.append("<p>").append(reports.reporters()).append(reports.reporters() == 1 ? " reporter" : " reporters")
        .append(reports.trustedFlaggers() == 0 ? "" : ", " + reports.trustedFlaggers() + " of them trusted flaggers").append(".</p>");
    out.append("<table id=\"report-list\"><thead><tr><th>received (UTC)</th><th>reporter</th><th>reason</th><th>details</th><th>state</th>")
        .append("</tr></thead><tbody>");
    for (UserReport report : reports.reports()) {
      out.append("<tr data-report-id=\"").append(report.id()).append("\"").append(report.possibleCampaign() ? " class=\"campaign\"" : "")
          .append("><td>").append(time(report.receivedAt(), false)).append("</td><td>").append(reporter(report)).append("</td><td>")
          .append(esc(words(report.reason() == null ? null : report.reason().wire()))).append("</td><td>")
          .append(report.details() == null ? "<span class=\"muted\">—</span>" : esc(report.details())).append("</td><td>")
          .append(esc(words(report.state() == null ? null : report.state().wire()))).append("</td></tr>");
    }
    return out.append("</tbody></table></section>").toString();
  }

  private static String reporter(UserReport report) {
    StringBuilder out = new StringBuilder();
    if (report.reporterKind() == ReporterKind.TRUSTED_FLAGGER) {
      out.append("<strong>trusted flagger</strong> ").append(esc(report.reporterId()));
    } else {
      out.append("user");
    }
    if (report.newAccount()) {
      out.append(" <span class=\"tag\">new account</span>");
    }
    if (report.repeatReport()) {
      out.append(" <span class=\"tag\">reported again</span>");
    }
    if (report.possibleCampaign()) {
      out.append(" <span class=\"tag\">part of a possible campaign</span>");
    }
    return out.toString();
  }

  private static String words(String wire) {
    return wire == null ? null : wire.replace('_', ' ');
  }
}
