package org.countersignal.server.console;

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
 * What the proposals pages ({@code proposals.jte}, {@code proposal.jte}) show: the list, and a
 * proposal with its evidence and the forms that accept or reject it. Content ids and accounts
 * come from platforms, bank names, labels and reasons from people; the templates escape them. The
 * uploads' media, when kept, are shown only to the roles the media route serves, blurred and grey
 * as the viewer's wellness settings say until revealed one at a time, as in the review queue.
 * Times are UTC.
 */
final class ProposalViews {

  /** The characters of a hash the list shows, whole in its tooltip: enough to tell two apart at a glance. */
  private static final int SHORT_HASH = 8;
  /** The characters of a text or a URL the list shows: these are read, so more of them. */
  private static final int SHORT_TEXT = 48;

  private ProposalViews() {}

  /**
   * A proposal's page beyond the proposal: the banks it may be banked into, the labels of the
   * entry it lies near (null when none), whether media are shown to this viewer and the media
   * type of each upload's submission that kept them, and who decided it.
   */
  record Detail(Proposal proposal, List<Bank> banks, List<String> nearLabels, boolean showsMedia, Map<Long, String> media,
      String decider) {}

  /** Which of a proposal's forms was refused. */
  enum Form { NONE, ACCEPT, REJECT }

  /** What was typed into the form that was refused, to put back into it. */
  record Entered(Form form, String bank, String labels, String note, String reason) {
    static final Entered NONE = new Entered(Form.NONE, null, null, null, null);

    static Entered accepting(Context ctx) {
      return new Entered(Form.ACCEPT, ctx.formParam("bank_id"), ctx.formParam("labels"), ctx.formParam("note"), null);
    }

    static Entered rejecting(Context ctx) {
      return new Entered(Form.REJECT, null, null, null, ctx.formParam("reason"));
    }

    boolean accepting() {
      return form == Form.ACCEPT;
    }
  }

  /**
   * The list.
   *
   * @param discoveryOn whether variant discovery proposes anything new
   * @param empty what the list says when no proposal is shown
   */
  record ListPage(Viewer viewer, boolean discoveryOn, List<Filter> states, List<Filter> kinds, String empty, List<Row> rows) {

    /** Whether the list is as long as it gets, so older proposals wait behind it. */
    boolean full() {
      return rows.size() >= ProposalPages.LENGTH;
    }
  }

  /** A link of a filter. */
  record Filter(String href, String text, boolean current) {}

  /** A proposal's row: its kind in words, its signal and what it lies near. */
  record Row(Proposal proposal, String kind, Signal signal, Near near) {}

  /** A signal's type, and its value (null when it has none to show) whole and cut short. */
  record Signal(String type, String value, String shown) {}

  /**
   * What a proposal lies near: the entry and how near ({@code entry}, null when it lies near none)
   * and the entry's bank; for a cluster near none, how close its members are (null when unknown).
   */
  record Near(String entry, String bank, Integer spread) {}

  /** A proposal's page. Open, it has {@code decide} and no {@code decided}; decided, the other way round. */
  record DetailPage(Viewer viewer, Proposal proposal, String kind, String message, boolean error, Found found, Decide decide,
      Decided decided, Evidence evidence) {}

  /**
   * What was found.
   *
   * @param covered the part of the banked content a near miss lies near, or null when its distance says it all
   * @param nearLabels the labels of the entry it lies near, or null when that entry is gone
   */
  record Found(boolean cluster, Near near, String covered, List<String> nearLabels) {}

  /**
   * The forms, for those who may decide ({@code accept} null for the others).
   *
   * @param reason the reason typed into the refused reject form
   */
  record Decide(AcceptForm accept, String reason) {}

  /** The accept form: the banks it may go to, why the bank is or is not required, and what was typed. */
  record AcceptForm(List<BankOption> banks, boolean bankRequired, String bankHint, String labelHint, String labels, String note) {}

  /** A bank the accept form offers; {@code value} empty is the prompt to choose one. */
  record BankOption(String value, String text, boolean selected) {}

  /**
   * A decided proposal: who decided (null: nobody), where it was banked (null unless accepted) and
   * the reason's lines (null when none was given).
   */
  record Decided(String decider, String bankedAs, List<String> reason) {}

