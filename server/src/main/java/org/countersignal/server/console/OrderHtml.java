package org.countersignal.server.console;

import static org.countersignal.server.console.Html.esc;
import static org.countersignal.server.console.IncidentHtml.statusTag;
import static org.countersignal.server.console.IncidentHtml.time;

import io.javalin.http.Context;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.countersignal.server.order.Authority;
import org.countersignal.server.order.Complaint;
import org.countersignal.server.order.ComplaintStatus;
import org.countersignal.server.order.Exposure;
import org.countersignal.server.order.Hold;
import org.countersignal.server.order.NotCompliedReason;
import org.countersignal.server.order.OrderState;
import org.countersignal.server.order.RemovalOrder;

/**
 * The removal orders' pages: the list with the orders whose hour runs on top, the exposure status
 * and a state filter; the intake form; an order's facts, clock, document, the forms for each step
 * the API allows from its state, its complaints and holds. Clocks are read on the
 * server when the page is made (each page says when); times are UTC. The content's URL is shown
 * as text, never as a link: it points at what the order says is terrorist content.
 */
final class OrderHtml {

  /** The list's filter for received orders past their hour (the API's {@code overdue=true}). */
  static final String OVERDUE = "overdue";
  private static final List<String> FILTERS = List.of(OrderState.RECEIVED.wireName(), OVERDUE, OrderState.NOT_COMPLIED.wireName(),
      OrderState.ACTED.wireName(), OrderState.REINSTATED.wireName());

  private OrderHtml() {}

  /** What was typed into the intake form, to show it again with a refusal (a file cannot be put back). */
  record Intake(String authority, String reference, String contentUrl, String contentId, String reasons, String receivedAt,
      boolean threatToLife, boolean noDisclosure) {
    static Intake from(Context ctx) {
      return new Intake(ctx.formParam("authority_id"), ctx.formParam("reference"), ctx.formParam("content_url"), ctx.formParam("content_id"),
          ctx.formParam("reasons"), ctx.formParam("received_at"), "on".equals(ctx.formParam("threat_to_life")),
          "on".equals(ctx.formParam("no_disclosure")));
    }
  }

  /** The form on an order's page that was refused, and what was in it. */
  record Entered(String form, Map<String, String> values) {
    static final Entered NONE = new Entered("", Map.of());

    String value(String inForm, String field) {
      return form.equals(inForm) ? values.getOrDefault(field, "") : "";
    }
  }

  static String list(Viewer viewer, List<RemovalOrder> orders, String filter, Exposure exposure, OffsetDateTime now) {
    StringBuilder rows = new StringBuilder();
    for (RemovalOrder order : orders) {
      rows.append("<tr data-order-id=\"").append(order.id()).append("\"").append(order.overdue() ? " class=\"overdue\"" : "").append("><td>")
          .append("<a href=\"/console/orders/").append(order.id()).append("\">").append(esc(order.reference())).append("</a>")
          .append(markers(order)).append("</td><td>").append(esc(order.authority().name())).append(" <span class=\"muted\">")
          .append(esc(order.authority().memberState())).append("</span></td><td>").append(content(order)).append("</td><td>")
          .append(statusTag(order.state())).append("</td><td class=\"clock-cell\">").append(clock(order)).append("</td><td>")
          .append(time(order.receivedAt(), false)).append("</td><td>").append(time(order.dueAt(), false)).append("</td></tr>");
    }
    String table = orders.isEmpty()
        ? "<p class=\"muted\" id=\"no-orders\">" + (filter == null ? "No removal orders yet." : "No orders " + esc(words(filter)) + ".") + "</p>"
        : "<table id=\"orders\"><thead><tr><th>order</th><th>authority</th><th>content</th><th>state</th><th>clock</th>"
            + "<th>received (UTC)</th><th>due (UTC)</th></tr></thead><tbody>" + rows + "</tbody></table>";
    String content = "<h1>Removal orders</h1>"
        + exposure(exposure)
        + "<p class=\"muted\">Orders from competent authorities under Regulation (EU) 2021/784: the content is to be removed or "
        + "disabled within one hour of receipt.</p>"
        + (OrderPages.ACTORS.contains(viewer.role()) ? "<p><a class=\"button secondary\" href=\"/console/orders/new\" id=\"new-order\">Take an order in</a></p>" : "")
        + filters(filter) + asOf(now) + table;
    return Layout.page("Orders", viewer, "Orders", content);
  }

