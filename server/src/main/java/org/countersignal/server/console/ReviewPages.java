package org.countersignal.server.console;

import static org.countersignal.server.console.Html.esc;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.countersignal.server.RequestException;
import org.countersignal.server.action.Media;
import org.countersignal.server.action.SubmissionView;
import org.countersignal.server.auth.Role;
import org.countersignal.server.bank.Bank;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.bank.LabelTaxonomy;
import org.countersignal.server.review.AppealView;
import org.countersignal.server.review.CaseDecision;
import org.countersignal.server.review.CaseDetail;
import org.countersignal.server.review.CaseKind;
import org.countersignal.server.review.CaseStatus;
import org.countersignal.server.review.CaseSummary;
import org.countersignal.server.review.ReviewQueue;
import org.countersignal.server.userreport.UserReports;

/** The review queue's pages: the queue, a case, its media, and the claim and decision forms. */
public final class ReviewPages {

  /**
   * Who may look at the queue and cases. Not coordinators: as through the API, a crisis role sees
   * incidents and their banks, not platforms' cases.
   */
  static final java.util.Set<Role> READERS = java.util.Set.of(Role.ADMIN, Role.REVIEWER, Role.CURATOR, Role.AUDITOR);
  private static final int QUEUE_LENGTH = 200;
  /** Media types a browser may render from here; anything else is offered as a download. */
  private static final Pattern RENDERABLE = Pattern.compile("image/(jpeg|png|gif|webp|bmp)|video/(mp4|webm|ogg|quicktime)");
  private static final String MEDIA_POLICY = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox";

  private final ReviewQueue queue;
  private final LabelTaxonomy labels;
  private final BankService banks;
  private final Console console;
  private final UserReports reports;

  /** @param reports the reports from users and trusted flaggers, or null when the server takes none */
  public ReviewPages(Console console, ReviewQueue queue, LabelTaxonomy labels, BankService banks, UserReports reports) {
    this.console = console;
    this.reports = reports;
    this.queue = queue;
    this.labels = labels;
    this.banks = banks;
  }