  /** The latest uploads behind the proposal, newest first. */
  record Evidence(boolean cluster, boolean showsMedia, List<Upload> uploads) {}

  /** An upload's row; {@code media} is null when this viewer is not shown media. */
  record Upload(Proposal.Upload upload, Media media) {}

  /** How an upload's kept media are shown. */
  enum MediaKind {
    /** Nothing was kept. */
    NONE,
    /** A small thumbnail. */
    IMAGE,
    /** Muted, never playing by itself, loading nothing before "play". */
    VIDEO,
    /** Anything else, which a browser does not render: a download. */
    DOWNLOAD
  }

  /** An upload's media: what they are, where the media route serves them, and what they show (for their text alternative). */
  record Media(MediaKind kind, long submission, String type, String what) {

    String src() {
      return "/console/media/" + submission;
    }
  }

  static ListPage list(Viewer viewer, List<Proposal> proposals, String state, String kind, boolean enabled) {
    List<Filter> states = new ArrayList<>();
    for (ProposalState s : ProposalState.values()) {
      states.add(new Filter(href(s.wireName(), kind), s.wireName(), s.wireName().equals(state)));
    }
    states.add(new Filter(href(ProposalPages.ANY_STATE, kind), "all", ProposalPages.ANY_STATE.equals(state)));
    List<Filter> kinds = new ArrayList<>();
    kinds.add(new Filter(href(state, null), "all", kind == null));
    for (ProposalKind k : ProposalKind.values()) {
      kinds.add(new Filter(href(state, k.wireName()), words(k.wireName()), k.wireName().equals(kind)));
    }
    String empty = "No " + (ProposalPages.ANY_STATE.equals(state) ? "" : state + " ") + "proposals.";
    List<Row> rows = proposals.stream().map(p -> new Row(p, words(p.kind()), signal(p.signalType(), p.signal()), near(p))).toList();
    return new ListPage(viewer, enabled, states, kinds, empty, rows);
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
    return "/console/proposals" + (query.isEmpty() ? "" : "?" + String.join("&", query));
  }

  private static Signal signal(String type, String value) {
    if (value == null) {
      return new Signal(type, null, null);
    }
    int keep = "url".equals(type) || "text".equals(type) ? SHORT_TEXT : SHORT_HASH;
    return new Signal(type, value, value.length() <= keep + 1 ? value : value.substring(0, keep) + "…");
  }

  private static Near near(Proposal p) {
    if (p.entryId() == null) {
      return new Near(null, null, p.spread());
    }
    String how = p.videoPercent() != null ? "plays " + percent(p.videoPercent()) + " % of entry " + p.entryId()
        : "entry " + p.entryId() + " at distance " + p.distance();
    return new Near(how, bank(p.bankName(), p.bankId()), null);
  }

  /** A bank as a page names it. */
  private static String bank(String name, Long id) {
    return name == null ? "bank " + id : name + " (bank " + id + ")";
  }

  static DetailPage detail(Viewer viewer, Detail detail, String message, boolean error, Entered entered) {
    Proposal p = detail.proposal();
    boolean open = ProposalState.OPEN.wireName().equals(p.state());
    boolean cluster = ProposalKind.CLUSTER.wireName().equals(p.kind());
    Found found = new Found(cluster, near(p), covered(p), detail.nearLabels());
    Decide decide = !open ? null
        : new Decide(ProposalPages.ACTORS.contains(viewer.role()) ? acceptForm(detail, entered) : null,
            entered.form() == Form.REJECT && entered.reason() != null ? entered.reason() : "");
    return new DetailPage(viewer, p, words(p.kind()), message, error, found, decide, open ? null : decided(detail),
        evidence(detail, cluster));
  }

  /** The message once a decision is taken. */
  static String outcome(Detail detail) {
    Proposal p = detail.proposal();
    return ProposalState.ACCEPTED.wireName().equals(p.state())
        ? "Accepted: the signal is banked as entry " + p.acceptedEntryId() + " in "
            + bank(bankName(detail.banks(), p.acceptedBankId()), p.acceptedBankId()) + ", and uploads of it match from now on."
        : "Rejected: this signal is not proposed again.";
  }