  private static String markers(RemovalOrder order) {
    return (order.threatToLife() ? " <span class=\"tag threat\">threat to life</span>" : "")
        + (order.document() == null ? " <span class=\"tag\">no document</span>" : "")
        + (order.finalAt() == null ? "" : " <span class=\"tag\">final</span>");
  }

  private static String content(RemovalOrder order) {
    return (order.contentId() == null ? "" : "<code>" + esc(order.contentId()) + "</code>")
        + (order.contentUrl() == null ? "" : "<div class=\"muted url\">" + esc(order.contentUrl()) + "</div>");
  }

  private static String filters(String filter) {
    StringBuilder out = new StringBuilder("<p class=\"filters\" id=\"state-filter\">Show ");
    out.append(filter("/console/orders", "open first", filter == null));
    for (String state : FILTERS) {
      out.append(filter("/console/orders?state=" + state, words(state), state.equals(filter)));
    }
    return out.append("</p>").toString();
  }

  private static String filter(String href, String text, boolean current) {
    return "<a href=\"" + href + "\"" + (current ? " aria-current=\"page\"" : "") + ">" + esc(text) + "</a>";
  }

  /** The time the page's clocks were read at: without a script, they stand still until the page is loaded again. */
  private static String asOf(OffsetDateTime now) {
    return "<p class=\"muted as-of\" id=\"as-of\">Clocks as of " + time(org.countersignal.server.store.Clock.text(now), true)
        + " UTC, when this page was made; reload it to bring them up to date.</p>";
  }

  private static String exposure(Exposure exposure) {
    StringBuilder counted = new StringBuilder();
    for (Exposure.Counted order : exposure.orders()) {
      counted.append("<li><a href=\"/console/orders/").append(order.id()).append("\">").append(esc(order.reference())).append("</a> (")
          .append(esc(order.authority())).append("), received ").append(time(order.receivedAt(), false)).append(", final ")
          .append(time(order.finalAt(), false)).append("</li>");
    }
    String count = exposure.finalOrders() + (exposure.finalOrders() == 1 ? " final order" : " final orders");
    return "<section class=\"card " + (exposure.exposed() ? "exposed" : "") + "\" id=\"exposure\"><h2>Exposure (Art. 5(4))</h2><p>"
        + (exposure.exposed()
            ? "<strong>Exposed to terrorist content</strong>: " + count + " received since " + time(exposure.windowStart(), false)
                + " UTC, the threshold being " + exposure.threshold() + ". Specific measures are required (Art. 5)."
            : "Not exposed: " + count + " received since " + time(exposure.windowStart(), false) + " UTC; " + exposure.threshold()
                + " or more in twelve months would make this service exposed.")
        + "</p>" + (counted.isEmpty() ? "" : "<ul id=\"exposure-orders\">" + counted + "</ul>") + "</section>";
  }

