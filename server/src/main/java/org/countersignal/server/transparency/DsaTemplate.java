package org.countersignal.server.transparency;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A report's figures in the sheets of the DSA's harmonised quantitative template (Implementing
 * Regulation (EU) 2024/2835, Annex I), one CSV per sheet, under the sheets' own names and column
 * headings, so that they can be pasted into the template or published beside it. Only the sheets
 * these records can fill are made: Member States' orders (3), notices (4), own-initiative
 * measures against illegal content (5), complaints (7) and automated means (8). Everything here is
 * terrorist content, under the template's category "Risk for public security". A cell the records
 * cannot fill (the time to tell an authority an order arrived, orders to provide information) is
 * left empty rather than guessed. Median times are in hours.
 */
public final class DsaTemplate {

  static final String CATEGORY = "Risk for public security";

  /** The sheets made, by file name. */
  public static final Map<String, Function<TransparencyReport, String>> SHEETS = sheets();

  private DsaTemplate() {}

  private static Map<String, Function<TransparencyReport, String>> sheets() {
    Map<String, Function<TransparencyReport, String>> sheets = new LinkedHashMap<>();
    sheets.put("3_member_states_orders.csv", DsaTemplate::orders);
    sheets.put("4_notices.csv", DsaTemplate::notices);
    sheets.put("5_own_initiative_illegal.csv", DsaTemplate::ownInitiative);
    sheets.put("7_appeals_and_recidivism.csv", DsaTemplate::appeals);
    sheets.put("8_automated_means.csv", DsaTemplate::automatedMeans);
    return sheets;
  }

  static String orders(TransparencyReport report) {
    Table table = new Table(report, "Category of illegal content", "Description of the sub-category \"Other\"", "Scope",
        "Number of orders to act against illegal content received",
        "Number of specific items of information included in the total number of orders to act against illegal content",
        "Median time to inform the authority of the receipt of the order to act against illegal content",
        "Median time to give effect to the order to act against illegal content", "Number of orders to provide information",
        "Median time to inform the authority of the receipt of the order to provide information",
        "Median time to give effect to the order to provide information");
    FigureLookup f = new FigureLookup(report.figures());
    Map<String, Figure.Count> acted = f.byValue("orders_acted", "member_state");
    for (Figure.Count received : f.rows("orders_received", "member_state")) {
      Figure.Count effect = acted.get(received.value());
      // Every removal order names one item of content.
      table.row(CATEGORY, "", received.value(), n(received.count()), n(received.count()), "",
          effect == null ? "" : hours(effect.medianSeconds()), "", "", "");
    }
    return table.csv();
  }

  static String notices(TransparencyReport report) {
    Table table = new Table(report, "Category of illegal content", "Description of the sub-category \"Other\"", "Number of notices received",
        "Number of notices received from Trusted flaggers", "Number of specific items of information included in the total number of notices",
        "Number of specific items of information included in the total number of notices by Trusted Flaggers (Trusted Flagger notices)",
        "Median time to take action", "Median time to take action (Trusted Flagger notices)", "Number of actions taken on the basis of the law",
        "Number of actions taken on the basis of the law (Trusted Flagger notices)",
        "Number of actions taken on the basis of the terms and conditions of the service",
        "Number of actions taken on the basis of the terms and conditions of the service (Trusted Flagger notices)");
    FigureLookup f = new FigureLookup(report.figures());
    Figure.Count trustedDecided = f.byValue("reports_decided", "reporter").get(ActionSource.TRUSTED_FLAGGER.wire());
    long trustedActions = f.count("actions", "source", ActionSource.TRUSTED_FLAGGER.wire());
    // Terrorist content is illegal content (TCO Regulation): actions on notices are on the basis of the law.
    table.row(CATEGORY, "", n(f.total("reports_received")), n(f.count("reports_received", "reporter", ActionSource.TRUSTED_FLAGGER.wire())),
        n(f.total("items_reported")), n(f.count("items_reported", "reporter", ActionSource.TRUSTED_FLAGGER.wire())),
        hours(f.median("reports_decided")), trustedDecided == null ? "" : hours(trustedDecided.medianSeconds()),
        n(f.count("actions", "source", ActionSource.USER_REPORT.wire()) + trustedActions), n(trustedActions), "0", "0");
    return table.csv();
  }

