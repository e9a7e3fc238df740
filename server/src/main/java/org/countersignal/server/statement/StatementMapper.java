package org.countersignal.server.statement;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.countersignal.server.ContentTypes;
import org.countersignal.server.action.DecisionSource;
import org.countersignal.server.action.DecisionState;
import org.countersignal.server.statement.StatementRecords.Background;
import org.countersignal.server.statement.StatementRecords.Content;
import org.countersignal.server.statement.StatementRecords.DecisionRow;
import org.countersignal.server.statement.StatementRecords.OrderRow;
import org.countersignal.server.statement.StatementRecords.Report;
import org.countersignal.server.statement.StatementRecords.ReportCaseRow;
import org.countersignal.server.userreport.ReportReason;
import org.countersignal.server.userreport.ReporterKind;

/**
 * Turns our records into statements of reasons. Everything this service does is about terrorist
 * and violent extremist content, so every statement is of the category "risk for public
 * security" with the keyword "terrorist content"; labels and reports of threats and of violence
 * against defenceless people add the category "violence". docs/STATEMENTS.md says where each
 * field comes from.
 */
final class StatementMapper {

  static final String SUSPEND_ACCOUNT = "suspend_account";

  /** A label an admin adds (and banks or entries carry) to say which ground a match rests on, whatever the operator's default. */
  static final String ILLEGAL_LABEL = "illegal_content";
  static final String TERMS_LABEL = "incompatible_content";
  /** Labels of content that shows or threatens violence against people. */
  static final Set<String> VIOLENCE_LABELS = Set.of("imminent_credible_threat", "graphic_violence_defenceless");

  static final String CATEGORY = "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY";
  static final String VIOLENCE = "STATEMENT_CATEGORY_VIOLENCE";
  static final String TERRORIST_CONTENT = "KEYWORD_TERRORIST_CONTENT";
  static final String REMOVED = "DECISION_VISIBILITY_CONTENT_REMOVED";
  static final String DISABLED = "DECISION_VISIBILITY_CONTENT_DISABLED";
  static final String ACCOUNT_SUSPENDED = "DECISION_ACCOUNT_SUSPENDED";
  static final String YES = "Yes";
  static final String NO = "No";

  /** The database's limits. */
  static final int MAX_EXPLANATION = 2000;
  static final int MAX_FACTS = 5000;
  static final int MAX_SHORT = 500;
  /** What a puid may hold. */
  private static final Pattern NOT_IN_PUID = Pattern.compile("[^A-Za-z0-9_-]");
  private static final int MAX_PUID_CONTENT = 400;

  private final StatementSettings settings;

  StatementMapper(StatementSettings settings) {
    this.settings = settings;
  }

  /** The statement of a restrictive decision that was applied (the caller checks that it is). */
  StatementOfReasons decision(DecisionRow d, Background b) {
    boolean takeover = d.source() == DecisionSource.TAKEOVER;
    OffsetDateTime applied = applied(d, b);
    // A reviewer's confirmation counts when it came before the restriction: the confirmation itself, or what an account rule acted on.
    boolean reviewed = b.review() != null && !b.review().decidedAt().isAfter(applied);
    AutomatedDecision automated = takeover ? AutomatedDecision.AUTOMATED_DECISION_NOT_AUTOMATED
        : reviewed ? AutomatedDecision.AUTOMATED_DECISION_PARTIALLY : AutomatedDecision.AUTOMATED_DECISION_FULLY;
    boolean account = SUSPEND_ACCOUNT.equals(d.action());
    OffsetDateTime ended = d.state() == DecisionState.REINSTATED ? b.reinstatedAt() : null;

    StringBuilder facts = new StringBuilder();
    if (takeover) {
      facts.append("Posted while the account was taken over by someone other than its owner; ")
          .append(account ? "the account was suspended" : "the content was removed").append(" in the platform's response to the takeover.");
    } else if (!b.reports().isEmpty()) {
      facts.append(reportFacts(b.reports()));
    } else {
      facts.append(matchFacts(b));
    }
    if (d.source() == DecisionSource.RULE && d.ruleName() != null) {
      facts.append(" The rule '").append(d.ruleName()).append("' decided: ").append(d.action()).append('.');
    }
    if (reviewed) {
      facts.append(" A reviewer confirmed that the content breaks the policy '").append(b.review().policy()).append("' on ")
          .append(date(b.review().decidedAt())).append('.');
    }
    if (ended != null) {
      facts.append(" The content was reinstated on appeal on ").append(date(ended)).append('.');
    }
    String explanation = b.reports().isEmpty() ? matchExplanation(b) : reportExplanation(b);
    return statement(account ? null : List.of(REMOVED), account ? ACCOUNT_SUSPENDED : null, ground(b.labels()), explanation,
        categoryAdditions(b), d.content(), applied, account ? null : ended, facts.toString(), sourceType(b.reports()), null,
        b.matches().isEmpty() || takeover ? NO : YES, automated, puid(d.content().id(), "decision", d.id()));
  }

