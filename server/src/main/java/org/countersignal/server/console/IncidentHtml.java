package org.countersignal.server.console;

import static org.countersignal.server.console.Html.esc;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.countersignal.server.bank.Entry;
import org.countersignal.server.bank.EntryPage;
import org.countersignal.server.incident.Incident;
import org.countersignal.server.incident.IncidentKind;
import org.countersignal.server.incident.IncidentLevel;
import org.countersignal.server.incident.IncidentStatus;
import org.countersignal.server.incident.TimelineEvent;
import org.countersignal.server.incident.TimelineKind;

/**
 * The incident pages' HTML: the list with its status filter and the form that declares an
 * incident; an incident's facts, the forms that change its level and status and add to its bank,
 * its timeline and its charts; its bank's entries. Times are UTC, as everywhere in the service.
 */
final class IncidentHtml {

  private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  /** The statuses the list can be filtered by, in the order a crisis goes through them. */
  private static final List<IncidentStatus> FILTERS = List.of(IncidentStatus.ACTIVE, IncidentStatus.MONITORING, IncidentStatus.CLOSED,
      IncidentStatus.PROPOSED, IncidentStatus.DECLINED);

  private IncidentHtml() {}

  /** What a coordinator typed into the declare form, to show it again with a refusal. */
  record Declaring(String name, String kind, String level, String region, String startedAt, String description, String sharing) {
    static Declaring from(Context ctx) {
      return new Declaring(ctx.formParam("name"), ctx.formParam("kind"), ctx.formParam("level"), ctx.formParam("region"),
          ctx.formParam("started_at"), ctx.formParam("description"), ctx.formParam("sharing"));
    }
  }

  /**
   * Who is who on the timeline: key id to name, and the key that made each entry of the bank by
   * its signal ({@link Console#signalKey}), as bank changes do not say.
   */
  record Actors(Map<Long, String> names, Map<String, Long> entryMakers) {
    String name(long keyId) {
      return names.getOrDefault(keyId, "key " + keyId);
    }
  }

  /** What each sharing level means for an incident's hashes, in a line. */
  private static final Map<String, String> SHARING = Map.of(
      "red", "never leaves this server",
      "amber", "only the peers of this server's feeds, no further",
      "green", "those peers, who may pass them on to their own peers",
      "clear", "anyone");

  /** What was typed into the add-a-hash form. */
  record Hash(String type, String value, String note) {
    static Hash from(Context ctx) {
      return new Hash(ctx.formParam("signal_type"), ctx.formParam("signal"), ctx.formParam("note"));
    }
  }

  static String list(Viewer viewer, List<Incident> incidents, String status, String message, boolean error, Declaring entered) {
    StringBuilder rows = new StringBuilder();
    for (Incident incident : incidents) {
      rows.append("<tr data-incident-id=\"").append(incident.id()).append("\"><td><a href=\"/console/incidents/").append(incident.id())
          .append("\">").append(esc(incident.name())).append("</a></td><td>").append(esc(TimelineWords.spaced(incident.kind())))
          .append("</td><td>").append(esc(TimelineWords.level(incident.level()))).append("</td><td>").append(statusTag(incident.status()))
          .append("</td><td>").append(incident.region() == null ? "<span class=\"muted\">—</span>" : esc(incident.region()))
          .append("</td><td>").append(time(incident.declaredAt(), false)).append("</td><td>").append(time(incident.closedAt(), false))
          .append("</td></tr>");
    }
    String table = incidents.isEmpty()
        ? "<p class=\"muted\" id=\"no-incidents\">" + (status == null ? "No incidents yet." : "No incidents " + esc(status) + ".") + "</p>"
        : "<table id=\"incidents\"><thead><tr><th>incident</th><th>kind</th><th>level</th><th>status</th><th>region</th>"
            + "<th>declared (UTC)</th><th>closed (UTC)</th></tr></thead><tbody>" + rows + "</tbody></table>";
    String content = "<h1>Incidents</h1>" + Html.message(message, error)
        + "<p class=\"muted\">Crises in which terrorist or violent extremist content spreads. Each incident has a bank of its own "
        + "for its hashes; its level and status are what rules act on.</p>"
        + filters(status) + table
        + (IncidentPages.COORDINATORS.contains(viewer.role()) ? declareForm(viewer, entered) : "");
    return Layout.page("Incidents", viewer, "Incidents", content);
  }