  /** The part of the banked content a near miss lies near: a video's stretch, a text's words; null when a distance says it all. */
  private static String covered(Proposal p) {
    if (p.part() == null) {
      return null;
    }
    if (p.part().get("banked_seconds") instanceof List<?> seconds && seconds.size() == 2) {
      return "seconds " + seconds.get(0) + " to " + seconds.get(1) + " of the banked video";
    }
    if (p.part().get("banked") instanceof Map<?, ?> banked && banked.get("words") instanceof List<?> words && words.size() == 2) {
      String share = p.part().get("query") instanceof Map<?, ?> query && query.get("share") instanceof Number n
          ? "; " + Math.round(n.doubleValue() * 100) + " % of the upload" : "";
      return "words " + words.get(0) + " to " + words.get(1) + " of the banked text" + share;
    }
    return null;
  }

  private static Decided decided(Detail detail) {
    Proposal p = detail.proposal();
    String bankedAs = ProposalState.ACCEPTED.wireName().equals(p.state())
        ? "entry " + p.acceptedEntryId() + " in " + bank(bankName(detail.banks(), p.acceptedBankId()), p.acceptedBankId()) : null;
    return new Decided(detail.decider(), bankedAs, p.reason() == null ? null : lines(p.reason()));
  }

  private static AcceptForm acceptForm(Detail detail, Entered entered) {
    Proposal p = detail.proposal();
    String chosen = entered.accepting() ? entered.bank() : p.bankId() == null ? null : Long.toString(p.bankId());
    List<BankOption> banks = new ArrayList<>();
    if (p.bankId() == null) {
      banks.add(new BankOption("", "choose a bank…", false));
    }
    for (Bank bank : detail.banks()) {
      // A negative bank's entries cancel other banks' hits: banked there, this variant would hide the content it is a copy of.
      if (bank.negative()) {
        continue;
      }
      String value = Long.toString(bank.id());
      banks.add(new BankOption(value, bank(bank.name(), bank.id()) + (bank.enabled() ? "" : ", not matching"), value.equals(chosen)));
    }
    String bankHint = p.bankId() == null ? "required: it lies near no banked entry"
        : "the bank of the entry it lies near, unless you choose another";
    String labelHint = p.entryId() == null ? "comma-separated; left empty, none"
        : "comma-separated; left empty, those of entry " + p.entryId();
    return new AcceptForm(banks, p.bankId() == null, bankHint, labelHint,
        entered.accepting() && entered.labels() != null ? entered.labels() : "",
        entered.accepting() && entered.note() != null ? entered.note() : "");
  }

  private static Evidence evidence(Detail detail, boolean cluster) {
    List<Upload> uploads = detail.proposal().latest().stream().map(upload -> new Upload(upload,
        detail.showsMedia() ? media(upload.submissionId(), detail.media(), upload.contentId()) : null)).toList();
    return new Evidence(cluster, detail.showsMedia(), uploads);
  }

  /** An upload's kept media as the review queue shows them, by their media type; none when none were kept. */
  private static Media media(Long submission, Map<Long, String> media, String contentId) {
    String mediaType = submission == null ? null : media.get(submission);
    if (mediaType == null) {
      return new Media(MediaKind.NONE, 0, null, null);
    }
    String type = mediaType.toLowerCase(Locale.ROOT);
    MediaKind kind = type.startsWith("image/") ? MediaKind.IMAGE : type.startsWith("video/") ? MediaKind.VIDEO : MediaKind.DOWNLOAD;
    return new Media(kind, submission, type, contentId == null ? "the upload" : "upload " + contentId);
  }

  private static String bankName(List<Bank> banks, Long id) {
    return banks.stream().filter(b -> id != null && b.id() == id).map(Bank::name).findFirst().orElse(null);
  }

  /** An API name as a reader says it: {@code near_miss} as near miss. */
  private static String words(String wire) {
    return TimelineWords.spaced(wire);
  }

  private static String percent(double value) {
    return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }

  /** A reason as typed, line by line: the page keeps its line breaks. */
  static List<String> lines(String text) {
    return List.of(text.split("\n", -1));
  }
}
