package org.countersignal.server.console;

import io.javalin.http.Context;
import java.util.ArrayList;
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
 * What the incident pages show, made ready for their templates: the list with its status filter
 * and the form that declares an incident ({@code incidents.jte}); an incident's facts, the forms
 * that change its level and status and add to its bank, its timeline and its charts
 * ({@code incident.jte}); its bank's entries ({@code incident-entries.jte}). Which forms a role
 * gets is decided here; the markup is the templates'. Times are UTC, as everywhere in the service.
 */
final class IncidentHtml {

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

  /** A choice of a select. */
  record Option(String value, String text, boolean selected) {}

  /** @param none what the page says instead of the table when no incident is listed */
  record ListPage(Viewer viewer, String message, boolean error, List<Filter> filters, List<Row> rows, String none, DeclareForm declare) {}

  /** A link of the status filter; {@code current} is the one shown. */
  record Filter(String href, String text, boolean current) {}

  /** @param region null when none was given */
  record Row(long id, String name, String kind, String level, String status, String region, ConsoleTime declared, ConsoleTime closed) {}

  record DeclareForm(String name, List<Option> kinds, List<Option> levels, List<LevelMeaning> meanings, String region, String startedAt,
      String description, List<SharingChoice> sharing) {}

  record LevelMeaning(String level, String meaning) {}

  record SharingChoice(String value, String name, String meaning, boolean checked) {}

  /**
   * An incident's page. A form is null where the viewer's role or the incident's state does not
   * allow its change; {@code proposal} is null unless a peer proposed the incident.
   */
  record DetailPage(Viewer viewer, long id, String name, String status, Proposal proposal, String message, boolean error, Facts facts,
      LevelForm levelForm, StatusForm statusForm, HashForm hashForm, List<TimelineRow> timeline, IncidentCharts charts) {
    boolean changes() {
      return levelForm != null || statusForm != null || hashForm != null;
    }
  }

  /** @param decides whether the viewer may accept or decline it */
  record Proposal(String origin, boolean decides) {}

  /**
   * @param levelMeaning null for a level this page does not know
   * @param region null when none was given
   * @param closed null while open
   * @param sharedBy who shared it, for an incident a peer declared; else null
   * @param bank null until the incident has one
   * @param description its paragraphs, each as its lines
   */
  record Facts(String kind, String level, String levelMeaning, String status, String region, ConsoleTime started, ConsoleTime declared, ConsoleTime closed,
      String sharedBy, BankFacts bank, List<List<String>> description) {}

  /**
   * @param entries how many entries, and how many of them enabled when not all are
   * @param sharingMeaning null for a sharing level this page does not know
   */
  record BankFacts(long bankId, String entries, String sharing, String sharingMeaning, List<String> labels) {}

  record LevelForm(List<Option> levels) {}

  record StatusForm(String meaning, List<StatusButton> buttons) {}

  /** A button that moves the incident to {@code status}; closing is the one that is not secondary. */
  record StatusButton(String status, String text, boolean secondary) {}

  record HashForm(List<Option> types, String value, String note) {}

  /** @param who who made the change, or null when nobody did (what the service saw) */
  record TimelineRow(String kind, ConsoleTime at, List<TimelineWords.Piece> what, String who, List<TimelineWords.Piece> detail) {}

  /**
   * @param none what the page says instead of the table when there are no entries
   * @param next the address of the next page of entries, or null on the last
   */
  record EntriesPage(Viewer viewer, long incidentId, String incidentName, List<EntryRow> rows, String none, String next) {}

  /**
   * @param signals each signal of the entry as words
   * @param by who added it, or null when no key is recorded
   */
  record EntryRow(long id, List<List<TimelineWords.Piece>> signals, List<String> labels, String note, ConsoleTime added, String by,
      boolean enabled, String disabledReason) {}