  static String intake(Viewer viewer, List<Authority> authorities, String message, Intake entered) {
    Intake e = entered != null ? entered : new Intake("", "", "", "", "", "", false, false);
    StringBuilder options = new StringBuilder("<option value=\"\">choose…</option>");
    for (Authority authority : authorities) {
      options.append(option(Long.toString(authority.id()), authority.name() + " (" + authority.memberState() + ")",
          Long.toString(authority.id()).equals(e.authority())));
    }
    String form = authorities.isEmpty()
        ? "<p class=\"notice error\" role=\"alert\" id=\"no-authorities\">There is no active competent authority on the list: an admin "
            + "adds them through the API (POST /api/v1/order-authorities) before orders can be taken in.</p>"
        : "<form method=\"post\" action=\"/console/orders\" enctype=\"multipart/form-data\" class=\"card narrow\" id=\"intake\">"
            + Html.csrfField(viewer.csrf()) + "<h2>The order</h2>"
            + "<label>Issuing authority <select name=\"authority_id\" required>" + options + "</select></label>"
            + "<label>The authority's reference <input name=\"reference\" value=\"" + esc(e.reference()) + "\" required autocomplete=\"off\"></label>"
            + "<label>Content URL <input name=\"content_url\" type=\"url\" value=\"" + esc(e.contentUrl()) + "\" autocomplete=\"off\" "
            + "spellcheck=\"false\"></label>"
            + "<label>Content id <span class=\"muted\">(this platform's id of it; a URL, an id or both)</span> "
            + "<input name=\"content_id\" value=\"" + esc(e.contentId()) + "\" autocomplete=\"off\" spellcheck=\"false\"></label>"
            + "<label>Statement of reasons <span class=\"muted\">(as written in the order)</span> "
            + "<textarea name=\"reasons\" rows=\"4\" required>" + esc(e.reasons()) + "</textarea></label>"
            + "<label>Received at, UTC <span class=\"muted\">(when the order reached us; left empty: now. The hour runs from here.)</span> "
            + "<input type=\"datetime-local\" name=\"received_at\" value=\"" + esc(e.receivedAt()) + "\"></label>"
            + "<label class=\"check\"><input type=\"checkbox\" name=\"threat_to_life\" value=\"on\"" + (e.threatToLife() ? " checked" : "")
            + "> The content involves an imminent threat to life</label>"
            + "<label class=\"check\"><input type=\"checkbox\" name=\"no_disclosure\" value=\"on\"" + (e.noDisclosure() ? " checked" : "")
            + "> The authority asked that the content provider not be told yet (Art. 11(3))</label>"
            + "<label>The order's document <span class=\"muted\">(the PDF or scan with Annex I; at most 20 MiB)</span> "
            + "<input type=\"file\" name=\"document\"></label>"
            + "<button type=\"submit\">Take the order in</button>"
            + "<p class=\"muted\">The document is kept as received, with its SHA-256, and cannot be replaced.</p></form>";
    String content = "<p class=\"back\"><a href=\"/console/orders\">← All orders</a></p><h1>Take a removal order in</h1>"
        + Html.message(message, true) + (message == null || entered == null ? "" : "<p class=\"muted\">Choose the document again.</p>") + form;
    return Layout.page("Take an order in", viewer, "Orders", content);
  }

  static String detail(Viewer viewer, RemovalOrder order, OffsetDateTime now,
      String message, boolean error, Entered entered) {
    Entered e = entered == null ? Entered.NONE : entered;
    boolean acts = OrderPages.ACTORS.contains(viewer.role());
    OrderState state = OrderState.fromWire(order.state());
    String facts = "<section class=\"card\" id=\"facts\"><h2>Facts</h2>" + facts(order) + "</section>";
    String forms = acts ? actions(viewer, order, state, e) : "";
    String content = "<p class=\"back\"><a href=\"/console/orders\">← All orders</a></p>"
        + "<h1>Order " + esc(order.reference()) + " " + statusTag(order.state())
        + (order.threatToLife() ? " <span class=\"tag threat\">threat to life</span>" : "") + "</h1>"
        + Html.message(message, error)
        + clockCard(order, now)
        + (forms.isEmpty() ? facts : "<div class=\"beside\">" + facts + "<div id=\"actions\">" + forms + "</div></div>")
        + "<section class=\"card\" id=\"reasons\"><h2>Statement of reasons</h2>" + paragraphs(order.reasons()) + "</section>"
        + document(viewer, order, acts)
        + complaints(viewer, order, acts, e)
        + holds(viewer, order, acts && (state == OrderState.ACTED || state == OrderState.REINSTATED), e);
    return Layout.page("Order " + order.reference(), viewer, "Orders", content);
  }