  void register(RoutesConfig routes, ConsoleRoutes console) {
    routes.get("/console/queue", console.page(this::queuePage));
    routes.get("/console/cases/{id}", console.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, READERS);
      ctx.html(casePage(viewer, caseId(ctx), null, null));
    }));
    routes.post("/console/cases/{id}/claim", console.action((ctx, viewer) -> act(ctx, viewer, () -> queue.claim(caseId(ctx), viewer.principal()))));
    routes.post("/console/cases/{id}/release", console.action((ctx, viewer) -> act(ctx, viewer, () -> queue.release(caseId(ctx), viewer.principal()))));
    routes.post("/console/cases/{id}/decide", console.action(this::decide));
    routes.get("/console/media/{submission}", console.resource(this::media));
  }

  private static long caseId(Context ctx) {
    return ConsoleRoutes.pathId(ctx, "id", "case");
  }

  private void queuePage(Context ctx, Viewer viewer) {
    ConsoleRoutes.requireRole(viewer, READERS);
    List<CaseSummary> cases = queue.queue(QUEUE_LENGTH);
    String decided = Optional.ofNullable(ctx.queryParam("decided")).filter(s -> s.matches("[0-9]{1,18}")).orElse(null);
    StringBuilder rows = new StringBuilder();
    Instant now = Instant.now();
    java.util.Map<Long, String> media = mayViewMedia(viewer)
        ? console.mediaTypes(cases.stream().map(CaseSummary::submissionId).toList()) : java.util.Map.of();
    for (CaseSummary c : cases) {
      rows.append("<tr data-case-id=\"").append(c.id()).append("\"").append(c.overdue() ? " class=\"overdue\"" : "").append(">")
          .append("<td>").append(c.overdue() ? "<span class=\"overdue-marker\" title=\"appeal past its decision deadline\">OVERDUE</span> " : "")
          .append("<a href=\"/console/cases/").append(c.id()).append("\">Case ").append(c.id()).append("</a></td>")
          .append("<td>").append(esc(c.kind())).append(CaseStatus.ESCALATED.wire().equals(c.status()) ? " <span class=\"tag\">escalated</span>" : "")
          .append("</td><td class=\"num\">").append(c.priority()).append("</td>")
          .append("<td>").append(Html.tags(c.labels())).append("</td>")
          .append("<td class=\"num\">").append(c.bestDistance() == null ? "—" : c.bestDistance()).append("</td>")
          .append("<td><span class=\"content-id\">").append(esc(c.contentId())).append("</span><div class=\"muted\">")
          .append(esc(c.contentType())).append(c.account() == null ? "" : " · account " + esc(c.account())).append("</div>")
          .append(thumbnail(c, media.get(c.submissionId()))).append("</td>")
          .append("<td>").append(esc(age(c.createdAt(), now))).append(c.dueAt() != null ? "<div class=\"muted\">due " + esc(c.dueAt()) + "</div>" : "")
          .append("</td><td>").append(claimant(c.claimedBy(), viewer)).append("</td></tr>");
    }
    String content = "<h1>Review queue</h1>"
        + (decided == null ? "" : Html.message("Case " + decided + " decided.", false))
        + (cases.isEmpty() ? "<p class=\"muted\" id=\"queue-empty\">No open cases.</p>"
            : "<table id=\"queue\"><thead><tr><th>case</th><th>kind</th><th>priority</th><th>labels</th><th>best distance</th>"
                + "<th>content</th><th>age</th><th>claimed by</th></tr></thead><tbody>" + rows + "</tbody></table>")
        + "<p class=\"muted\">Highest priority first; appeals past their deadline head the list.</p>";
    ctx.html(Layout.page("Queue", viewer, "Queue", content));
  }

  /**
   * What a hit covers, in words: the banked text's words and pages and the share of the post
   * that matched, with the post's matching excerpt folded away until asked for (it is the
   * content itself); a link's pattern and scope.
   */
  private static String part(SubmissionView.MatchView hit) {
    JsonNode part = hit.part();
    if (part == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    if (part.has("pattern")) {
      out.append(" <span class=\"part\">under ").append(esc(part.path("pattern").asText())).append(" (")
          .append(esc(part.path("scope").asText())).append(")</span>");
    }
    JsonNode banked = part.path("banked");
    if (banked.has("words")) {
      out.append(" <span class=\"part\">banked words ").append(banked.path("words").path(0).asInt()).append("–")
          .append(banked.path("words").path(1).asInt());
      if (banked.has("pages")) {
        int from = banked.path("pages").path(0).asInt();
        int to = banked.path("pages").path(1).asInt();
        out.append(from == to ? ", page " + from : ", pages " + from + "–" + to);
      }
      JsonNode query = part.path("query");
      out.append("; ").append(Math.round(query.path("share").asDouble() * 100)).append(" % of the post</span>");
      if (query.hasNonNull("excerpt")) {
        out.append("<details class=\"excerpt\"><summary>Show the matching excerpt of the post</summary><blockquote>")
            .append(esc(query.path("excerpt").asText())).append("</blockquote></details>");
      }
    }
    return out.toString();
  }

  /** A still image as a small blurred thumbnail with its own reveal button; videos only on the case page. */
  private static String thumbnail(CaseSummary c, String mediaType) {
    if (mediaType == null || !mediaType.toLowerCase(Locale.ROOT).startsWith("image/")) {
      return "";
    }
    return "<div class=\"media-item thumb\" data-submission-id=\"" + c.submissionId() + "\"><div class=\"media-frame\">"
        + "<img class=\"media\" src=\"/console/media/" + c.submissionId() + "\" alt=\"image of case " + c.id() + "\" loading=\"lazy\"></div>"
        + "<div class=\"media-controls\"><button type=\"button\" class=\"reveal secondary\" aria-pressed=\"false\">Reveal this item</button></div></div>";
  }

  private static String claimant(Long keyId, Viewer viewer) {
    if (keyId == null) {
      return "<span class=\"muted\">nobody</span>";
    }
    return keyId == viewer.principal().keyId() ? "<strong>you</strong>" : "reviewer key " + keyId;
  }

  private static String age(String createdAt, Instant now) {
    if (createdAt == null) {
      return "";
    }
    Duration age = Duration.between(Instant.parse(createdAt), now);
    if (age.toDays() > 0) {
      return age.toDays() + " d " + age.toHoursPart() + " h";
    }
    if (age.toHours() > 0) {
      return age.toHours() + " h " + age.toMinutesPart() + " min";
    }
    return Math.max(0, age.toMinutes()) + " min";
  }

  /** A claim or release, then back to the case; a refusal is shown on the case page. */
  private void act(Context ctx, Viewer viewer, java.util.function.Supplier<CaseDetail> change) {
    requireReviewer(viewer);
    try {
      change.get();
      ctx.redirect("/console/cases/" + caseId(ctx), HttpStatus.SEE_OTHER);
    } catch (RequestException e) {
      if (e.kind() == RequestException.Kind.NOT_FOUND) {
        throw e;
      }
      ctx.status(e.kind().status()).html(casePage(viewer, caseId(ctx), e.getMessage(), null));
    }
  }

  private void decide(Context ctx, Viewer viewer) {
    requireReviewer(viewer);
    long id = caseId(ctx);
    String outcome = ctx.formParam("outcome");
    String reason = Optional.ofNullable(ctx.formParam("reason")).orElse("").strip();
    String policy = Optional.ofNullable(ctx.formParam("policy")).filter(p -> !p.isBlank()).orElse(null);
    String rejectAs = Optional.ofNullable(ctx.formParam("reject_as")).filter(p -> !p.isBlank()).orElse(null);
    Long addToBank = null;
    String bank = ctx.formParam("add_to_bank");
    if (bank != null && !bank.isBlank()) {
      try {
        addToBank = Long.parseLong(bank.strip());
      } catch (NumberFormatException e) {
        ctx.status(422).html(casePage(viewer, id, "Choose a bank from the list to add the content to.", null));
        return;
      }
    }
    CaseDecision decision = new CaseDecision(outcome, reason, policy, addToBank, rejectAs);
    if (reason.isEmpty()) {
      ctx.status(422).html(casePage(viewer, id, "Give a reason for the decision: it is kept with the case and sent to the platform.", decision));
      return;
    }
    try {
      queue.decide(id, viewer.principal(), decision);
    } catch (RequestException e) {
      if (e.kind() == RequestException.Kind.NOT_FOUND) {
        throw e;
      }
      ctx.status(e.kind().status()).html(casePage(viewer, id, e.getMessage(), decision));
      return;
    }
    ctx.redirect("/console/queue?decided=" + id, HttpStatus.SEE_OTHER);
  }

  private static void requireReviewer(Viewer viewer) {
    if (!viewer.mayDecide()) {
      throw new RequestException(RequestException.Kind.FORBIDDEN,
          "the " + viewer.role().wireName() + " role may look at cases but not claim or decide them");
    }
  }

  /** Media for reviewers only (as in the API), typed as stored, never sniffed, never cached. */
  private void media(Context ctx, Viewer viewer) {
    if (!mayViewMedia(viewer)) {
      throw new RequestException(RequestException.Kind.FORBIDDEN, "media are shown to reviewers and admins only");
    }
    long submission = ConsoleRoutes.pathId(ctx, "submission", "submission");
    Media media = queue.media(submission)
        .orElseThrow(() -> new RequestException(RequestException.Kind.NOT_FOUND, "submission " + submission + " has no media kept"));
    String type = media.mediaType() == null ? "" : media.mediaType().strip().toLowerCase(Locale.ROOT);
    ctx.header("Content-Security-Policy", MEDIA_POLICY);
    ctx.header("Cross-Origin-Resource-Policy", "same-origin");
    if (!RENDERABLE.matcher(type).matches()) {
      ctx.header("Content-Disposition", "attachment; filename=\"submission-" + submission + "\"");
      ctx.contentType("application/octet-stream").result(media.bytes());
    } else if (type.startsWith("video/")) {
      ctx.writeSeekableStream(new ByteArrayInputStream(media.bytes()), type, media.bytes().length);
    } else {
      ctx.contentType(type).result(media.bytes());
    }
  }

  private static boolean mayViewMedia(Viewer viewer) {
    return viewer.role() == Role.ADMIN || viewer.role() == Role.REVIEWER;
  }

  /** @param entered what the reviewer had entered in the decision form when it was refused, or null */
  String casePage(Viewer viewer, long id, String error, CaseDecision entered) {
    CaseDetail c = queue.get(id);
    SubmissionView s = c.submission();
    boolean open = CaseStatus.fromWire(c.status()).isOpen();
    boolean mine = c.claimedBy() != null && c.claimedBy() == viewer.principal().keyId();
    StringBuilder out = new StringBuilder();
    out.append("<h1>Case ").append(c.id()).append(" <span class=\"muted\">· ").append(esc(c.kind())).append(" · ")
        .append(esc(c.status())).append(" · priority ").append(c.priority()).append("</span></h1>");
    out.append(Html.message(error, true));
    out.append(claimBar(viewer, c, open, mine));
    if (c.appeal() != null) {
      out.append(appeal(c.appeal())); // for an appeal the user's statement comes first
    }
    out.append(protectedNotice(s));
    out.append(reports(viewer, c));
    out.append("<div class=\"beside\"><section class=\"card\" id=\"submission\"><h2>Submitted content</h2>");
    out.append(mediaItem(viewer, s));
    out.append("<dl class=\"facts\">")
        .append(fact("content id", s.contentId())).append(fact("account", s.account())).append(fact("shares content of", s.amplifies()))
        .append(fact("posted in context", words(s.context())))
        .append(fact("account verified as", s.accountAttributes() == null ? null : String.join(", ", s.accountAttributes().stream()
            .map(ReviewPages::words).toList())))
        .append(fact("content type", s.contentType())).append(fact("media type", s.mediaType())).append(fact("submitted", s.submittedAt()))
        .append(fact("status", s.status().wire())).append("</dl></section>");
    out.append("<section class=\"card\" id=\"matches\"><h2>Matched bank entries</h2>");
    if (s.matches() == null || s.matches().isEmpty()) {
      out.append("<p class=\"muted\">No bank entry matched.</p>");
    }
    // One block per bank entry, with every signal of it that matched (an image often matches by PDQ, MD5 and SHA-256 at once).
    java.util.Map<Long, List<SubmissionView.MatchView>> byEntry = new java.util.LinkedHashMap<>();
    for (SubmissionView.MatchView m : s.matches() == null ? List.<SubmissionView.MatchView>of() : s.matches()) {
      byEntry.computeIfAbsent(m.entryId(), k -> new java.util.ArrayList<>()).add(m);
    }
    for (List<SubmissionView.MatchView> hits : byEntry.values()) {
      SubmissionView.MatchView m = hits.get(0);
      StringBuilder signals = new StringBuilder();
      for (SubmissionView.MatchView hit : hits) {
        signals.append("<div class=\"signal\">").append(esc(hit.signalType())).append(": distance ").append(hit.distance())
            .append(" (threshold ").append(hit.threshold()).append(")").append(part(hit)).append("</div>");
      }
      out.append("<div class=\"match\" data-entry-id=\"").append(m.entryId()).append("\"><dl class=\"facts\">")
          .append(fact("bank", m.bankName() + " (bank " + m.bankId() + ")"))
          .append(fact("entry", Long.toString(m.entryId())))
          .append("<dt>signal type, distance</dt><dd>").append(signals).append("</dd>")
          .append("<dt>labels</dt><dd>").append(Html.tags(m.labels())).append("</dd>")
          .append("<dt>entities</dt><dd>").append(Html.tags(m.entities())).append("</dd>")
          .append("</dl></div>");
    }
    out.append("</section></div>");
    if (!open) {
      out.append("<section class=\"card\" id=\"decided\"><h2>Decided</h2><dl class=\"facts\">").append(fact("outcome", c.outcome()))
          .append(c.rejectAs() == null ? "" : fact("rejected as", c.rejectAs()))
          .append(fact("reason", c.reason())).append(fact("policy", c.policy())).append(fact("by key", c.decidedBy() == null ? null : c.decidedBy().toString()))
          .append(fact("at", c.decidedAt())).append("</dl></section>");
    } else if (viewer.mayDecide() && mine) {
      out.append(decisionForm(viewer, c, entered == null ? new CaseDecision(null, null, null, null, null) : entered));
    }
    return Layout.page("Case " + c.id(), viewer, "Queue", out.toString());
  }

  /** A report case's reports, for those who may read them; nothing for other cases. */
  private String reports(Viewer viewer, CaseDetail c) {
    if (reports == null || !CaseKind.REPORT.wire().equals(c.kind())) {
      return "";
    }
    if (!ReportHtml.READERS.contains(viewer.role())) {
      return "<p class=\"muted\" id=\"reports\">The reports of this case are shown to reviewers, admins and auditors.</p>";
    }
    return ReportHtml.section(reports.forCase(c.id()));
  }

  private static String claimBar(Viewer viewer, CaseDetail c, boolean open, boolean mine) {
    if (!open) {
      return "";
    }
    StringBuilder out = new StringBuilder("<div class=\"card\" id=\"claim-status\">");
    if (c.claimedBy() == null) {
      out.append("<p>Nobody has claimed this case.</p>");
    } else if (mine) {
      out.append("<p>You have claimed this case until ").append(esc(c.leaseUntil())).append(".</p>");
    } else {
      out.append("<p>Reviewer key ").append(c.claimedBy()).append(" has claimed this case until ").append(esc(c.leaseUntil())).append(".</p>");
    }
    if (viewer.mayDecide()) {
      String action = mine ? "release" : "claim";
      out.append("<form method=\"post\" action=\"/console/cases/").append(c.id()).append("/").append(action).append("\">")
          .append(Html.csrfField(viewer.csrf())).append("<button type=\"submit\" id=\"").append(action).append("\"")
          .append(mine ? " class=\"secondary\"" : "").append(">").append(mine ? "Release" : "Claim").append("</button></form>");
    } else {
      out.append("<p class=\"muted\">Your role may look at cases but not claim or decide them.</p>");
    }
    return out.append("</div>").toString();
  }

  private static String mediaItem(Viewer viewer, SubmissionView s) {
    if (!s.hasMedia()) {
      return "<p class=\"muted\">The platform sent no media for this content (signals only).</p>";
    }
    if (!mayViewMedia(viewer)) {
      return "<p class=\"muted\">Media are shown to reviewers and admins only.</p>";
    }
    String type = s.mediaType() == null ? "" : s.mediaType().toLowerCase(Locale.ROOT);
    String src = "/console/media/" + s.id();
    String element;
    if (type.startsWith("video/")) {
      // No autoplay, muted, nothing loaded before the reviewer presses play.
      element = "<video class=\"media\" id=\"media-" + s.id() + "\" src=\"" + src + "\" controls muted preload=\"none\" playsinline></video>";
    } else if (type.startsWith("image/")) {
      element = "<img class=\"media\" id=\"media-" + s.id() + "\" src=\"" + src + "\" alt=\"the submitted image\">";
    } else {
      return "<p><a href=\"" + src + "\" download>Download the submitted file</a> (" + esc(type) + ", not shown here)</p>";
    }
    return "<div class=\"media-item\" data-submission-id=\"" + s.id() + "\"><div class=\"media-frame\">" + element + "</div>"
        + "<div class=\"media-controls\"><button type=\"button\" class=\"reveal secondary\" aria-pressed=\"false\">Reveal this item</button>"
        + "<span class=\"muted\">Blurred and grey as your settings say; revealing shows this item only.</span></div></div>";
  }

  private static String appeal(AppealView a) {
    return "<section class=\"card\" id=\"appeal\"><h2>Appeal " + a.id()
        + (a.overdue() ? " <span class=\"overdue-marker\">OVERDUE</span>" : "") + "</h2><dl class=\"facts\">"
        + fact("statement", a.statement()) + fact("filed", a.createdAt()) + fact("due", a.dueAt()) + fact("status", a.status())
        + "</dl></section>";
  }

  private String decisionForm(Viewer viewer, CaseDetail c, CaseDecision entered) {
    StringBuilder out = new StringBuilder("<form method=\"post\" action=\"/console/cases/" + c.id() + "/decide\" class=\"card decision\" id=\"decision\">");
    out.append(Html.csrfField(viewer.csrf())).append("<h2>Decision</h2>")
        .append("<label>Reason (required) <textarea name=\"reason\" maxlength=\"4000\">").append(esc(entered.reason())).append("</textarea></label>");
    if (CaseKind.APPEAL.wire().equals(c.kind())) {
      out.append("<div class=\"buttons\"><button type=\"submit\" name=\"outcome\" value=\"uphold\" id=\"decide-uphold\">Uphold the removal</button>")
          .append("<button type=\"submit\" name=\"outcome\" value=\"reinstate\" id=\"decide-reinstate\" class=\"secondary\">Reinstate the content</button></div>");
    } else {
      out.append("<fieldset><legend>Confirm: the content breaks policy</legend><label>Policy broken <select name=\"policy\">")
          .append("<option value=\"\">choose…</option>");
      for (LabelTaxonomy.Label label : labels.list()) {
        out.append("<option value=\"").append(esc(label.name())).append("\"").append(selected(label.name().equals(entered.policy())))
            .append(">").append(esc(label.name())).append("</option>");
      }
      out.append("</select></label><label>Add the content to a bank <select name=\"add_to_bank\"><option value=\"\">no</option>");
      for (Bank bank : banks.list()) {
        out.append("<option value=\"").append(bank.id()).append("\"").append(selected(Long.valueOf(bank.id()).equals(entered.addToBank())))
            .append(">").append(esc(bank.name())).append("</option>");
      }
      out.append("</select></label><button type=\"submit\" name=\"outcome\" value=\"confirm\" id=\"decide-confirm\" class=\"danger\">Confirm</button></fieldset>")
          .append("<fieldset><legend>Reject: the content does not break policy</legend>")
          .append("<label class=\"inline\"><input type=\"radio\" name=\"reject_as\" value=\"false_positive\"")
          .append(CaseDecision.BENIGN.equals(entered.rejectAs()) ? "" : " checked").append("> false positive (the entry does not depict this content)</label>")
          .append("<label class=\"inline\"><input type=\"radio\" name=\"reject_as\" value=\"benign\"")
          .append(CaseDecision.BENIGN.equals(entered.rejectAs()) ? " checked" : "").append("> benign (e.g. news reporting)</label>")
          .append("<div class=\"buttons\"><button type=\"submit\" name=\"outcome\" value=\"reject\" id=\"decide-reject\" class=\"secondary\">Reject</button></div></fieldset>")
          .append("<div class=\"buttons\"><button type=\"submit\" name=\"outcome\" value=\"escalate\" id=\"decide-escalate\" class=\"secondary\">Escalate to another reviewer</button></div>");
    }
    return out.append("</form>").toString();
  }

  private static String selected(boolean selected) {
    return selected ? " selected" : "";
  }

  /**
   * Why the content waits for a person whatever the rules said: the platform stated a protected
   * context, or an account verified as one whose posts may show what they report on. Empty when
   * neither.
   */
  private static String protectedNotice(SubmissionView s) {
    List<String> why = new java.util.ArrayList<>();
    if (s.context() != null) {
      why.add("it was posted in a " + words(s.context()) + " context");
    }
    if (s.accountAttributes() != null && !s.accountAttributes().isEmpty()) {
      why.add("the platform verified its account as " + String.join(", ", s.accountAttributes().stream().map(ReviewPages::words).toList()));
    }
    if (why.isEmpty()) {
      return "";
    }
    return "<div class=\"notice\" id=\"protected\" role=\"note\"><p><strong>A person decides here:</strong> " + esc(String.join("; ", why))
        + ". Such content may show what it reports on or counters, so no rule removes it by itself. Judge the purpose, not only the "
        + "match.</p></div>";
  }

  /** A platform's word as a reader says it: {@code counter_speech} as counter speech. */
  private static String words(String word) {
    return word == null ? null : word.replace('_', ' ');
  }

  private static String fact(String name, String value) {
    return value == null ? "" : "<dt>" + esc(name) + "</dt><dd>" + esc(value) + "</dd>";
  }
}