  static String list(Viewer viewer, List<Incident> incidents, String status, String message, boolean error, Declaring entered) {
    List<Row> rows = incidents.stream().map(incident -> new Row(incident.id(), incident.name(), TimelineWords.spaced(incident.kind()),
        TimelineWords.level(incident.level()), incident.status(), incident.region(), ConsoleTime.of(incident.declaredAt(), false),
        ConsoleTime.of(incident.closedAt(), false))).toList();
    List<Filter> filters = new ArrayList<>();
    filters.add(new Filter("/console/incidents", "all", status == null));
    for (IncidentStatus s : FILTERS) {
      filters.add(new Filter("/console/incidents?status=" + s.wireName(), s.wireName(), s.wireName().equals(status)));
    }
    String none = status == null ? "No incidents yet." : "No incidents " + status + ".";
    DeclareForm declare = IncidentPages.COORDINATORS.contains(viewer.role()) ? declareForm(entered) : null;
    return Templates.render("incidents", new ListPage(viewer, message, error, filters, rows, none, declare));
  }

  private static DeclareForm declareForm(Declaring entered) {
    Declaring e = entered != null ? entered : new Declaring("", "", "", "", "", "", "amber");
    List<Option> kinds = new ArrayList<>();
    for (IncidentKind kind : IncidentKind.values()) {
      kinds.add(new Option(kind.wireName(), capitalised(TimelineWords.spaced(kind.wireName())), kind.wireName().equals(e.kind())));
    }
    List<Option> levels = levelOptions(e.level());
    List<LevelMeaning> meanings = new ArrayList<>();
    for (IncidentLevel level : IncidentLevel.values()) {
      meanings.add(new LevelMeaning(TimelineWords.levelInFull(level), TimelineWords.levelMeaning(level)));
    }
    String sharing = e.sharing() == null || e.sharing().isBlank() ? "amber" : e.sharing();
    // Amber first: it is the default.
    List<SharingChoice> choices = List.of(
        new SharingChoice("amber", "Amber", SHARING.get("amber") + " (the default)", "amber".equals(sharing)),
        new SharingChoice("red", "Red", SHARING.get("red"), "red".equals(sharing)),
        new SharingChoice("green", "Green", SHARING.get("green"), "green".equals(sharing)));
    return new DeclareForm(e.name(), kinds, levels, meanings, e.region(), e.startedAt(), e.description(), choices);
  }

  static String detail(Viewer viewer, Incident incident, long[] counts, List<TimelineEvent> timeline, Actors actors,
      List<String> signalTypes, IncidentCharts charts, String message, boolean error, Hash entered) {
    IncidentStatus status = incident.state();
    boolean coordinates = IncidentPages.COORDINATORS.contains(viewer.role());
    boolean decided = status != IncidentStatus.PROPOSED && status != IncidentStatus.DECLINED;
    boolean addsEntries = IncidentPages.ENTRY_WRITERS.contains(viewer.role()) && incident.bankId() != null && !incident.received();
    // A peer's incident takes its level from its publisher.
    LevelForm levelForm = coordinates && decided && !incident.received() ? new LevelForm(levelOptions(incident.level())) : null;
    StatusForm statusForm = coordinates && decided ? statusForm(status) : null;
    HashForm hashForm = addsEntries ? hashForm(signalTypes, entered) : null;
    Proposal proposal = status == IncidentStatus.PROPOSED ? new Proposal(incident.origin(), coordinates) : null;
    List<TimelineRow> rows = timeline.stream().map(event -> {
      TimelineWords.Line line = TimelineWords.line(event);
      return new TimelineRow(event.kind(), ConsoleTime.of(event.at(), true), line.what(), who(event, actors), line.detail());
    }).toList();
    return Templates.render("incident", new DetailPage(viewer, incident.id(), incident.name(), incident.status(), proposal, message, error,
        facts(incident, counts), levelForm, statusForm, hashForm, rows, charts));
  }