  /** When the restriction applied: a decision that waited for review when the reviewer confirmed it, one taken at once when made. */
  static OffsetDateTime applied(DecisionRow d, Background b) {
    return b.review() != null && d.state() != DecisionState.TAKEN ? b.review().decidedAt() : d.createdAt();
  }

  /** The statement of a report case a reviewer confirmed: the content's removal, decided by a person on users' notices. */
  StatementOfReasons reportCase(ReportCaseRow c, Background b) {
    StringBuilder facts = new StringBuilder(reportFacts(b.reports()));
    facts.append(" A reviewer confirmed that the content breaks the policy '").append(c.policy()).append("' on ")
        .append(date(c.decidedAt())).append('.');
    if (b.reinstatedAt() != null) {
      facts.append(" The content was reinstated on appeal on ").append(date(b.reinstatedAt())).append('.');
    }
    return statement(List.of(REMOVED), null, ground(Set.of()), reportExplanation(b), categoryAdditions(b), c.content(), c.decidedAt(),
        b.reinstatedAt(), facts.toString(), sourceType(b.reports()), null, NO, AutomatedDecision.AUTOMATED_DECISION_NOT_AUTOMATED,
        puid(c.content().id(), "case", c.id()));
  }

  /** The statement of a removal order acted on: illegal under the TCO Regulation, on the authority's order. */
  StatementOfReasons order(OrderRow o) {
    boolean disabled = "disabled".equals(o.action());
    String authority = o.authority() + " (" + o.memberState().toUpperCase(java.util.Locale.ROOT) + ")";
    String identity = authority + ", removal order " + o.reference();
    StringBuilder facts = new StringBuilder("Removal order ").append(o.reference()).append(" under Regulation (EU) 2021/784 from ")
        .append(authority).append(", received on ").append(date(o.receivedAt())).append("; ")
        .append(disabled ? "access to the content was disabled" : "the content was removed").append(" on ").append(date(o.actedAt())).append('.');
    if (o.reinstatedAt() != null) {
      facts.append(" The content was reinstated on ").append(date(o.reinstatedAt())).append(" after the content provider's complaint was upheld.");
    }
    String legalGround = "Regulation (EU) 2021/784, Art. 3: " + identity;
    // Without a linked submission the order's URL is all that is known of the content, and its receipt the latest it can date from.
    Content content = o.content().submittedAt() != null ? o.content() : new Content(o.orderContentId(), null, o.receivedAt());
    return new StatementOfReasons(List.of(disabled ? DISABLED : REMOVED), null, DecisionGround.DECISION_GROUND_ILLEGAL_CONTENT, null,
        cut(legalGround, MAX_SHORT), cut(o.reasons(), MAX_EXPLANATION), null, null, CATEGORY, null, List.of(TERRORIST_CONTENT),
        List.of(contentType(content.type())), contentTypeOther(content.type()), date(content.submittedAt()), date(o.actedAt()),
        date(o.reinstatedAt()), null, cut(facts.toString(), MAX_FACTS), SourceType.SOURCE_TYPE_OTHER_NOTIFICATION, cut(identity, MAX_SHORT), NO,
        AutomatedDecision.AUTOMATED_DECISION_NOT_AUTOMATED, settings.territorialScope(), puid(content.id(), "order", o.id()));
  }

  private StatementOfReasons statement(List<String> visibility, String account, DecisionGround ground, String explanation,
      List<String> additions, Content content, OffsetDateTime applied, OffsetDateTime visibilityEnded, String facts, SourceType source,
      String identity, String detection, AutomatedDecision automated, String puid) {
    boolean illegal = ground == DecisionGround.DECISION_GROUND_ILLEGAL_CONTENT;
    return new StatementOfReasons(visibility, account, ground, illegal ? null : settings.termsUrl(), illegal ? settings.legalGround() : null,
        illegal ? cut(explanation, MAX_EXPLANATION) : null, illegal ? null : settings.termsGround(), illegal ? null : cut(explanation, MAX_EXPLANATION),
        CATEGORY, additions.isEmpty() ? null : additions, List.of(TERRORIST_CONTENT), List.of(contentType(content.type())),
        contentTypeOther(content.type()), date(content.submittedAt()), date(applied), date(visibilityEnded), null, cut(facts, MAX_FACTS), source,
        identity, detection, automated, settings.territorialScope(), puid);
  }