  private static String clockCard(RemovalOrder order, OffsetDateTime now) {
    return "<section class=\"card clock-card" + (order.overdue() ? " overdue" : "") + "\" id=\"clock\"><h2>The hour</h2>"
        + "<p class=\"clock-big\">" + clock(order) + "</p>"
        + "<p>Due " + time(order.dueAt(), true) + " UTC, one hour from " + time(order.clockStartedAt(), true) + " UTC"
        + (order.clockStartedAt().equals(order.receivedAt()) ? " (its receipt)." : " (when the clock was started again).") + "</p>"
        + asOf(now) + "</section>";
  }

  private static String facts(RemovalOrder order) {
    StringBuilder out = new StringBuilder("<dl class=\"facts\">");
    fact(out, "Authority", esc(order.authority().name()) + " <span class=\"muted\">(" + esc(order.authority().memberState()) + ")</span>");
    fact(out, "Reference", esc(order.reference()));
    fact(out, "Content id", order.contentId() == null ? "<span class=\"muted\">not given</span>" : "<code>" + esc(order.contentId()) + "</code>");
    fact(out, "Content URL", order.contentUrl() == null ? "<span class=\"muted\">not given</span>"
        : "<span class=\"url\">" + esc(order.contentUrl()) + "</span>");
    fact(out, "State", statusTag(order.state()));
    fact(out, "Received", time(order.receivedAt(), true) + " UTC");
    fact(out, "Threat to life", order.threatToLife() ? "<strong>yes</strong>" : "no");
    fact(out, "Tell the provider", order.notifyProvider() ? "yes" : "<strong>not yet</strong> (the authority asked, Art. 11(3))");
    if (order.action() != null) {
      fact(out, "Action", esc(order.action()) + " at " + time(order.actedAt(), true) + " UTC, "
          + (Boolean.TRUE.equals(order.actedInTime()) ? "within the hour" : "<strong>after the hour</strong>"));
      fact(out, "Submission", order.submissionId() == null ? "<span class=\"muted\">none linked (the operator's statement)</span>"
          : Long.toString(order.submissionId()));
      if (order.actionNote() != null) {
        fact(out, "Note", esc(order.actionNote()));
      }
    }
    if (order.notCompliedReason() != null) {
      NotCompliedReason reason = NotCompliedReason.fromWire(order.notCompliedReason());
      fact(out, "Not complied with", (reason == null ? esc(order.notCompliedReason()) : esc(reasonWords(reason)))
          + " at " + time(order.notCompliedAt(), true) + " UTC");
      fact(out, "Reply to the authority", paragraphs(order.reply()));
    }
    if (order.reinstatedAt() != null) {
      fact(out, "Reinstated", time(order.reinstatedAt(), true) + " UTC (a complaint was upheld)");
    }
    fact(out, "Final", order.finalAt() == null ? "<span class=\"muted\">not yet</span>" : time(order.finalAt(), true) + " UTC");
    return out.append("</dl>").toString();
  }

