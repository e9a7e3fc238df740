package org.countersignal.server.console;

import static org.countersignal.server.console.Html.esc;
import static org.countersignal.server.console.IncidentHtml.statusTag;
import static org.countersignal.server.console.IncidentHtml.time;

import io.javalin.http.Context;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.countersignal.server.bank.Bank;
import org.countersignal.server.discovery.Proposal;
import org.countersignal.server.discovery.ProposalKind;
import org.countersignal.server.discovery.ProposalState;

/**
 * The proposals of variant discovery: the list, and a proposal with its evidence and the forms
 * that accept or reject it. Content ids and accounts come from platforms, bank names, labels and
 * reasons from people, and are escaped like everything else. The uploads' media, when kept, are
 * shown only to the roles the media route serves, blurred and grey as the viewer's wellness
 * settings say until revealed one at a time, as in the review queue. Times are UTC.
 */
final class ProposalHtml {

  private ProposalHtml() {}

  /**
   * A proposal's page beyond the proposal: the banks it may be banked into, the labels of the
   * entry it lies near (null when none), whether media are shown to this viewer and the media
   * type of each upload's submission that kept them, and who decided it.
   */
  record Detail(Proposal proposal, List<Bank> banks, List<String> nearLabels, boolean showsMedia, Map<Long, String> media,
      String decider) {}

  /** What was typed into the form that was refused ({@code accept} or {@code reject}), to put back into it. */
  record Entered(String form, String bank, String labels, String note, String reason) {
    static final Entered NONE = new Entered("", null, null, null, null);

    static Entered accepting(Context ctx) {
      return new Entered("accept", ctx.formParam("bank_id"), ctx.formParam("labels"), ctx.formParam("note"), null);
    }

    static Entered rejecting(Context ctx) {
      return new Entered("reject", null, null, null, ctx.formParam("reason"));
    }

    boolean accepting() {
      return "accept".equals(form);
    }
  }

  static String list(Viewer viewer, List<Proposal> proposals, String state, String kind, boolean enabled) {
    String content = "<h1>Proposals</h1>"
        + "<p class=\"muted\">Possible new variants of banked content, found by variant discovery among recent uploads that matched "
        + "nothing. A <strong>near miss</strong> lies just past a banked entry's threshold: an edited copy (captioned, with a logo, "
        + "colour-shifted) or a video playing part of a banked one. A <strong>cluster</strong> is many near-identical uploads from many "
        + "accounts within hours: a new variant spreading. Accepting one banks its signal, so its uploads match from then on; "
        + "rejecting one closes it, and it is not proposed again.</p>"
        + (enabled ? "" : "<p class=\"muted\" id=\"discovery-off\">Variant discovery is off: nothing new is proposed until an admin "
            + "turns it on (<code>PATCH /api/v1/discovery/settings</code>).</p>")
        + filters(state, kind) + table(proposals, state);
    return Layout.page("Proposals", viewer, "Proposals", content);
  }

  private static String filters(String state, String kind) {
    StringBuilder out = new StringBuilder("<p class=\"filters\" id=\"state-filter\">State ");
    for (ProposalState s : ProposalState.values()) {
      out.append(filter(href(s.wireName(), kind), s.wireName(), s.wireName().equals(state)));
    }
    out.append(filter(href(ProposalPages.ANY_STATE, kind), "all", ProposalPages.ANY_STATE.equals(state)))
        .append("</p><p class=\"filters\" id=\"kind-filter\">Kind ").append(filter(href(state, null), "all", kind == null));
    for (ProposalKind k : ProposalKind.values()) {
      out.append(filter(href(state, k.wireName()), words(k.wireName()), k.wireName().equals(kind)));
    }
    return out.append("</p>").toString();
  }