  private static String filters(String status) {
    StringBuilder out = new StringBuilder("<p class=\"filters\" id=\"status-filter\">Show ");
    out.append(filter("/console/incidents", "all", status == null));
    for (IncidentStatus s : FILTERS) {
      out.append(filter("/console/incidents?status=" + s.wireName(), s.wireName(), s.wireName().equals(status)));
    }
    return out.append("</p>").toString();
  }

  private static String filter(String href, String text, boolean current) {
    return "<a href=\"" + href + "\"" + (current ? " aria-current=\"page\"" : "") + ">" + esc(text) + "</a>";
  }

  private static String declareForm(Viewer viewer, Declaring entered) {
    Declaring e = entered != null ? entered : new Declaring("", "", "", "", "", "", "amber");
    StringBuilder kinds = new StringBuilder();
    for (IncidentKind kind : IncidentKind.values()) {
      kinds.append(option(kind.wireName(), capitalised(TimelineWords.spaced(kind.wireName())), kind.wireName().equals(e.kind())));
    }
    StringBuilder levels = new StringBuilder();
    StringBuilder meanings = new StringBuilder();
    for (IncidentLevel level : IncidentLevel.values()) {
      levels.append(option(level.wireName(), TimelineWords.levelInFull(level), level.wireName().equals(e.level())));
      meanings.append("<li><strong>").append(esc(TimelineWords.levelInFull(level))).append("</strong>: ")
          .append(esc(TimelineWords.levelMeaning(level))).append("</li>");
    }
    String sharing = e.sharing() == null || e.sharing().isBlank() ? "amber" : e.sharing();
    return "<form method=\"post\" action=\"/console/incidents\" class=\"card narrow\" id=\"declare-incident\">"
        + Html.csrfField(viewer.csrf()) + "<h2>Declare an incident</h2>"
        + "<label>Name <input name=\"name\" value=\"" + esc(e.name()) + "\" autocomplete=\"off\"></label>"
        + "<label>Kind <select name=\"kind\">" + kinds + "</select></label>"
        + "<label>Level <select name=\"level\">" + levels + "</select></label>"
        + "<ul class=\"hint muted\">" + meanings + "</ul>"
        + "<label>Region <span class=\"muted\">(optional)</span> <input name=\"region\" value=\"" + esc(e.region()) + "\"></label>"
        + "<label>Started at, UTC <span class=\"muted\">(left empty: now)</span> <input type=\"datetime-local\" name=\"started_at\" "
        + "value=\"" + esc(e.startedAt()) + "\"></label>"
        + "<label>Description <textarea name=\"description\" rows=\"3\">" + esc(e.description()) + "</textarea></label>"
        + "<fieldset class=\"sharing\"><legend>Sharing of its hashes</legend>"
        + sharing("amber", "Amber", SHARING.get("amber") + " (the default)", sharing)
        + sharing("red", "Red", SHARING.get("red"), sharing)
        + sharing("green", "Green", SHARING.get("green"), sharing)
        + "</fieldset>"
        + "<button type=\"submit\">Declare the incident</button>"
        + "<p class=\"muted\">The incident starts active, with an empty bank of its own: add its hashes on its page.</p></form>";
  }

  private static String sharing(String value, String name, String meaning, String chosen) {
    return "<label class=\"choice\"><input type=\"radio\" name=\"sharing\" value=\"" + value + "\"" + (value.equals(chosen) ? " checked" : "")
        + "> <strong>" + name + "</strong>: " + esc(meaning) + "</label>";
  }