  static String ownInitiative(TransparencyReport report) {
    Table table = new Table(report, "Category of illegal content", "Description of the sub-category \"Other\"",
        "Number of measures taken at the provider's own initiative", "Number of measures taken after detection with solely automated means",
        "Visibility restriction Removal", "Visibility restriction Disable", "Visibility restriction Demoted", "Visibility restriction Age restricted",
        "Visibility restriction Interaction restricted", "Visibility restriction Labelled", "Visibility restriction Other",
        "Monetary restriction Suspension", "Monetary restriction Termination", "Monetary restriction Other",
        "Provision of the service Suspension", "Provision of the service Termination", "Account restriction Suspension",
        "Account restriction Termination");
    FigureLookup f = new FigureLookup(report.figures());
    long own = f.count("actions", "source", ActionSource.HASH_MATCH.wire()) + f.count("actions", "source", ActionSource.STAFF.wire());
    long other = 0;
    for (Figure.Count action : f.rows("actions", "action")) {
      if (!List.of("remove", "label", "suspend_account", "violating").contains(action.value())) {
        other += action.count();
      }
    }
    table.row(CATEGORY, "", n(own), n(f.count("actions", "decided_by", "automated")), n(f.count("actions", "action", "remove")), "0", "0", "0",
        "0", n(f.count("actions", "action", "label")), n(other), "0", "0", "0", "0", "0", n(f.count("actions", "action", "suspend_account")), "0");
    return table.csv();
  }

  static String appeals(TransparencyReport report) {
    FigureLookup f = new FigureLookup(report.figures());
    Table table = new Table(report, "Section", "Indicator", "Scope", "Value", "Contextual Information");
    String section = "Complaints received through the internal complaint-handling system";
    table.row(section, "Total complaints received from recipients of the service", "Total", n(f.total("appeals_filed")),
        "Appeals against removals; complaints about removal orders are in the TCO part of the report");
    table.row(section, "Number of complaints decided", "Total", n(f.total("appeals_decided")), "");
    table.row(section, "Number of decisions upheld", "Total", n(f.count("appeals_decided", "outcome", "upheld")), "");
    table.row(section, "Number of decisions reversed", "Total", n(f.count("appeals_decided", "outcome", "reinstated")), "Content reinstated");
    table.row(section, "Median time to decide", "Total", hours(f.median("appeals_decided")), "Hours");
    return table.csv();
  }

  static String automatedMeans(TransparencyReport report) {
    FigureLookup f = new FigureLookup(report.figures());
    Table table = new Table(report, "Section", "Indicator", "Scope", "Value", "Contextual Information");
    String section = "Use of automated means";
    table.row(section, "Number of measures solely taken by automated means", "Total", n(f.count("actions", "decided_by", "automated")),
        "Rules acting on a hash match with no person");
    table.row(section, "Number of measures taken after human review", "Total", n(f.count("actions", "decided_by", "human")), "");
    for (Figure.Count type : f.rows("actions", "signal_type")) {
      table.row(section, "Number of measures after a match, by signal type", type.value(), n(type.count()), "");
    }
    table.row(section, "Items of content checked against hash banks", "Total", n(f.total("content_checked")), "");
    table.row(section, "Items of content that matched a bank entry", "Total", n(f.total("content_matched")), "");
    return table.csv();
  }

  private static String n(long value) {
    return Long.toString(value);
  }

  private static String hours(Long seconds) {
    return seconds == null ? "" : String.format(Locale.ROOT, "%.2f", seconds / 3600.0);
  }

  /** A sheet: the template's three leading columns (applicability, service, period), then its own. */
  private static final class Table {
    private final TransparencyReport report;
    private final StringBuilder out = new StringBuilder(2048);

    Table(TransparencyReport report, String... headings) {
      this.report = report;
      List<String> all = new ArrayList<>(List.of("Applicability", "Service", "Reporting period"));
      all.addAll(List.of(headings));
      ReportCsv.line(out, all);
    }

    void row(String... cells) {
      List<String> all = new ArrayList<>(List.of("", report.title(), period()));
      all.addAll(List.of(cells));
      ReportCsv.line(out, all);
    }

    private String period() {
      return OffsetDateTime.parse(report.periodFrom()).toLocalDate() + " - " + OffsetDateTime.parse(report.periodTo()).minusNanos(1).toLocalDate();
    }


    String csv() {
      return out.toString();
    }
  }
}
