package org.countersignal.cli.incident;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.countersignal.cli.admin.CliException;
import org.countersignal.cli.admin.Commands;
import org.countersignal.cli.admin.HttpBackend;
import org.countersignal.cli.admin.ServerTarget;
import org.countersignal.server.incident.IncidentChanges;
import org.countersignal.server.incident.IncidentStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code countersignal incident ...}: crisis incidents on a running server. Each subcommand is one
 * call (or two) of {@code /api/v1/incidents}; a new route of it is a new subcommand here.
 */
@Command(
    name = "incident",
    mixinStandardHelpOptions = true,
    description = {
        "Crisis incidents: an attack or threat declared with a kind, a level and a status, and a bank of its own that holds"
            + " the hashes of its content; rules act on matches against that bank by the incident's status. On a running"
            + " server only (--server URL with --key, or $COUNTERSIGNAL_SERVER and $COUNTERSIGNAL_KEY), never --data-dir."
            + " Coordinator and admin keys declare and change incidents and add to their banks; curator and auditor keys"
            + " read them.",
        "An incident is named by its id (`incident list` shows them). list, show and timeline print text for people;"
            + " --json prints the API's JSON, one object a line.",
        "Exit codes: 0 done, 2 bad input (nothing was sent, or the server found a value invalid), 1 failed (server"
            + " unreachable, key refused, a change the incident's state does not allow)."
    },
    subcommands = {
        DeclareCommand.class,
        IncidentCommand.ListIncidents.class,
        IncidentCommand.Show.class,
        UpdateCommand.class,
        IncidentCommand.Level.class,
        IncidentCommand.Status.class,
        IncidentCommand.Close.class,
        IncidentCommand.Timeline.class,
        DebriefCommand.class,
        AddCommand.class,
        IncidentCommand.Accept.class,
        IncidentCommand.Decline.class,
    })
public final class IncidentCommand implements Runnable {