  /** The forms for each step the order may take from where it stands, as the API allows them. */
  private static String actions(Viewer viewer, RemovalOrder order, OrderState state, Entered e) {
    String base = "/console/orders/" + order.id();
    StringBuilder out = new StringBuilder();
    if (state.mayBecome(OrderState.ACTED)) {
      String action = e.value("removal", "action");
      out.append("<form method=\"post\" action=\"").append(base).append("/removal\" class=\"card\" id=\"record-removal\">")
          .append(Html.csrfField(viewer.csrf())).append("<h2>Record the removal</h2>")
          .append("<label class=\"inline\"><input type=\"radio\" name=\"action\" value=\"removed\"")
          .append(action.equals("disabled") ? "" : " checked").append("> removed</label>")
          .append("<label class=\"inline\"><input type=\"radio\" name=\"action\" value=\"disabled\"")
          .append(action.equals("disabled") ? " checked" : "").append("> access disabled in every Member State</label>")
          .append("<label>Submission <span class=\"muted\">(optional: the platform's submission of the content; left empty, the latest "
              + "with its content id)</span> <input name=\"submission_id\" inputmode=\"numeric\" value=\"")
          .append(esc(e.value("removal", "submission_id"))).append("\"></label>")
          .append("<label>Note <span class=\"muted\">(optional)</span> <textarea name=\"note\" rows=\"2\">").append(esc(e.value("removal", "note")))
          .append("</textarea></label><button type=\"submit\" class=\"danger\">Record the removal</button>")
          .append("<p class=\"muted\">Stamped now against the clock; the content and its data are then held for six months.</p></form>");
    }
    if (state.mayBecome(OrderState.NOT_COMPLIED)) {
      StringBuilder reasons = new StringBuilder("<option value=\"\">choose…</option>");
      for (NotCompliedReason reason : NotCompliedReason.values()) {
        reasons.append(option(reason.wireName(), reasonWords(reason), reason.wireName().equals(e.value("not-complied", "reason"))));
      }
      out.append("<form method=\"post\" action=\"").append(base).append("/not-complied\" class=\"card\" id=\"not-complied\">")
          .append(Html.csrfField(viewer.csrf())).append("<h2>Not complying</h2>")
          .append("<label>Reason <select name=\"reason\">").append(reasons).append("</select></label>")
          .append("<ul class=\"hint muted\"><li>Art. 3(7), force majeure or technical impossibility: comply once it ceases.</li>")
          .append("<li>Art. 3(8), manifest errors or missing information: ask the authority to clarify; comply once it has.</li></ul>")
          .append("<label>Reply to the authority <span class=\"muted\">(required: what was sent to it)</span> ")
          .append("<textarea name=\"reply\" rows=\"3\">").append(esc(e.value("not-complied", "reply"))).append("</textarea></label>")
          .append("<button type=\"submit\" class=\"secondary\">Record: not complied with</button></form>");
    }
    if (state == OrderState.NOT_COMPLIED) {
      out.append("<form method=\"post\" action=\"").append(base).append("/resume\" class=\"card\" id=\"resume-clock\">")
          .append(Html.csrfField(viewer.csrf())).append("<h2>Start the hour again</h2>")
          .append("<p>Once the reason has ceased or the authority has clarified the order, the hour runs again from then.</p>")
          .append("<label>From, UTC <span class=\"muted\">(left empty: now)</span> <input type=\"datetime-local\" name=\"from\" value=\"")
          .append(esc(e.value("resume", "from"))).append("\"></label>")
          .append("<label>Note <span class=\"muted\">(optional)</span> <input name=\"note\" value=\"").append(esc(e.value("resume", "note")))
          .append("\"></label><button type=\"submit\">Start the hour again</button></form>");
    }
    if (order.finalAt() == null) {
      out.append("<form method=\"post\" action=\"").append(base).append("/final\" class=\"card\" id=\"mark-final\">")
          .append(Html.csrfField(viewer.csrf())).append("<h2>Final</h2>")
          .append("<p>Mark the order final once it can no longer be challenged: final orders count towards exposure (Art. 5(4)).</p>")
          .append("<button type=\"submit\" class=\"secondary\">Mark final</button></form>");
    }
    return out.toString();
  }

  private static String document(Viewer viewer, RemovalOrder order, boolean acts) {
    StringBuilder out = new StringBuilder("<section class=\"card\" id=\"document\"><h2>The order's document</h2>");
    if (order.document() == null) {
      out.append("<p class=\"muted\">No document attached.</p>");
      if (acts) {
        out.append("<form method=\"post\" action=\"/console/orders/").append(order.id())
            .append("/document\" enctype=\"multipart/form-data\" id=\"attach-document\">").append(Html.csrfField(viewer.csrf()))
            .append("<label>Document <span class=\"muted\">(the PDF or scan the authority sent; at most 20 MiB)</span> ")
            .append("<input type=\"file\" name=\"document\"></label><button type=\"submit\">Attach</button></form>");
      }
      return out.append("</section>").toString();
    }
    var d = order.document();
    out.append("<dl class=\"facts\">");
    fact(out, "File", "<a href=\"/console/orders/" + order.id() + "/document\" id=\"download-document\" download>"
        + esc(d.fileName() == null ? "order-" + order.id() : d.fileName()) + "</a>");
    fact(out, "Type, size", esc(d.mediaType()) + ", " + d.sizeBytes() + " bytes");
    fact(out, "SHA-256", "<code id=\"document-sha256\">" + esc(d.sha256()) + "</code>");
    fact(out, "Attached", time(d.attachedAt(), true) + " UTC");
    return out.append("</dl></section>").toString();
  }