  /** The list's address with these filters; the open proposals are the list's own, without a state. */
  private static String href(String state, String kind) {
    List<String> query = new ArrayList<>();
    if (state != null && !ProposalState.OPEN.wireName().equals(state)) {
      query.add("state=" + URLEncoder.encode(state, StandardCharsets.UTF_8));
    }
    if (kind != null) {
      query.add("kind=" + URLEncoder.encode(kind, StandardCharsets.UTF_8));
    }
    return "/console/proposals" + (query.isEmpty() ? "" : "?" + String.join("&amp;", query));
  }

  private static String filter(String href, String text, boolean current) {
    return "<a href=\"" + href + "\"" + (current ? " aria-current=\"page\"" : "") + ">" + esc(text) + "</a>";
  }

  private static String table(List<Proposal> proposals, String state) {
    if (proposals.isEmpty()) {
      String which = ProposalPages.ANY_STATE.equals(state) ? "" : esc(state) + " ";
      return "<p class=\"muted\" id=\"no-proposals\">No " + which + "proposals.</p>";
    }
    StringBuilder out = new StringBuilder("<table id=\"proposals\"><thead><tr><th>proposal</th><th>kind</th><th>signal</th>"
        + "<th>lies near</th><th>uploads</th><th>accounts</th><th>first seen (UTC)</th><th>last seen (UTC)</th><th>state</th>"
        + "</tr></thead><tbody>");
    for (Proposal p : proposals) {
      out.append("<tr data-proposal-id=\"").append(p.id()).append("\"><td><a href=\"/console/proposals/").append(p.id())
          .append("\">Proposal ").append(p.id()).append("</a></td><td>").append(esc(words(p.kind()))).append("</td><td>")
          .append(TimelineWords.signal(p.signalType(), p.signal())).append("</td><td>").append(near(p)).append("</td><td class=\"num\">")
          .append(p.uploads()).append("</td><td class=\"num\">").append(p.accounts()).append("</td><td>").append(time(p.firstSeen(), false))
          .append("</td><td>").append(time(p.lastSeen(), false)).append("</td><td>").append(statusTag(p.state())).append("</td></tr>");
    }
    out.append("</tbody></table>");
    if (proposals.size() >= ProposalPages.LENGTH) {
      out.append("<p class=\"muted\">The ").append(ProposalPages.LENGTH).append(" newest are shown; decide on them to see the others.</p>");
    }
    return out.toString();
  }

  /** What the proposal lies near: the entry, how near, and its bank; for a cluster near none, how close its members are. */
  private static String near(Proposal p) {
    if (p.entryId() == null) {
      return "<span class=\"muted\">no banked entry</span>"
          + (p.spread() == null ? "" : "<div class=\"muted\">members within " + p.spread() + " bits of its leader</div>");
    }
    String how = p.videoPercent() != null ? "plays " + percent(p.videoPercent()) + " % of entry " + p.entryId()
        : "entry " + p.entryId() + " at distance " + p.distance();
    return how + "<div class=\"muted\">" + bank(p.bankName(), p.bankId()) + "</div>";
  }

  private static String bank(String name, Long id) {
    return esc(plainBank(name, id));
  }

  /** A bank as text, for a message (which escapes it itself). */
  private static String plainBank(String name, Long id) {
    return name == null ? "bank " + id : name + " (bank " + id + ")";
  }

  static String detail(Viewer viewer, Detail detail, String message, boolean error, Entered entered) {
    Proposal p = detail.proposal();
    boolean open = ProposalState.OPEN.wireName().equals(p.state());
    String content = "<p class=\"back\"><a href=\"/console/proposals\">All open proposals</a></p>"
        + "<h1>Proposal " + p.id() + " <span class=\"muted\">· " + esc(words(p.kind())) + " · " + esc(p.state()) + "</span></h1>"
        + Html.message(message, error)
        + "<div class=\"beside\">" + facts(detail)
        + (open ? decide(viewer, detail, entered) : decided(detail)) + "</div>"
        + uploads(detail);
    return Layout.page("Proposal " + p.id(), viewer, "Proposals", content);
  }