  /** A label on what matched names the ground; else the operator's default. Illegality wins when both are named. */
  private DecisionGround ground(Set<String> labels) {
    if (labels.contains(ILLEGAL_LABEL)) {
      return DecisionGround.DECISION_GROUND_ILLEGAL_CONTENT;
    }
    if (labels.contains(TERMS_LABEL)) {
      return DecisionGround.DECISION_GROUND_INCOMPATIBLE_CONTENT;
    }
    return settings.ground();
  }

  private static List<String> categoryAdditions(Background b) {
    boolean violence = b.labels().stream().anyMatch(VIOLENCE_LABELS::contains)
        || b.reports().stream().anyMatch(r -> r.reason() == ReportReason.THREAT);
    return violence ? List.of(VIOLENCE) : List.of();
  }

  /** Reports name no reporter: a notifier is a person, and statements hold no personal data. */
  private static SourceType sourceType(List<Report> reports) {
    if (reports.isEmpty()) {
      return SourceType.SOURCE_VOLUNTARY;
    }
    return reports.stream().anyMatch(r -> r.kind() == ReporterKind.TRUSTED_FLAGGER) ? SourceType.SOURCE_TRUSTED_FLAGGER : SourceType.SOURCE_ARTICLE_16;
  }

  private static String matchFacts(Background b) {
    if (b.matches().isEmpty()) {
      return "The content was found to break policy.";
    }
    Set<String> types = new TreeSet<>();
    b.matches().forEach(m -> types.add(m.signalType()));
    return "The content matched " + b.matches().size() + (b.matches().size() == 1 ? " entry" : " entries") + " of the banks "
        + String.join(", ", banks(b)) + " (signals: " + String.join(", ", types) + ").";
  }

  private static String matchExplanation(Background b) {
    if (b.matches().isEmpty()) {
      return "The content is terrorist or violent extremist content.";
    }
    return "The content matched known terrorist or violent extremist content" + (b.labels().isEmpty() ? "" : " labelled "
        + String.join(", ", b.labels())) + " in the banks " + String.join(", ", banks(b)) + ".";
  }

  private static String reportFacts(List<Report> reports) {
    long trusted = reports.stream().filter(r -> r.kind() == ReporterKind.TRUSTED_FLAGGER).count();
    return reports.size() + (reports.size() == 1 ? " report" : " reports") + " of the content"
        + (trusted == 0 ? "" : ", " + trusted + " of them from trusted flaggers") + ", as " + String.join(", ", reasons(reports)) + ".";
  }

  private static String reportExplanation(Background b) {
    return "Reported as " + String.join(", ", reasons(b.reports())) + "; a reviewer confirmed that it is terrorist or violent extremist content"
        + (b.review() == null || b.review().policy() == null ? "" : " breaking the policy '" + b.review().policy() + "'") + ".";
  }

  private static Set<String> reasons(List<Report> reports) {
    Set<String> reasons = new LinkedHashSet<>();
    reports.forEach(r -> reasons.add(r.reason().wire().replace('_', ' ')));
    return reasons;
  }

  private static List<String> banks(Background b) {
    return new ArrayList<>(new TreeSet<>(b.matches().stream().map(StatementRecords.Match::bankName).toList()));
  }

  /** Our content types in the database's; a link, a file and anything else are "other", said which. */
  static String contentType(String type) {
    return switch (type == null ? "" : type) {
      case ContentTypes.PHOTO, ContentTypes.IMAGE -> "CONTENT_TYPE_IMAGE";
      case "video" -> "CONTENT_TYPE_VIDEO";
      case "text" -> "CONTENT_TYPE_TEXT";
      default -> "CONTENT_TYPE_OTHER";
    };
  }

  static String contentTypeOther(String type) {
    return switch (type == null ? "" : type) {
      case ContentTypes.PHOTO, ContentTypes.IMAGE, "video", "text" -> null;
      case "url" -> "Link (URL)";
      case "file" -> "File (document)";
      case "" -> "Content at the URL the order names";
      default -> "Other content";
    };
  }

  /**
   * Unique within the platform, as the database asks, and made only of what it allows: the
   * platform's content id (other characters become {@code _}), then which record and its id.
   */
  static String puid(String contentId, String record, long id) {
    String suffix = record + "-" + id;
    if (contentId == null || contentId.isBlank()) {
      return suffix;
    }
    String content = NOT_IN_PUID.matcher(contentId).replaceAll("_");
    return (content.length() > MAX_PUID_CONTENT ? content.substring(0, MAX_PUID_CONTENT) : content) + "-" + suffix;
  }

  /** A day as the database writes it (YYYY-MM-DD), in UTC; null stays null. */
  static String date(OffsetDateTime time) {
    return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE);
  }

  private static String cut(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    return text.substring(0, max - 1) + "…";
  }
}