  static String detail(Viewer viewer, Incident incident, long[] counts, List<TimelineEvent> timeline, Actors actors,
      List<String> signalTypes, String charts, String message, boolean error, Hash entered) {
    IncidentStatus status = incident.state();
    boolean coordinates = IncidentPages.COORDINATORS.contains(viewer.role());
    boolean decided = status != IncidentStatus.PROPOSED && status != IncidentStatus.DECLINED;
    boolean addsEntries = IncidentPages.ENTRY_WRITERS.contains(viewer.role()) && incident.bankId() != null && !incident.received();
    StringBuilder forms = new StringBuilder();
    if (coordinates && decided) {
      if (!incident.received()) {
        forms.append(levelForm(viewer, incident));
      }
      forms.append(statusForm(viewer, incident));
    }
    if (addsEntries) {
      forms.append(hashForm(viewer, incident, signalTypes, entered));
    }
    String facts = "<section class=\"card\" id=\"facts\"><h2>Facts</h2>" + facts(incident, counts)
        + (incident.description() == null || incident.description().isBlank() ? ""
            : "<div class=\"description\">" + paragraphs(incident.description()) + "</div>")
        + "</section>";
    String content = "<p class=\"back\"><a href=\"/console/incidents\">← All incidents</a></p>"
        + "<h1>" + esc(incident.name()) + " " + statusTag(incident.status()) + "</h1>"
        + (status == IncidentStatus.PROPOSED ? proposal(viewer, incident, coordinates) : "")
        + Html.message(message, error)
        + (forms.isEmpty() ? facts : "<div class=\"beside\">" + facts + "<div id=\"changes\">" + forms + "</div></div>")
        + timeline(timeline, actors)
        // Filled by the incident report: its charts and debrief, drawn on the server.
        + "<section id=\"charts\" class=\"card\"><h2>Charts and debrief</h2>" + charts + "</section>";
    return Layout.page(incident.name(), viewer, "Incidents", content);
  }

  private static String facts(Incident incident, long[] counts) {
    IncidentLevel level = IncidentLevel.fromWire(incident.level());
    StringBuilder out = new StringBuilder("<dl class=\"facts\">");
    fact(out, "Kind", esc(capitalised(TimelineWords.spaced(incident.kind()))));
    fact(out, "Level", level == null ? esc(incident.level())
        : esc(TimelineWords.levelInFull(level)) + "<div class=\"muted\">" + esc(TimelineWords.levelMeaning(level)) + "</div>");
    fact(out, "Status", statusTag(incident.status()));
    fact(out, "Region", incident.region() == null ? "<span class=\"muted\">not given</span>" : esc(incident.region()));
    fact(out, "Started", time(incident.startedAt(), false) + " UTC");
    fact(out, "Declared", time(incident.declaredAt(), false) + " UTC");
    if (incident.closedAt() != null) {
      fact(out, "Closed", time(incident.closedAt(), false) + " UTC");
    }
    if (incident.received()) {
      fact(out, "Shared by", "peer " + esc(incident.origin()) + (incident.originId() == null ? "" : ", its incident " + incident.originId()));
    }
    if (incident.bankId() == null) {
      fact(out, "Bank", "<span class=\"muted\">none until the incident is accepted</span>");
    } else {
      fact(out, "Bank", "<span id=\"entry-count\">" + counts[0] + (counts[0] == 1 ? " entry" : " entries")
          + (counts[1] == counts[0] ? "" : ", " + counts[1] + " enabled") + "</span> · <a href=\"/console/incidents/" + incident.id()
          + "/entries\" id=\"entries-link\">see the entries</a> <span class=\"muted\">(bank " + incident.bankId() + ")</span>");
      fact(out, "Sharing", esc(incident.sharing()) + (SHARING.containsKey(incident.sharing())
          ? "<span class=\"muted\">: " + esc(SHARING.get(incident.sharing())) + "</span>" : "")
          + (incident.labels().isEmpty() ? "" : " · labels " + Html.tags(incident.labels())));
    }
    return out.append("</dl>").toString();
  }

  private static void fact(StringBuilder out, String name, String html) {
    out.append("<dt>").append(name).append("</dt><dd>").append(html).append("</dd>");
  }

  /** A proposal's notice; the accept and decline buttons post to the routes that come with incidents shared by peers. */
  private static String proposal(Viewer viewer, Incident incident, boolean coordinates) {
    String base = "/console/incidents/" + incident.id();
    return "<div class=\"notice proposal\" id=\"proposal\" role=\"status\"><p>Shared by peer <strong>" + esc(incident.origin())
        + "</strong>: accept it to match its hashes here, or decline it.</p>"
        + (!coordinates ? "" : "<form method=\"post\" action=\"" + base + "/accept\" class=\"inline\">" + Html.csrfField(viewer.csrf())
            + "<button type=\"submit\" id=\"accept\">Accept</button></form>"
            + "<form method=\"post\" action=\"" + base + "/decline\" class=\"inline\">" + Html.csrfField(viewer.csrf())
            + "<button type=\"submit\" class=\"secondary\" id=\"decline\">Decline</button></form>")
        + "</div>";
  }