  /** The message once a decision is taken. */
  static String outcome(Detail detail) {
    Proposal p = detail.proposal();
    return ProposalState.ACCEPTED.wireName().equals(p.state())
        ? "Accepted: the signal is banked as entry " + p.acceptedEntryId() + " in "
            + plainBank(bankName(detail.banks(), p.acceptedBankId()), p.acceptedBankId()) + ", and uploads of it match from now on."
        : "Rejected: this signal is not proposed again.";
  }

  private static String facts(Detail detail) {
    Proposal p = detail.proposal();
    boolean cluster = ProposalKind.CLUSTER.wireName().equals(p.kind());
    StringBuilder out = new StringBuilder("<section class=\"card\" id=\"found\"><h2>What was found</h2><dl class=\"facts\">")
        .append(fact("kind", esc(words(p.kind())) + "<div class=\"muted\">" + (cluster
            ? "many near-identical uploads from many accounts that matched nothing: a new variant spreading"
            : "just past the threshold of a banked entry: an edited copy that matching misses") + "</div>"))
        .append(fact("signal type", esc(p.signalType())))
        .append(fact(cluster ? "signal (the cluster's most uploaded)" : "signal", "<code class=\"signal\">" + esc(p.signal()) + "</code>"))
        .append(fact("lies near", near(p)));
    if (p.incidentId() != null) {
      out.append(fact("incident", "<a href=\"/console/incidents/" + p.incidentId() + "\">incident " + p.incidentId()
          + "</a><div class=\"muted\">the bank is this incident's: its coordinators follow it</div>"));
    }
    String covered = covered(p);
    if (covered != null) {
      out.append(fact("what it covers", covered));
    }
    if (p.entryId() != null) {
      out.append(fact("that entry's labels", detail.nearLabels() == null ? "<span class=\"muted\">the entry is gone</span>"
          : Html.tags(detail.nearLabels())));
    }
    return out.append(fact("uploads", Integer.toString(p.uploads()))).append(fact("accounts", Integer.toString(p.accounts())))
        .append(fact("first seen", time(p.firstSeen(), true))).append(fact("last seen", time(p.lastSeen(), true)))
        .append(fact("proposed", time(p.createdAt(), true))).append("</dl></section>").toString();
  }

  /** The part of the banked content a near miss lies near: a video's stretch, a text's words; null when a distance says it all. */
  private static String covered(Proposal p) {
    if (p.part() == null) {
      return null;
    }
    if (p.part().get("banked_seconds") instanceof java.util.List<?> seconds && seconds.size() == 2) {
      return "seconds " + esc(String.valueOf(seconds.get(0))) + " to " + esc(String.valueOf(seconds.get(1))) + " of the banked video";
    }
    if (p.part().get("banked") instanceof java.util.Map<?, ?> banked && banked.get("words") instanceof java.util.List<?> words
        && words.size() == 2) {
      String share = p.part().get("query") instanceof java.util.Map<?, ?> query && query.get("share") instanceof Number n
          ? "; " + Math.round(n.doubleValue() * 100) + " % of the upload" : "";
      return "words " + esc(String.valueOf(words.get(0))) + " to " + esc(String.valueOf(words.get(1))) + " of the banked text" + share;
    }
    return null;
  }

  private static String decided(Detail detail) {
    Proposal p = detail.proposal();
    boolean accepted = ProposalState.ACCEPTED.wireName().equals(p.state());
    StringBuilder out = new StringBuilder("<section class=\"card\" id=\"decided\"><h2>Decided</h2><dl class=\"facts\">")
        .append(fact("state", statusTag(p.state())))
        .append(fact("by", detail.decider() == null ? "<span class=\"muted\">nobody</span>" : esc(detail.decider())))
        .append(fact("at", time(p.decidedAt(), true)));
    if (accepted) {
      out.append(fact("banked as", "entry " + p.acceptedEntryId() + " in " + bank(bankName(detail.banks(), p.acceptedBankId()),
          p.acceptedBankId())));
    }
    if (p.reason() != null) {
      out.append(fact("reason", lines(p.reason())));
    }
    return out.append("</dl></section>").toString();
  }

