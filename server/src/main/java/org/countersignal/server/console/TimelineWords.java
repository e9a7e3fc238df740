package org.countersignal.server.console;

import static org.countersignal.server.console.Html.esc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.countersignal.server.incident.IncidentLevel;
import org.countersignal.server.incident.IncidentStatus;
import org.countersignal.server.incident.TimelineEvent;
import org.countersignal.server.incident.TimelineKind;

/**
 * An incident's timeline and facts in a coordinator's words: "Level raised from content incident
 * to CIP", "Hash added (pdq 1f3c9ab0…)", rather than the API's names. Everything returned is HTML,
 * every value in it escaped; a long signal is cut short, whole in its tooltip.
 */
final class TimelineWords {

  /** Characters of a hash shown before it is cut: enough to tell hashes apart at a glance. */
  private static final int SHORT_HASH = 8;
  /** Characters of a URL or other text shown before it is cut. */
  private static final int SHORT_TEXT = 48;

  private TimelineWords() {}

  /** One event: what happened and the facts that go with it, as two cells. */
  record Line(String what, String detail) {}

  static Line line(TimelineEvent event) {
    Map<String, Object> d = event.detail();
    TimelineKind kind;
    try {
      kind = TimelineKind.fromWire(event.kind());
    } catch (IllegalArgumentException e) {
      return new Line(esc(spaced(event.kind())), facts(d)); // a kind newer than this page: said plainly
    }
    return switch (kind) {
      case DECLARED -> new Line("Declared as " + esc(level(text(d, "level"))) + ": " + esc(spaced(text(d, "kind"))),
          "bank " + esc(text(d, "bank_id")) + ", sharing " + esc(text(d, "sharing")));
      case PROPOSED -> new Line("Proposed by " + (event.peer() == null ? "a peer" : "peer " + esc(event.peer())), facts(d));
      case ACCEPTED -> new Line("Accepted here", facts(d));
      case DECLINED -> new Line("Declined here", facts(d));
      case CHANGED -> new Line("Details changed: " + esc(String.join(", ", d.keySet().stream().map(TimelineWords::spaced).toList())),
          facts(d));
      case LEVEL_CHANGED -> new Line(levelChange(text(d, "from"), text(d, "to")), "");
      case STATUS_CHANGED -> new Line(statusChange(text(d, "from"), text(d, "to")), "");
      case CLOSED -> new Line("Closed", "");
      case ENTRY_ADDED -> new Line(signalNoun(text(d, "signal_type")) + " added (" + signal(text(d, "signal_type"), text(d, "signal")) + ")",
          d.containsKey("origin") ? "from " + esc(text(d, "origin")) : "");
      case ENTRY_REMOVED -> new Line(signalNoun(text(d, "signal_type")) + " removed (" + signal(text(d, "signal_type"), text(d, "signal"))
          + ")", d.containsKey("origin") ? "from " + esc(text(d, "origin")) : "");
      case FIRST_MATCH -> new Line("First match here", content(d));
      case FIRST_BLOCK -> new Line("First upload stopped here", content(d));
      case FIRST_MATCH_ON_PEER -> new Line("First match at " + (event.peer() == null ? "a peer" : "peer " + esc(event.peer())), facts(d));
      case VARIANT_FOUND -> new Line("Variant found at distance " + esc(text(d, "distance")),
          signal(text(d, "signal_type"), text(d, "signal")) + (d.containsKey("entry_id") ? ", near entry " + esc(text(d, "entry_id")) : ""));
      case PUBLISHER_CHANGED -> new Line("Changed by its publisher", facts(d));
    };
  }

  /** A level as the timeline says it: CIP for the Content Incident Protocol, as the field does. */
  static String level(String wire) {
    IncidentLevel level = IncidentLevel.fromWire(wire);
    if (level == null) {
      return spaced(wire);
    }
    return switch (level) {
      case INCIDENT -> "incident";
      case CONTENT_INCIDENT -> "content incident";
      case CONTENT_INCIDENT_PROTOCOL -> "CIP";
    };
  }

  /** A level in full, for the page's facts and forms. */
  static String levelInFull(IncidentLevel level) {
    return switch (level) {
      case INCIDENT -> "Incident";
      case CONTENT_INCIDENT -> "Content incident";
      case CONTENT_INCIDENT_PROTOCOL -> "Content Incident Protocol (CIP)";
    };
  }

  /** What each level is for, in a line. */
  static String levelMeaning(IncidentLevel level) {
    return switch (level) {
      case INCIDENT -> "an attack or threat to know of; no perpetrator content circulates yet";
      case CONTENT_INCIDENT -> "perpetrator content other than video of the attack: a manifesto, images";
      case CONTENT_INCIDENT_PROTOCOL -> "perpetrator video of murder or attempted murder, live or recorded";
    };
  }

  /** An API name with spaces for underscores: {@code attack_livestreamed} reads "attack livestreamed". */
  static String spaced(String wire) {
    return wire == null ? "" : wire.replace('_', ' ');
  }

  /** A signal's value cut short for a page, whole in its tooltip: {@code pdq 1f3c9ab0…}. */
  static String signal(String type, String value) {
    if (value == null) {
      return esc(type);
    }
    int keep = "url".equals(type) || "text".equals(type) ? SHORT_TEXT : SHORT_HASH;
    String shown = value.length() <= keep + 1 ? value : value.substring(0, keep) + "…";
    return esc(type) + " <code title=\"" + esc(value) + "\">" + esc(shown) + "</code>";
  }

  private static String signalNoun(String type) {
    return switch (type == null ? "" : type) {
      case "url" -> "URL";
      case "text" -> "Text";
      default -> "Hash";
    };
  }

  private static String levelChange(String from, String to) {
    IncidentLevel before = IncidentLevel.fromWire(from);
    IncidentLevel after = IncidentLevel.fromWire(to);
    String way = before == null || after == null ? "changed" : after.ordinal() > before.ordinal() ? "raised" : "lowered";
    return "Level " + way + " from " + esc(level(from)) + " to " + esc(level(to));
  }

  private static String statusChange(String from, String to) {
    IncidentStatus before = IncidentStatus.fromWire(from);
    IncidentStatus after = IncidentStatus.fromWire(to);
    if (after == IncidentStatus.MONITORING) {
      return before == IncidentStatus.CLOSED ? "Reopened, to be monitored" : "Moved to monitoring";
    }
    if (after == IncidentStatus.ACTIVE) {
      return before == IncidentStatus.CLOSED ? "Reopened" : before == IncidentStatus.PROPOSED ? "Made active" : "Active again";
    }
    return "Status changed from " + esc(spaced(from)) + " to " + esc(spaced(to));
  }

  private static String content(Map<String, Object> d) {
    return "content " + esc(text(d, "content_id")) + " (submission " + esc(text(d, "submission_id")) + ")";
  }

  /** Whatever an event carries, as "name: value" pairs: for events this page has no words of its own for. */
  private static String facts(Map<String, Object> d) {
    List<String> parts = new ArrayList<>();
    d.forEach((name, value) -> {
      String text = String.valueOf(value);
      parts.add(esc(spaced(name)) + ": " + esc(text.length() > 120 ? text.substring(0, 120) + "…" : text));
    });
    return String.join("; ", parts);
  }

  private static String text(Map<String, Object> d, String name) {
    Object value = d.get(name);
    return value == null ? null : value.toString();
  }
}
