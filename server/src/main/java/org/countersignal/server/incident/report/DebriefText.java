package org.countersignal.server.incident.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.countersignal.server.incident.Incident;
import org.countersignal.server.incident.TimelineEvent;

/** The words of a debrief, the same in its HTML and its PDF: facts, figures and events as a coordinator reads them. */
final class DebriefText {

  /** The most rows a rendered list (timeline, entries shared, variants) shows; the JSON debrief has them all. */
  static final int MAX_ROWS = 1_000;

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private DebriefText() {}

  record Line(String label, String value) {}

  static String title(Debrief debrief) {
    return "Incident " + debrief.incident().id() + ": " + debrief.incident().name();
  }

  /** What the report is, for its top: kept at the closing, or a draft that will change. */
  static String standing(Debrief debrief) {
    if (debrief.draft()) {
      return "DRAFT: the incident is " + debrief.incident().status() + "; these figures run to " + time(debrief.madeAt())
          + " and will change. The debrief is kept when the incident is closed.";
    }
    return "Made when the incident was closed, " + time(debrief.madeAt()) + ".";
  }

  static List<Line> facts(Debrief debrief) {
    Incident incident = debrief.incident();
    List<Line> lines = new ArrayList<>();
    lines.add(new Line("Name", incident.name()));
    lines.add(new Line("Kind", words(incident.kind())));
    lines.add(new Line("Level", words(incident.level())));
    lines.add(new Line("Status", incident.status()));
    if (incident.region() != null) {
      lines.add(new Line("Region", incident.region()));
    }
    lines.add(new Line("Started", time(incident.startedAt())));
    lines.add(new Line("Declared", time(incident.declaredAt())));
    lines.add(new Line("Closed", incident.closedAt() == null ? "not closed" : time(incident.closedAt())));
    if (incident.origin() != null) {
      lines.add(new Line("Declared by", "peer instance " + incident.origin() + " (its incident " + incident.originId() + ")"));
    }
    lines.add(new Line("Bank", incident.bankId() == null ? "none (not accepted)" : "bank " + incident.bankId() + ", sharing "
        + incident.sharing() + ": " + sharing(incident.sharing())));
    if (incident.labels() != null && !incident.labels().isEmpty()) {
      lines.add(new Line("Labels", String.join(", ", incident.labels())));
    }
    return lines;
  }

  static List<Line> summary(Debrief debrief) {
    IncidentFigures figures = debrief.figures();
    List<Line> lines = new ArrayList<>();
    lines.add(new Line("Counted", "from " + time(figures.from()) + " to " + time(figures.to()) + ", per " + figures.bucket()));
    lines.add(new Line("Matches here", Long.toString(figures.matches())));
    lines.add(new Line("Uploads stopped", Long.toString(figures.uploadsStopped())));
    lines.add(new Line("Matches peers reported", figures.peerMatches() + " from " + figures.peers().size()
        + (figures.peers().size() == 1 ? " peer" : " peers")));
    lines.add(new Line("First match here", figures.firstMatchAt() == null ? "none" : time(figures.firstMatchAt())));
    lines.add(new Line("First upload stopped", figures.firstBlockAt() == null ? "none" : time(figures.firstBlockAt())));
    lines.add(new Line("Declaration to first block", figures.secondsToFirstBlock() == null ? "no upload was stopped"
        : figures.secondsToFirstBlock() < 60 ? duration(figures.secondsToFirstBlock())
            : duration(figures.secondsToFirstBlock()) + " (" + figures.secondsToFirstBlock() + " s)"));
    lines.add(new Line("Variants found", Long.toString(figures.variants())));
    lines.add(new Line("Entries in the bank", figures.entries() + (figures.entriesBySignalType().isEmpty() ? ""
        : " (" + figures.entriesBySignalType().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", ")) + ")")));
    return lines;
  }

  static String sharing(String level) {
    if (level == null) {
      return "";
    }
    return switch (level) {
      case "red" -> "kept on this instance";
      case "amber" -> "sent to the named peers of its feeds";
      case "green" -> "sent to peers, who may pass it to their own";
      case "clear" -> "sent to anyone";
      default -> level;
    };
  }

  /** The start of a span as its column shows it. */
  static String span(String start, String bucket) {
    Instant at = Instant.parse(start);
    return switch (bucket) {
      case "hour" -> MINUTE.format(at);
      case "day" -> DAY.format(at);
      default -> "week of " + DAY.format(at);
    };
  }

  static String spanHeading(String bucket) {
    return switch (bucket) {
      case "hour" -> "Hour starting (UTC)";
      case "day" -> "Day (UTC)";
      default -> "Week (UTC)";
    };
  }

  static String time(String iso) {
    return iso == null ? "" : TIME.format(Instant.parse(iso)) + " UTC";
  }

  /** A time without its zone, for columns headed UTC. */
  static String shortTime(String iso) {
    return iso == null ? "" : TIME.format(Instant.parse(iso));
  }

  static String duration(long seconds) {
    if (seconds < 60) {
      return seconds + " s";
    }
    long minutes = seconds / 60;
    if (minutes < 60) {
      return minutes + " min " + (seconds % 60) + " s";
    }
    long hours = minutes / 60;
    if (hours < 48) {
      return hours + " h " + (minutes % 60) + " min";
    }
    return (hours / 24) + " d " + (hours % 24) + " h";
  }

  /** {@code attack_livestreamed} as "attack livestreamed". */
  static String words(String wire) {
    return wire == null ? "" : wire.replace('_', ' ');
  }

  static String event(TimelineEvent event) {
    String words = words(event.kind());
    return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }

  /** Who did it: a key, a peer, the service (what it saw of matches), or nobody named (a bank's change records no key; the audit log has it). */
  static String who(TimelineEvent event) {
    if (event.peer() != null) {
      return "peer " + event.peer();
    }
    if (event.actorKeyId() != null) {
      return "key " + event.actorKeyId();
    }
    return event.kind().startsWith("entry_") ? "" : "service";
  }

  /** An event's detail as "name: value" pairs. */
  static String detail(TimelineEvent event) {
    if (event.detail() == null || event.detail().isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Object> part : event.detail().entrySet()) {
      parts.add(words(part.getKey()) + ": " + part.getValue());
    }
    return String.join("; ", parts);
  }

  /** A span's peers and their counts: "hub-eu 7, platform-b 2". */
  static String peerList(Map<String, Long> peers) {
    StringBuilder out = new StringBuilder();
    peers.forEach((peer, n) -> out.append(out.isEmpty() ? "" : ", ").append(peer).append(' ').append(n));
    return out.toString();
  }

  static String origin(String origin) {
    return origin == null ? "added here" : origin;
  }
}