  /** The forms that accept or reject the proposal, for those who may; a line saying who may for the others. */
  private static String decide(Viewer viewer, Detail detail, Entered entered) {
    String heading = "<section class=\"card\" id=\"decide\"><h2>Decide</h2>";
    if (!ProposalPages.ACTORS.contains(viewer.role())) {
      return heading + "<p class=\"muted\" id=\"decided-by-curators\">Curators and admins accept or reject proposals.</p></section>";
    }
    return heading + acceptForm(viewer, detail, entered) + rejectForm(viewer, detail.proposal(), entered) + "</section>";
  }

  private static String acceptForm(Viewer viewer, Detail detail, Entered entered) {
    Proposal p = detail.proposal();
    String chosen = entered.accepting() ? entered.bank() : p.bankId() == null ? null : Long.toString(p.bankId());
    StringBuilder banks = new StringBuilder(p.bankId() == null ? "<option value=\"\">choose a bank…</option>" : "");
    for (Bank bank : detail.banks()) {
      // A negative bank's entries cancel other banks' hits: banked there, this variant would hide the content it is a copy of.
      if (bank.negative()) {
        continue;
      }
      String value = Long.toString(bank.id());
      banks.append("<option value=\"").append(value).append("\"").append(value.equals(chosen) ? " selected" : "").append(">")
          .append(bank(bank.name(), bank.id())).append(bank.enabled() ? "" : ", not matching").append("</option>");
    }
    String labelHint = p.entryId() == null ? "comma-separated; left empty, none"
        : "comma-separated; left empty, those of entry " + p.entryId();
    return "<form method=\"post\" action=\"/console/proposals/" + p.id() + "/accept\" id=\"accept\" class=\"decision\">"
        + Html.csrfField(viewer.csrf()) + "<fieldset><legend>Accept: bank this variant</legend>"
        + "<label>Bank <span class=\"muted\">(" + (p.bankId() == null ? "required: it lies near no banked entry"
            : "the bank of the entry it lies near, unless you choose another") + ")</span>"
        + " <select name=\"bank_id\"" + (p.bankId() == null ? " required" : "") + ">" + banks + "</select></label>"
        + "<label>Labels <span class=\"muted\">(" + labelHint + ")</span> <input type=\"text\" name=\"labels\" value=\""
        + esc(entered.accepting() && entered.labels() != null ? entered.labels() : "") + "\"></label>"
        + "<label>Note <span class=\"muted\">(left empty, one naming this proposal and what it lies near)</span>"
        + " <textarea name=\"note\" rows=\"2\">" + esc(entered.accepting() && entered.note() != null ? entered.note() : "")
        + "</textarea></label>"
        + "<button type=\"submit\">Accept and bank it</button></fieldset></form>";
  }

  private static String rejectForm(Viewer viewer, Proposal p, Entered entered) {
    return "<form method=\"post\" action=\"/console/proposals/" + p.id() + "/reject\" id=\"reject\" class=\"decision\">"
        + Html.csrfField(viewer.csrf()) + "<fieldset><legend>Reject: not what the banks are for</legend>"
        + "<label>Why reject it <span class=\"muted\">(required; kept with the proposal and in the audit log; the signal is not "
        + "proposed again)</span> <textarea name=\"reason\" rows=\"2\" required>"
        + esc("reject".equals(entered.form()) && entered.reason() != null ? entered.reason() : "") + "</textarea></label>"
        + "<button type=\"submit\" class=\"danger\">Reject</button></fieldset></form>";
  }