  private static String levelForm(Viewer viewer, Incident incident) {
    StringBuilder levels = new StringBuilder();
    for (IncidentLevel level : IncidentLevel.values()) {
      levels.append(option(level.wireName(), TimelineWords.levelInFull(level), level.wireName().equals(incident.level())));
    }
    return "<form method=\"post\" action=\"/console/incidents/" + incident.id() + "/level\" class=\"card\" id=\"change-level\">"
        + Html.csrfField(viewer.csrf()) + "<h2>Level</h2>"
        + "<div class=\"row\"><select name=\"level\" aria-label=\"Level\">" + levels + "</select>"
        + "<button type=\"submit\">Change level</button></div></form>";
  }

  private static String statusForm(Viewer viewer, Incident incident) {
    IncidentStatus status = incident.state();
    StringBuilder buttons = new StringBuilder();
    for (IncidentStatus next : IncidentStatus.values()) {
      if (next != status && status.mayBecome(next)) {
        buttons.append("<form method=\"post\" action=\"/console/incidents/").append(incident.id()).append("/status\" class=\"inline\">")
            .append(Html.csrfField(viewer.csrf())).append("<input type=\"hidden\" name=\"status\" value=\"").append(next.wireName())
            .append("\"><button type=\"submit\" id=\"status-").append(next.wireName()).append("\"")
            .append(next == IncidentStatus.CLOSED ? "" : " class=\"secondary\"").append(">").append(esc(statusButton(status, next)))
            .append("</button></form>");
      }
    }
    return "<div class=\"card\" id=\"change-status\"><h2>Status</h2><p>" + esc(statusMeaning(status)) + "</p>" + buttons + "</div>";
  }

  private static String statusButton(IncidentStatus from, IncidentStatus to) {
    return switch (to) {
      case MONITORING -> from == IncidentStatus.CLOSED ? "Reopen, to monitor" : "Move to monitoring";
      case ACTIVE -> from == IncidentStatus.CLOSED ? "Reopen" : "Back to active";
      case CLOSED -> "Close the incident";
      default -> to.wireName();
    };
  }

  private static String statusMeaning(IncidentStatus status) {
    return switch (status) {
      case ACTIVE -> "Active: content is spreading, and matches are acted on as the incident's rules say.";
      case MONITORING -> "Monitoring: upload attempts have died down; the incident is watched before it is closed.";
      case CLOSED -> "Closed. Its entries go on matching; reopen it if copies resurface.";
      case PROPOSED -> "Proposed by a peer: its entries do not match until it is accepted.";
      case DECLINED -> "Declined here: nothing of it matches.";
    };
  }

  private static String hashForm(Viewer viewer, Incident incident, List<String> signalTypes, Hash entered) {
    Hash e = entered != null ? entered : new Hash("pdq", "", "");
    StringBuilder types = new StringBuilder();
    for (String type : signalTypes) {
      types.append(option(type, type, type.equals(e.type())));
    }
    return "<form method=\"post\" action=\"/console/incidents/" + incident.id() + "/entries\" class=\"card\" id=\"add-hash\">"
        + Html.csrfField(viewer.csrf()) + "<h2>Add a hash to its bank</h2>"
        + "<label>Signal type <select name=\"signal_type\">" + types + "</select></label>"
        + "<label>Value <span class=\"muted\">(pdq: 64 hex digits; md5: 32; url: the address)</span> "
        + "<input name=\"signal\" value=\"" + esc(e.value()) + "\" autocomplete=\"off\" spellcheck=\"false\"></label>"
        + "<label>Note <span class=\"muted\">(optional: where it was seen)</span> <input name=\"note\" value=\"" + esc(e.note()) + "\"></label>"
        + "<button type=\"submit\">Add to the bank</button></form>";
  }

  private static String timeline(List<TimelineEvent> events, Actors actors) {
    if (events.isEmpty()) {
      return "<section id=\"timeline\"><h2>Timeline</h2><p class=\"muted\">Nothing yet.</p></section>";
    }
    StringBuilder rows = new StringBuilder();
    for (TimelineEvent event : events) {
      TimelineWords.Line line = TimelineWords.line(event);
      rows.append("<tr data-kind=\"").append(esc(event.kind())).append("\"><td class=\"when\">").append(time(event.at(), true))
          .append("</td><td class=\"what\">").append(line.what()).append("</td><td>").append(who(event, actors))
          .append("</td><td class=\"detail\">").append(line.detail()).append("</td></tr>");
    }
    return "<section id=\"timeline\"><h2>Timeline</h2><table class=\"timeline\"><thead><tr><th>time (UTC)</th><th>what</th>"
        + "<th>who</th><th>detail</th></tr></thead><tbody>" + rows + "</tbody></table>"
        + "<p class=\"muted\">Oldest first. Hashes added or removed, first matches and variants are read from the bank and "
        + "the matches as they are now.</p></section>";
  }