  private static String complaints(Viewer viewer, RemovalOrder order, boolean acts, Entered e) {
    StringBuilder out = new StringBuilder("<section class=\"card\" id=\"complaints\"><h2>Complaints (Art. 10)</h2>");
    if (order.complaints().isEmpty()) {
      out.append("<p class=\"muted\">None.</p>");
    }
    for (Complaint complaint : order.complaints()) {
      out.append("<div class=\"complaint\" data-complaint-id=\"").append(complaint.id()).append("\"><dl class=\"facts\">");
      fact(out, "Complaint", complaint.id() + " · " + statusTag(complaint.status()));
      fact(out, "From", complaint.complainant() == null ? "<span class=\"muted\">not given</span>" : esc(complaint.complainant()));
      fact(out, "Filed", time(complaint.filedAt(), true) + " UTC");
      fact(out, "Says", paragraphs(complaint.text()));
      if (complaint.decidedAt() != null) {
        fact(out, "Decided", time(complaint.decidedAt(), true) + " UTC");
        fact(out, "Reason given", paragraphs(complaint.decisionReason()));
      }
      out.append("</dl>");
      if (acts && ComplaintStatus.OPEN.wireName().equals(complaint.status())) {
        String form = "decision-" + complaint.id();
        out.append("<form method=\"post\" action=\"/console/orders/").append(order.id()).append("/complaints/").append(complaint.id())
            .append("/decision\" id=\"decide-complaint-").append(complaint.id()).append("\">").append(Html.csrfField(viewer.csrf()))
            .append("<label>Reason told to the complainant <span class=\"muted\">(required)</span> <textarea name=\"reason\" rows=\"2\">")
            .append(esc(e.value(form, "reason"))).append("</textarea></label>")
            .append("<button type=\"submit\" name=\"outcome\" value=\"upheld\" class=\"secondary\">Uphold: reinstate the content</button> ")
            .append("<button type=\"submit\" name=\"outcome\" value=\"rejected\">Reject: the removal stands</button></form>");
      }
      out.append("</div>");
    }
    if (acts && OrderState.ACTED.wireName().equals(order.state())) {
      out.append("<form method=\"post\" action=\"/console/orders/").append(order.id()).append("/complaints\" id=\"file-complaint\">")
          .append(Html.csrfField(viewer.csrf())).append("<h3>Record a complaint</h3>")
          .append("<label>Complainant <span class=\"muted\">(optional: the platform's id of the content provider)</span> ")
          .append("<input name=\"complainant\" value=\"").append(esc(e.value("complaint", "complainant"))).append("\"></label>")
          .append("<label>What they say <textarea name=\"text\" rows=\"3\">").append(esc(e.value("complaint", "text")))
          .append("</textarea></label><button type=\"submit\">Record the complaint</button></form>");
    }
    return out.append("</section>").toString();
  }