  /** The latest uploads behind the proposal, newest first, each with its media when kept and this viewer may see them. */
  private static String uploads(Detail detail) {
    Proposal p = detail.proposal();
    boolean cluster = ProposalKind.CLUSTER.wireName().equals(p.kind());
    StringBuilder out = new StringBuilder("<section id=\"evidence\"><h2>Latest uploads</h2>");
    if (p.latest().isEmpty()) {
      return out.append("<p class=\"muted\" id=\"no-uploads\">No upload is kept with this proposal.</p></section>").toString();
    }
    out.append("<p class=\"muted\">The ").append(p.latest().size()).append(" latest of its ").append(p.uploads())
        .append(" uploads, newest first, as the platform named them.")
        .append(detail.showsMedia() ? " Media are blurred and grey as your settings say; revealing shows one item only."
            : " Media, when kept, are shown to reviewers and admins only.")
        .append("</p><table id=\"uploads\"><thead><tr><th>received (UTC)</th><th>content id</th><th>account</th>")
        .append(cluster ? "<th>distance to the leader</th>" : "").append(detail.showsMedia() ? "<th>media</th>" : "")
        .append("</tr></thead><tbody>");
    for (Proposal.Upload upload : p.latest()) {
      out.append("<tr").append(upload.submissionId() == null ? "" : " data-submission-id=\"" + upload.submissionId() + "\"").append("><td>")
          .append(time(upload.receivedAt(), true)).append("</td><td><span class=\"content-id\">").append(orDash(upload.contentId()))
          .append("</span></td><td>").append(orDash(upload.account())).append("</td>");
      if (cluster) {
        out.append("<td class=\"num\">").append(upload.distance() == null ? "<span class=\"muted\">—</span>" : upload.distance())
            .append("</td>");
      }
      if (detail.showsMedia()) {
        Long submission = upload.submissionId();
        out.append("<td>").append(media(submission, submission == null ? null : detail.media().get(submission), upload.contentId()))
            .append("</td>");
      }
      out.append("</tr>");
    }
    return out.append("</tbody></table></section>").toString();
  }

  /**
   * An upload's kept media as the review queue shows them: an image as a small thumbnail, a video
   * muted, never playing by itself and loading nothing before "play", each with its own reveal
   * button; anything else a browser does not render, as a download.
   */
  private static String media(Long submission, String mediaType, String contentId) {
    if (mediaType == null) {
      return "<span class=\"muted\">none kept</span>";
    }
    String type = mediaType.toLowerCase(Locale.ROOT);
    String src = "/console/media/" + submission;
    String what = contentId == null ? "the upload" : "upload " + contentId;
    String element;
    if (type.startsWith("image/")) {
      element = "<img class=\"media\" src=\"" + src + "\" alt=\"image of " + esc(what) + "\" loading=\"lazy\">";
    } else if (type.startsWith("video/")) {
      element = "<video class=\"media\" src=\"" + src + "\" controls muted preload=\"none\" playsinline aria-label=\"video of "
          + esc(what) + "\"></video>";
    } else {
      return "<a href=\"" + src + "\" download>Download</a> <span class=\"muted\">(" + esc(type) + ", not shown here)</span>";
    }
    return "<div class=\"media-item thumb\" data-submission-id=\"" + submission + "\"><div class=\"media-frame\">" + element + "</div>"
        + "<div class=\"media-controls\"><button type=\"button\" class=\"reveal secondary\" aria-pressed=\"false\">Reveal this item</button>"
        + "</div></div>";
  }

  private static String bankName(List<Bank> banks, Long id) {
    return banks.stream().filter(b -> id != null && b.id() == id).map(Bank::name).findFirst().orElse(null);
  }

  /** A name, and its value already as markup. */
  private static String fact(String name, String value) {
    return "<dt>" + esc(name) + "</dt><dd>" + value + "</dd>";
  }

  /** An API name as a reader says it: {@code near_miss} as near miss. */
  private static String words(String wire) {
    return TimelineWords.spaced(wire);
  }

  private static String percent(double value) {
    return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }

  private static String orDash(String text) {
    return text == null ? "<span class=\"muted\">—</span>" : esc(text);
  }

  /** A reason as typed, its line breaks kept. */
  private static String lines(String text) {
    return esc(text).replace("\n", "<br>");
  }
}
