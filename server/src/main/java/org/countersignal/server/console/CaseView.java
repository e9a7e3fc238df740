package org.countersignal.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.countersignal.server.action.SubmissionView;
import org.countersignal.server.review.AppealView;
import org.countersignal.server.review.AppealedDecision;
import org.countersignal.server.review.CaseDecision;
import org.countersignal.server.review.CaseDetail;
import org.countersignal.server.review.CaseKind;
import org.countersignal.server.review.CaseStatus;
import org.countersignal.server.review.EntryNote;

/**
 * A case's page ({@code case.jte}): the content, what it matched in the banks, for an appeal the
 * user's statement and the decision appealed, and the claim and decision forms a reviewer works
 * it with.
 *
 * @param error why the last claim, release or decision was refused, or null
 * @param claim the claim and its button while the case is open; null once decided
 * @param appeal the appeal of an appeal case, else null
 * @param appealed the decision an appeal case is against (null for other cases); see {@link Appealed}
 * @param protectedWhy why a person must decide whatever the rules said, or null when nothing protects the content
 * @param reports a report case's reports, or null for other cases
 * @param decided the decision's facts once decided, else null
 * @param form the decision form, for the reviewer who holds the open case; else null
 */
record CaseView(Viewer viewer, long id, String kind, String status, int priority, String error, Claim claim, Appeal appeal,
    Appealed appealed, String protectedWhy, CaseReports reports, Media media, List<Fact> facts, List<Match> matches,
    List<Fact> decided, Form form) {

  /** A name and its value in a list of facts. */
  record Fact(String name, String value) {}

  /** Who holds an open case. */
  enum Holder { NOBODY, YOU, OTHER }

  /**
   * @param action the button's form action and id, claim or release; null when the viewer's role may not act
   */
  record Claim(Holder holder, Long claimedBy, String leaseUntil, String action) {}

  record Appeal(long id, boolean overdue, List<Fact> facts) {}

  /**
   * The decision an appeal is against.
   *
   * @param facts who decided, when, the outcome, reason and policy; empty when no record of the removal is kept
   * @param caseId the case it was decided in, or null for a rule's removal
   */
  record Appealed(List<Fact> facts, Long caseId) {}

  /** How the submitted media is shown: not sent, not for this role, or as what. */
  enum MediaShown { NONE_SENT, NOT_FOR_ROLE, VIDEO, IMAGE, DOWNLOAD }

  record Media(MediaShown shown, long submissionId, String type) {}

  /**
   * One hit of a bank entry.
   *
   * @param pattern for a link, the pattern it matched, else null
   * @param banked for a text, which words (and pages) of the banked text matched and the share of the post, else null
   * @param excerpt the post's matching excerpt, folded away on the page, or null
   */
  record Signal(String type, int distance, int threshold, String pattern, String scope, String banked, String excerpt) {}

  /**
   * A bank entry the content matched, with every signal of it that matched (an image often
   * matches by PDQ, MD5 and SHA-256 at once) and what whoever banked it said of it.
   *
   * @param kept false once the entry has been deleted from its bank
   */
  record Match(long entryId, String bank, boolean kept, String note, String provenance, List<Signal> signals, List<String> labels,
      List<String> entities) {}

  /**
   * The decision form.
   *
   * @param appeal an appeal's form (uphold or reinstate) rather than a match's
   * @param reason what the reviewer had written when the decision was refused
   * @param benign whether "benign" rather than "false positive" is chosen for a rejection
   */
  record Form(boolean appeal, String reason, List<QueueView.Option> policies, List<QueueView.Option> banks, boolean benign) {}

  /**
   * @param notes what the bank says of each matched entry
   * @param appealed the decision an appeal case is against, or null
   * @param actors how each key the page names is called
   */
  static CaseView of(Viewer viewer, CaseDetail c, String error, Map<Long, EntryNote> notes, AppealedDecision appealed,
      Map<Long, String> actors, CaseReports reports, Form form) {
    SubmissionView s = c.submission();
    boolean open = CaseStatus.fromWire(c.status()).isOpen();
    return new CaseView(viewer, c.id(), c.kind(), c.status(), c.priority(), error, open ? claim(viewer, c) : null,
        c.appeal() == null ? null : appeal(c.appeal()),
        CaseKind.APPEAL.wire().equals(c.kind()) ? appealed(appealed, actors) : null, protectedWhy(s), reports, media(viewer, s),
        submissionFacts(s), matches(s, notes), open ? null : decided(c), open ? form : null);
  }

  /** Whether the viewer holds the case's live claim. */
  static boolean heldBy(Viewer viewer, CaseDetail c) {
    return c.claimedBy() != null && c.claimedBy() == viewer.principal().keyId();
  }

  private static Claim claim(Viewer viewer, CaseDetail c) {
    boolean mine = heldBy(viewer, c);
    Holder holder = c.claimedBy() == null ? Holder.NOBODY : mine ? Holder.YOU : Holder.OTHER;
    return new Claim(holder, c.claimedBy(), c.leaseUntil(), viewer.mayDecide() ? (mine ? "release" : "claim") : null);
  }

  private static Appeal appeal(AppealView a) {
    return new Appeal(a.id(), a.overdue(), facts("statement", a.statement(), "filed", a.createdAt(), "due", a.dueAt(), "status", a.status()));
  }

  private static Appealed appealed(AppealedDecision d, Map<Long, String> actors) {
    if (d == null) {
      return new Appealed(List.of(), null);
    }
    String by = d.source() == AppealedDecision.Source.RULE
        ? "rule " + (d.ruleName() == null ? "(deleted)" : d.ruleName()) + ", with no review"
        : d.decidedBy() == null ? null : "reviewer " + actors.getOrDefault(d.decidedBy(), "key " + d.decidedBy());
    return new Appealed(facts("decided by", by, "at", d.decidedAt(), "outcome", d.outcome(),
        "reason", d.reason() == null ? "none recorded" : d.reason(),
        "policy", d.policy() == null ? "none named" : d.policy()), d.caseId());
  }

  private static Media media(Viewer viewer, SubmissionView s) {
    if (!s.hasMedia()) {
      return new Media(MediaShown.NONE_SENT, s.id(), null);
    }
    if (!ReviewPages.mayViewMedia(viewer)) {
      return new Media(MediaShown.NOT_FOR_ROLE, s.id(), null);
    }
    String type = s.mediaType() == null ? "" : s.mediaType().toLowerCase(Locale.ROOT);
    MediaShown shown = type.startsWith("video/") ? MediaShown.VIDEO : type.startsWith("image/") ? MediaShown.IMAGE : MediaShown.DOWNLOAD;
    return new Media(shown, s.id(), type);
  }

  private static List<Fact> submissionFacts(SubmissionView s) {
    return facts("content id", s.contentId(), "account", s.account(), "shares content of", s.amplifies(),
        "posted in context", words(s.context()),
        "account verified as", s.accountAttributes() == null ? null : String.join(", ", s.accountAttributes().stream().map(CaseView::words).toList()),
        "content type", s.contentType(), "media type", s.mediaType(), "submitted", s.submittedAt(), "status", s.status().wire());
  }

  private static List<Match> matches(SubmissionView s, Map<Long, EntryNote> notes) {
    Map<Long, List<SubmissionView.MatchView>> byEntry = new LinkedHashMap<>();
    for (SubmissionView.MatchView m : s.matches() == null ? List.<SubmissionView.MatchView>of() : s.matches()) {
      byEntry.computeIfAbsent(m.entryId(), k -> new ArrayList<>()).add(m);
    }
    List<Match> matches = new ArrayList<>();
    for (List<SubmissionView.MatchView> hits : byEntry.values()) {
      SubmissionView.MatchView m = hits.get(0);
      EntryNote note = notes.getOrDefault(m.entryId(), new EntryNote(m.entryId(), false, null, null));
      matches.add(new Match(m.entryId(), m.bankName() + " (bank " + m.bankId() + ")", note.kept(), note.note(), note.provenance(),
          hits.stream().map(CaseView::signal).toList(), m.labels(), m.entities()));
    }
    return matches;
  }

  /** What a hit covers, in words: the banked text's words and pages and the share of the post; a link's pattern and scope. */
  private static Signal signal(SubmissionView.MatchView hit) {
    JsonNode part = hit.part();
    String pattern = null;
    String scope = null;
    String banked = null;
    String excerpt = null;
    if (part != null) {
      if (part.has("pattern")) {
        pattern = part.path("pattern").asText();
        scope = part.path("scope").asText();
      }
      JsonNode words = part.path("banked");
      if (words.has("words")) {
        StringBuilder text = new StringBuilder("banked words ").append(words.path("words").path(0).asInt()).append("–")
            .append(words.path("words").path(1).asInt());
        if (words.has("pages")) {
          int from = words.path("pages").path(0).asInt();
          int to = words.path("pages").path(1).asInt();
          text.append(from == to ? ", page " + from : ", pages " + from + "–" + to);
        }
        JsonNode query = part.path("query");
        banked = text.append("; ").append(Math.round(query.path("share").asDouble() * 100)).append(" % of the post").toString();
        excerpt = query.hasNonNull("excerpt") ? query.path("excerpt").asText() : null;
      }
    }
    return new Signal(hit.signalType(), hit.distance(), hit.threshold(), pattern, scope, banked, excerpt);
  }

  private static List<Fact> decided(CaseDetail c) {
    return facts("outcome", c.outcome(), "rejected as", c.rejectAs(), "reason", c.reason(), "policy", c.policy(),
        "by key", c.decidedBy() == null ? null : c.decidedBy().toString(), "at", c.decidedAt());
  }

  /** The decision form as the reviewer left it ({@code entered}, or empty). */
  static Form form(CaseDetail c, CaseDecision entered, List<String> policies, Map<Long, String> banks) {
    CaseDecision e = entered == null ? new CaseDecision(null, null, null, null, null) : entered;
    List<QueueView.Option> policyOptions = new ArrayList<>(List.of(new QueueView.Option("", "choose…", false)));
    policies.forEach(p -> policyOptions.add(new QueueView.Option(p, p, p.equals(e.policy()))));
    List<QueueView.Option> bankOptions = new ArrayList<>(List.of(new QueueView.Option("", "no", false)));
    banks.forEach((id, name) -> bankOptions.add(new QueueView.Option(id.toString(), name, id.equals(e.addToBank()))));
    return new Form(CaseKind.APPEAL.wire().equals(c.kind()), e.reason(), policyOptions, bankOptions, CaseDecision.BENIGN.equals(e.rejectAs()));
  }

  /**
   * Why the content waits for a person whatever the rules said: the platform stated a protected
   * context, or an account verified as one whose posts may show what they report on. Null when
   * neither.
   */
  private static String protectedWhy(SubmissionView s) {
    List<String> why = new ArrayList<>();
    if (s.context() != null) {
      why.add("it was posted in a " + words(s.context()) + " context");
    }
    if (s.accountAttributes() != null && !s.accountAttributes().isEmpty()) {
      why.add("the platform verified its account as " + String.join(", ", s.accountAttributes().stream().map(CaseView::words).toList()));
    }
    return why.isEmpty() ? null : String.join("; ", why);
  }

  /** A platform's word as a reader says it: {@code counter_speech} as counter speech. */
  private static String words(String word) {
    return word == null ? null : word.replace('_', ' ');
  }

  /** Name and value pairs as facts, leaving out those without a value. */
  private static List<Fact> facts(String... namesAndValues) {
    List<Fact> facts = new ArrayList<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] != null) {
        facts.add(new Fact(namesAndValues[i], namesAndValues[i + 1]));
      }
    }
    return facts;
  }
}
