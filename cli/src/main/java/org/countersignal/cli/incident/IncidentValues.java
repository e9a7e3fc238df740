package org.countersignal.cli.incident;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.countersignal.cli.admin.CliException;
import org.countersignal.server.bank.Sharing;
import org.countersignal.server.incident.IncidentChanges;
import org.countersignal.server.incident.IncidentKind;
import org.countersignal.server.incident.IncidentLevel;
import org.countersignal.server.incident.IncidentStatus;

/**
 * The values the incident commands take, checked before anything is sent: a mistyped level in a
 * crisis should say what the levels are at once, not after a round trip, and never reach the
 * server half-applied. The names are the server's own enums', so the two cannot drift apart.
 */
final class IncidentValues {

  /** The statuses a coordinator sets; proposed and declined come from a peer's proposal and its answer. */
  private static final Set<IncidentStatus> SETTABLE = Set.of(IncidentStatus.ACTIVE, IncidentStatus.MONITORING, IncidentStatus.CLOSED);

  private IncidentValues() {}

  static long id(String text) {
    String stripped = text.strip();
    if (!stripped.matches("\\d{1,18}")) {
      throw CliException.badInput("an incident is named by its id, a number (got '" + text + "'; `incident list` shows them)");
    }
    return Long.parseLong(stripped);
  }

  static String kind(String text) {
    return wire(text, "--kind", IncidentKind.fromWire(text), IncidentKind.values(), IncidentKind::wireName);
  }

  /** @param what how the command line gave it: --level, or LEVEL */
  static String level(String text, String what) {
    return wire(text, what, IncidentLevel.fromWire(text), IncidentLevel.values(), IncidentLevel::wireName);
  }

  /** Any status, as {@code list --status} filters by. */
  static String anyStatus(String text) {
    return wire(text, "--status", IncidentStatus.fromWire(text), IncidentStatus.values(), IncidentStatus::wireName);
  }

  /** A status a coordinator may set. */
  static String settableStatus(String text) {
    IncidentStatus status = IncidentStatus.fromWire(text);
    IncidentStatus[] settable = Arrays.stream(IncidentStatus.values()).filter(SETTABLE::contains).toArray(IncidentStatus[]::new);
    return wire(text, "STATUS", SETTABLE.contains(status) ? status : null, settable, IncidentStatus::wireName);
  }

  static String sharing(String text) {
    return wire(text, "--sharing", Sharing.fromWire(text), Sharing.values(), Sharing::wireName);
  }

  /** An ISO-8601 time with its offset, as the server takes it; sent as given. */
  static String startedAt(String text) {
    try {
      OffsetDateTime.parse(text.strip());
      return text.strip();
    } catch (DateTimeParseException e) {
      throw CliException.badInput("--started-at takes an ISO-8601 time with its offset, such as 2019-03-15T01:40:00Z (got '"
          + text + "')");
    }
  }

  static IncidentChanges levelOnly(String level) {
    return new IncidentChanges(null, null, level, null, null, null, null, null, null);
  }

  static IncidentChanges statusOnly(String status) {
    return new IncidentChanges(null, null, null, null, null, status, null, null, null);
  }

  /** {@code value}'s wire name; when {@code text} named none of {@code values}, a refusal listing them. */
  private static <E> String wire(String text, String what, E value, E[] values, Function<E, String> name) {
    if (value == null) {
      List<String> names = Arrays.stream(values).map(name).toList();
      throw CliException.badInput(what + " is one of " + String.join(", ", names) + " (got '" + text + "')");
    }
    return name.apply(value);
  }
}