  /** Why --data-dir is refused. */
  static final String NEEDS_SERVER = "incidents are run by a running server, whose rules act on their status";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "missing subcommand: declare, list, show, update, level, status, close, timeline, debrief, add, accept or decline");
  }

  /** The incident a subcommand acts on, and whether it prints the API's JSON. */
  static final class OneIncident {
    @Parameters(paramLabel = "ID", description = "The incident's id (`incident list` shows them).")
    String incident;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    long id() {
      return IncidentValues.id(incident);
    }
  }

  /** Incident {@code id}, which must exist. */
  static JsonNode resolve(HttpBackend server, long id) {
    JsonNode incident = server.incidentById(id);
    if (incident == null) {
      throw CliException.badInput("no incident " + id + " at " + server.where() + " (`incident list` shows them)");
    }
    return incident;
  }

  /** An incident as a summary, or as the API's JSON. */
  static void print(CommandSpec spec, JsonNode incident, boolean json) {
    if (json) {
      Commands.print(spec, incident);
    } else {
      IncidentText.summary(spec.commandLine().getOut(), incident);
    }
  }

  static void note(CommandSpec spec, String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(spec.qualifiedName() + ": " + message);
    err.flush();
  }

  /**
   * Sets one of an incident's states (its level or status) and says what changed; {@code field}
   * names it in the API. Read first, so that the note can say what it was.
   */
  static int change(CommandSpec spec, HttpBackend server, long id, String field, IncidentChanges changes, boolean json) {
    String before = resolve(server, id).path(field).asText();
    JsonNode after = server.updateIncident(id, changes);
    print(spec, after, json);
    String now = after.path(field).asText();
    note(spec, "incident " + id + " " + field + ": " + (before.equals(now) ? "already " + now : before + " -> " + now));
    return 0;
  }

  /** {@code incident list [--status S]}. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Every incident, newest first, a line each: id, name, kind, level, status, region, when it was declared.")
  static final class ListIncidents implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;

    @Option(names = "--status", paramLabel = "STATUS",
        description = "Only the incidents of this status: proposed, active, monitoring, closed or declined.")
    String status;

    @Option(names = "--json", description = "The API's JSON, one incident a line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        String wanted = status == null ? null : IncidentValues.anyStatus(status);
        List<JsonNode> incidents = server.listIncidents(wanted);
        if (json) {
          incidents.forEach(incident -> Commands.print(spec, incident));
        } else if (incidents.isEmpty()) {
          note(spec, (wanted == null ? "no incidents" : "no " + wanted + " incidents") + " at " + server.where()
              + (wanted == null ? " (`incident declare` declares one)" : ""));
        } else {
          IncidentText.table(spec.commandLine().getOut(), incidents);
        }
        return 0;
      });
    }
  }

  /** {@code incident show ID}. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "An incident in full: its kind, level, status, region, times, bank (with its sharing and labels), where it"
          + " came from, and its description.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;
    @Mixin OneIncident one;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        print(spec, resolve(server, one.id()), one.json);
        return 0;
      });
    }
  }

  /** {@code incident level ID LEVEL}: {@code update ID --level LEVEL}. */
  @Command(name = "level", mixinStandardHelpOptions = true,
      description = "Raise or lower an incident's level (coordinator or admin); it goes on the timeline. Prints the incident as"
          + " `incident show` does.")
  static final class Level implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;

    @Parameters(index = "0", paramLabel = "ID", description = "The incident's id.")
    String incident;

    @Parameters(index = "1", paramLabel = "LEVEL", description = "incident, content_incident or content_incident_protocol.")
    String level;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        long id = IncidentValues.id(incident);
        String to = IncidentValues.level(level, "LEVEL");
        return change(spec, server, id, "level", IncidentValues.levelOnly(to), json);
      });
    }
  }

  /** {@code incident status ID STATUS}. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = {
          "Move an incident to another status (coordinator or admin); it goes on the timeline. Prints the incident as"
              + " `incident show` does.",
          "active: content is spreading; monitoring: upload attempts have died down; closed: over (its entries go on"
              + " matching). A closed incident may be reopened (active or monitoring)."
      })
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;

    @Parameters(index = "0", paramLabel = "ID", description = "The incident's id.")
    String incident;

    @Parameters(index = "1", paramLabel = "STATUS", description = "active, monitoring or closed.")
    String status;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        long id = IncidentValues.id(incident);
        String to = IncidentValues.settableStatus(status);
        return change(spec, server, id, "status", IncidentValues.statusOnly(to), json);
      });
    }
  }

  /** {@code incident close ID}: {@code status ID closed}. */
  @Command(name = "close", mixinStandardHelpOptions = true,
      description = "Close an incident (coordinator or admin): `incident status ID closed`. Its entries go on matching.")
  static final class Close implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;
    @Mixin OneIncident one;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        String closed = IncidentStatus.CLOSED.wireName();
        return change(spec, server, one.id(), "status", IncidentValues.statusOnly(closed), one.json);
      });
    }
  }

  /** {@code incident accept ID}. */
  @Command(name = "accept", mixinStandardHelpOptions = true,
      description = "Accepts an incident a peer shared (status proposed): its hashes are fetched from the peer at once, ahead of"
          + " other exchanges, into a bank here, and match as they arrive.")
  static final class Accept implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;
    @Mixin OneIncident one;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        print(spec, server.decideIncident(one.id(), "accept"), one.json);
        return 0;
      });
    }
  }

  /** {@code incident decline ID}. */
  @Command(name = "decline", mixinStandardHelpOptions = true,
      description = "Declines an incident a peer shared (status proposed): nothing of it is fetched or matched here.")
  static final class Decline implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;
    @Mixin OneIncident one;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        print(spec, server.decideIncident(one.id(), "decline"), one.json);
        return 0;
      });
    }
  }

  /** {@code incident timeline ID}. */
  @Command(name = "timeline", mixinStandardHelpOptions = true,
      description = "What was done to an incident and what the service saw of it, oldest first, a line each: the time, the"
          + " event, and what it says (a level or status change, a hash added to its bank, the first match, a variant found).")
  static final class Timeline implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;

    @Parameters(paramLabel = "ID", description = "The incident's id.")
    String incident;

    @Option(names = "--json", description = "The API's JSON, one event a line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        List<JsonNode> events = server.incidentTimeline(IncidentValues.id(incident));
        if (json) {
          events.forEach(event -> Commands.print(spec, event));
        } else {
          IncidentText.timeline(spec.commandLine().getOut(), events);
        }
        return 0;
      });
    }
  }
}