  private static String holds(Viewer viewer, RemovalOrder order, boolean holdsLonger, Entered e) {
    StringBuilder out = new StringBuilder("<section class=\"card\" id=\"holds\"><h2>Preservation (Art. 6)</h2>");
    if (order.holds().isEmpty()) {
      out.append("<p class=\"muted\">Nothing held: content is held from the removal on.</p>");
    } else {
      out.append("<table><thead><tr><th>content</th><th>from (UTC)</th><th>until (UTC)</th><th>reason</th><th>active</th></tr></thead><tbody>");
      for (Hold hold : order.holds()) {
        out.append("<tr data-hold-id=\"").append(hold.id()).append("\"><td>")
            .append(hold.contentId() == null ? "" : "<code>" + esc(hold.contentId()) + "</code>")
            .append(hold.submissionId() == null ? "" : " <span class=\"muted\">submission " + hold.submissionId() + "</span>")
            .append("</td><td>").append(time(hold.heldFrom(), false)).append("</td><td>").append(time(hold.heldUntil(), false))
            .append("</td><td>").append(esc(hold.reason())).append("</td><td>").append(hold.active() ? "yes" : "ended").append("</td></tr>");
      }
      out.append("</tbody></table>");
    }
    if (holdsLonger) {
      out.append("<form method=\"post\" action=\"/console/orders/").append(order.id()).append("/holds\" id=\"extend-hold\">")
          .append(Html.csrfField(viewer.csrf())).append("<h3>Hold longer (Art. 6(2))</h3>")
          .append("<label>Until, UTC <input type=\"datetime-local\" name=\"until\" value=\"").append(esc(e.value("hold", "until")))
          .append("\"></label><label>Reason <span class=\"muted\">(the authority's or court's request)</span> <input name=\"reason\" value=\"")
          .append(esc(e.value("hold", "reason"))).append("\"></label><button type=\"submit\">Extend the hold</button></form>");
    }
    return out.append("</section>").toString();
  }

  /**
   * Where the order's hour stands: the time left, or how long it is overdue, while it runs; after,
   * whether the content was acted on within it.
   */
  static String clock(RemovalOrder order) {
    if (order.secondsLeft() != null) {
      long left = order.secondsLeft();
      return order.overdue()
          ? "<span class=\"overdue-marker\">OVERDUE</span> <span class=\"clock\">by " + span(-left) + "</span>"
          : "<span class=\"clock\">" + span(left) + " left</span>";
    }
    OrderState state = OrderState.fromWire(order.state());
    if (state == OrderState.NOT_COMPLIED) {
      return "<span class=\"muted\">stopped: not complied with</span>";
    }
    if (order.actedInTime() == null) {
      return "<span class=\"muted\">—</span>";
    }
    return order.actedInTime() ? "<span class=\"muted\">acted within the hour</span>" : "<strong>acted after the hour</strong>";
  }

  /** A length of time as a person on call reads it: minutes and seconds within the hour, coarser past it. */
  private static String span(long seconds) {
    long s = Math.max(0, seconds);
    if (s >= 86_400) {
      return s / 86_400 + " d " + s % 86_400 / 3600 + " h";
    }
    if (s >= 3600) {
      return s / 3600 + " h " + s % 3600 / 60 + " min";
    }
    return s / 60 + " min " + String.format("%02d", s % 60) + " s";
  }

  private static String reasonWords(NotCompliedReason reason) {
    String words = switch (reason) {
      case FORCE_MAJEURE -> "Force majeure";
      case TECHNICAL_IMPOSSIBILITY -> "Technical impossibility";
      case MANIFEST_ERRORS -> "Manifest errors in the order";
      case MISSING_INFORMATION -> "Not enough information to execute it";
    };
    return words + " (Art. " + reason.article() + ")";
  }

  private static String words(String state) {
    return state.replace('_', ' ');
  }

  private static void fact(StringBuilder out, String name, String html) {
    out.append("<dt>").append(name).append("</dt><dd>").append(html).append("</dd>");
  }

  private static String option(String value, String text, boolean selected) {
    return "<option value=\"" + esc(value) + "\"" + (selected ? " selected" : "") + ">" + esc(text) + "</option>";
  }

  private static String paragraphs(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (String paragraph : text.split("\\n\\s*\\n")) {
      out.append("<p>").append(esc(paragraph.strip()).replace("\n", "<br>")).append("</p>");
    }
    return out.toString();
  }
}
