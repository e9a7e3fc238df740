package org.countersignal.server.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.countersignal.server.incident.IncidentLevel;
import org.countersignal.server.incident.IncidentStatus;
import org.countersignal.server.incident.TimelineEvent;
import org.countersignal.server.incident.TimelineKind;

/**
 * An incident's timeline and facts in a coordinator's words: "Level raised from content incident
 * to CIP", "Hash added (pdq 1f3c9ab0…)", rather than the API's names. Words are plain text, which
 * {@code incident-words.jte} shows; a long signal is cut short, whole in its tooltip.
 */
final class TimelineWords {

  /** Characters of a hash shown before it is cut: enough to tell hashes apart at a glance. */
  private static final int SHORT_HASH = 8;
  /** Characters of a URL or other text shown before it is cut. */
  private static final int SHORT_TEXT = 48;

  private TimelineWords() {}

  /** A run of words: plain text, or, where {@code whole} is set, a signal cut short to {@code text}. */
  record Piece(String text, String whole) {
    static Piece plain(String text) {
      return new Piece(Objects.requireNonNullElse(text, ""), null);
    }
  }

  /** One event: what happened and the facts that go with it, as two cells. */
  record Line(List<Piece> what, List<Piece> detail) {}

  static Line line(TimelineEvent event) {
    Map<String, Object> d = event.detail();
    TimelineKind kind;
    try {
      kind = TimelineKind.fromWire(event.kind());
    } catch (IllegalArgumentException e) {
      return new Line(said(spaced(event.kind())), said(facts(d))); // a kind newer than this page: said plainly
    }
    return switch (kind) {
      case DECLARED -> new Line(said("Declared as " + level(text(d, "level")) + ": " + spaced(text(d, "kind"))),
          said("bank " + plain(text(d, "bank_id")) + ", sharing " + plain(text(d, "sharing"))));
      case PROPOSED -> new Line(said("Proposed by " + (event.peer() == null ? "a peer" : "peer " + event.peer())), said(facts(d)));
      case ACCEPTED -> new Line(said("Accepted here"), said(facts(d)));
      case DECLINED -> new Line(said("Declined here"), said(facts(d)));
      case CHANGED -> new Line(said("Details changed: " + String.join(", ", d.keySet().stream().map(TimelineWords::spaced).toList())),
          said(facts(d)));
      case LEVEL_CHANGED -> new Line(said(levelChange(text(d, "from"), text(d, "to"))), List.of());
      case STATUS_CHANGED -> new Line(said(statusChange(text(d, "from"), text(d, "to"))), List.of());
      case CLOSED -> new Line(said("Closed"), List.of());
      case ENTRY_ADDED -> new Line(entryChange(d, " added ("), origin(d));
      case ENTRY_REMOVED -> new Line(entryChange(d, " removed ("), origin(d));
      case FIRST_MATCH -> new Line(said("First match here"), said(content(d)));
      case FIRST_BLOCK -> new Line(said("First upload stopped here"), said(content(d)));
      case FIRST_MATCH_ON_PEER -> new Line(said("First match at " + (event.peer() == null ? "a peer" : "peer " + event.peer())),
          said(facts(d)));
      case VARIANT_FOUND -> {
        List<Piece> detail = new ArrayList<>(signalWords(text(d, "signal_type"), text(d, "signal")));
        if (d.containsKey("entry_id")) {
          detail.add(Piece.plain(", near entry " + plain(text(d, "entry_id"))));
        }
        yield new Line(said("Variant found at distance " + plain(text(d, "distance"))), detail);
      }
      case PUBLISHER_CHANGED -> new Line(said("Changed by its publisher"), said(facts(d)));
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

  /** A signal's type and its value cut short for a page, {@code pdq 1f3c9ab0…}, the whole value kept for its tooltip. */
  static List<Piece> signalWords(String type, String value) {
    if (value == null) {
      return said(type);
    }
    int keep = "url".equals(type) || "text".equals(type) ? SHORT_TEXT : SHORT_HASH;
    String shown = value.length() <= keep + 1 ? value : value.substring(0, keep) + "…";
    return List.of(Piece.plain(plain(type) + " "), new Piece(shown, value));
  }

  private static List<Piece> said(String text) {
    return List.of(Piece.plain(text));
  }

  private static List<Piece> entryChange(Map<String, Object> d, String change) {
    List<Piece> what = new ArrayList<>();
    what.add(Piece.plain(signalNoun(text(d, "signal_type")) + change));
    what.addAll(signalWords(text(d, "signal_type"), text(d, "signal")));
    what.add(Piece.plain(")"));
    return what;
  }

  private static List<Piece> origin(Map<String, Object> d) {
    return d.containsKey("origin") ? said("from " + plain(text(d, "origin"))) : List.of();
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
    return "Level " + way + " from " + level(from) + " to " + level(to);
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
    return "Status changed from " + spaced(from) + " to " + spaced(to);
  }

  private static String content(Map<String, Object> d) {
    return "content " + plain(text(d, "content_id")) + " (submission " + plain(text(d, "submission_id")) + ")";
  }

  /** Whatever an event carries, as "name: value" pairs: for events this page has no words of its own for. */
  private static String facts(Map<String, Object> d) {
    List<String> parts = new ArrayList<>();
    d.forEach((name, value) -> {
      String text = String.valueOf(value);
      parts.add(spaced(name) + ": " + (text.length() > 120 ? text.substring(0, 120) + "…" : text));
    });
    return String.join("; ", parts);
  }

  private static String text(Map<String, Object> d, String name) {
    Object value = d.get(name);
    return value == null ? null : value.toString();
  }

  /** A value that may be missing, as the page shows it: a missing one is left out, not written "null". */
  private static String plain(String text) {
    return text == null ? "" : text;
  }
}