  private static String who(TimelineEvent event, Actors actors) {
    if (event.actorKeyId() != null) {
      return esc(actors.name(event.actorKeyId()));
    }
    if (event.kind().equals(TimelineKind.ENTRY_ADDED.wireName()) && !event.detail().containsKey("origin")) {
      Long maker = actors.entryMakers().get(Console.signalKey(String.valueOf(event.detail().get("signal_type")),
          String.valueOf(event.detail().get("signal"))));
      if (maker != null) {
        return esc(actors.name(maker));
      }
    }
    if (event.peer() != null) {
      return "peer " + esc(event.peer());
    }
    return "<span class=\"muted\">—</span>";
  }

  static String entries(Viewer viewer, Incident incident, EntryPage page, long after, Map<Long, String> makers) {
    StringBuilder rows = new StringBuilder();
    for (Entry entry : page.items()) {
      StringBuilder signals = new StringBuilder();
      entry.signals().forEach((type, value) -> signals.append(signals.isEmpty() ? "" : "<br>").append(TimelineWords.signal(type, value)));
      rows.append("<tr data-entry-id=\"").append(entry.id()).append("\"><td>").append(entry.id()).append("</td><td>")
          .append(signals).append("</td><td>").append(Html.tags(entry.labels())).append("</td><td>").append(esc(entry.note()))
          .append("</td><td>").append(time(entry.createdAt(), false))
          .append(entry.createdBy() == null ? "" : "<div class=\"muted\">by " + esc(makers.getOrDefault(entry.createdBy(), "key "
              + entry.createdBy())) + "</div>")
          .append("</td><td>")
          .append(entry.enabled() ? "yes" : "<strong>no</strong>" + (entry.disabledReason() == null ? ""
              : "<div class=\"muted\">" + esc(entry.disabledReason()) + "</div>"))
          .append("</td></tr>");
    }
    String base = "/console/incidents/" + incident.id();
    String content = "<p class=\"back\"><a href=\"" + base + "\">← " + esc(incident.name()) + "</a></p>"
        + "<h1>Entries of " + esc(incident.name()) + "</h1>"
        + (rows.isEmpty() ? "<p class=\"muted\" id=\"no-entries\">" + (after > 0 ? "No more entries." : "No entries yet.") + "</p>"
            : "<table id=\"entries\"><thead><tr><th>entry</th><th>signals</th><th>labels</th><th>note</th><th>added (UTC)</th>"
                + "<th>enabled</th></tr></thead><tbody>" + rows + "</tbody></table>")
        + (page.nextAfter() == null ? "" : "<p><a href=\"" + base + "/entries?after=" + page.nextAfter() + "\">Next entries</a></p>");
    return Layout.page("Entries of " + incident.name(), viewer, "Incidents", content);
  }

  static String statusTag(String status) {
    return "<span class=\"status status-" + esc(status) + "\">" + esc(status) + "</span>";
  }

  /** An API time as a page shows it, UTC; the exact instant in the element. */
  static String time(String iso, boolean seconds) {
    if (iso == null) {
      return "<span class=\"muted\">—</span>";
    }
    try {
      Instant instant = Instant.parse(iso);
      return "<time datetime=\"" + esc(iso) + "\">" + (seconds ? SECONDS : MINUTES).format(instant) + "</time>";
    } catch (DateTimeParseException e) {
      return esc(iso);
    }
  }

  private static String option(String value, String text, boolean selected) {
    return "<option value=\"" + esc(value) + "\"" + (selected ? " selected" : "") + ">" + esc(text) + "</option>";
  }

  private static String capitalised(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  private static String paragraphs(String text) {
    StringBuilder out = new StringBuilder();
    for (String paragraph : text.split("\\n\\s*\\n")) {
      out.append("<p>").append(esc(paragraph.strip()).replace("\n", "<br>")).append("</p>");
    }
    return out.toString();
  }
}