  private static Facts facts(Incident incident, long[] counts) {
    IncidentLevel level = IncidentLevel.fromWire(incident.level());
    String sharedBy = incident.received()
        ? "peer " + incident.origin() + (incident.originId() == null ? "" : ", its incident " + incident.originId()) : null;
    BankFacts bank = null;
    if (incident.bankId() != null) {
      String entries = counts[0] + (counts[0] == 1 ? " entry" : " entries") + (counts[1] == counts[0] ? "" : ", " + counts[1] + " enabled");
      bank = new BankFacts(incident.bankId(), entries, incident.sharing(), SHARING.get(incident.sharing()), incident.labels());
    }
    return new Facts(capitalised(TimelineWords.spaced(incident.kind())),
        level == null ? incident.level() : TimelineWords.levelInFull(level), level == null ? null : TimelineWords.levelMeaning(level),
        incident.status(), incident.region(), ConsoleTime.of(incident.startedAt(), false), ConsoleTime.of(incident.declaredAt(), false),
        incident.closedAt() == null ? null : ConsoleTime.of(incident.closedAt(), false), sharedBy, bank, paragraphs(incident.description()));
  }

  private static List<Option> levelOptions(String chosen) {
    List<Option> levels = new ArrayList<>();
    for (IncidentLevel level : IncidentLevel.values()) {
      levels.add(new Option(level.wireName(), TimelineWords.levelInFull(level), level.wireName().equals(chosen)));
    }
    return levels;
  }

  private static StatusForm statusForm(IncidentStatus status) {
    List<StatusButton> buttons = new ArrayList<>();
    for (IncidentStatus next : IncidentStatus.values()) {
      if (next != status && status.mayBecome(next)) {
        buttons.add(new StatusButton(next.wireName(), statusButton(status, next), next != IncidentStatus.CLOSED));
      }
    }
    return new StatusForm(statusMeaning(status), buttons);
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

  private static HashForm hashForm(List<String> signalTypes, Hash entered) {
    Hash e = entered != null ? entered : new Hash("pdq", "", "");
    List<Option> types = signalTypes.stream().map(type -> new Option(type, type, type.equals(e.type()))).toList();
    return new HashForm(types, e.value(), e.note());
  }

  private static String who(TimelineEvent event, Actors actors) {
    if (event.actorKeyId() != null) {
      return actors.name(event.actorKeyId());
    }
    if (event.kind().equals(TimelineKind.ENTRY_ADDED.wireName()) && !event.detail().containsKey("origin")) {
      Long maker = actors.entryMakers().get(Console.signalKey(String.valueOf(event.detail().get("signal_type")),
          String.valueOf(event.detail().get("signal"))));
      if (maker != null) {
        return actors.name(maker);
      }
    }
    if (event.peer() != null) {
      return "peer " + event.peer();
    }
    return null;
  }

  static String entries(Viewer viewer, Incident incident, EntryPage page, long after, Map<Long, String> makers) {
    List<EntryRow> rows = new ArrayList<>();
    for (Entry entry : page.items()) {
      List<List<TimelineWords.Piece>> signals = new ArrayList<>();
      entry.signals().forEach((type, value) -> signals.add(TimelineWords.signalWords(type, value)));
      String by = entry.createdBy() == null ? null : makers.getOrDefault(entry.createdBy(), "key " + entry.createdBy());
      rows.add(new EntryRow(entry.id(), signals, entry.labels(), entry.note(), ConsoleTime.of(entry.createdAt(), false), by, entry.enabled(),
          entry.disabledReason()));
    }
    String next = page.nextAfter() == null ? null : "/console/incidents/" + incident.id() + "/entries?after=" + page.nextAfter();
    return Templates.render("incident-entries", new EntriesPage(viewer, incident.id(), incident.name(), rows,
        after > 0 ? "No more entries." : "No entries yet.", next));
  }

  private static String capitalised(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  /** A description's paragraphs (split at blank lines), each as its lines. */
  private static List<List<String>> paragraphs(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    List<List<String>> paragraphs = new ArrayList<>();
    for (String paragraph : text.split("\\n\\s*\\n")) {
      paragraphs.add(List.of(paragraph.strip().split("\n", -1)));
    }
    return paragraphs;
  }
}
