package org.countersignal.cli.incident;

import java.util.concurrent.Callable;
import org.countersignal.cli.admin.CliException;
import org.countersignal.cli.admin.Commands;
import org.countersignal.cli.admin.ServerTarget;
import org.countersignal.server.incident.IncidentChanges;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code incident update ID ...}: changes what the options give; prints the incident. */
@Command(name = "update", mixinStandardHelpOptions = true,
    description = {
        "Change an incident (coordinator or admin); what no option gives stays as it is. A level change and every other"
            + " change go on the timeline. Prints it as `incident show` does.",
        "The status has its own commands (`incident status`, `incident close`). The sharing and labels given when it"
            + " was declared are its bank's, changed there (PATCH /api/v1/banks/{id}, or the console). An incident a peer"
            + " shared keeps what its publisher says of it."
    })
final class UpdateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ServerTarget target;

  @Parameters(paramLabel = "ID", description = "The incident's id.")
  String incident;

  @Option(names = "--name", paramLabel = "NAME", description = "A new name.")
  String name;

  @Option(names = "--kind", paramLabel = "KIND", description = "attack_livestreamed, perpetrator_content, manifesto or threat_to_life.")
  String kind;

  @Option(names = "--level", paramLabel = "LEVEL", description = "incident, content_incident or content_incident_protocol.")
  String level;

  @Option(names = "--region", paramLabel = "REGION", description = "Where it happened (\"\" removes it).")
  String region;

  @Option(names = "--description", paramLabel = "TEXT", description = "What is known of it (replaces the description).")
  String description;

  @Option(names = "--started-at", paramLabel = "TIME", description = "When it began, ISO-8601 with an offset, e.g. 2019-03-15T01:40:00Z.")
  String startedAt;

  @Option(names = "--json", description = "Print the API's JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    return Commands.run(spec, target, IncidentCommand.NEEDS_SERVER, server -> {
      long id = IncidentValues.id(incident);
      if (name == null && kind == null && level == null && region == null && description == null && startedAt == null) {
        throw CliException.badInput("nothing to change: give --name, --kind, --level, --region, --description or --started-at");
      }
      IncidentChanges changes = new IncidentChanges(name, kind == null ? null : IncidentValues.kind(kind),
          level == null ? null : IncidentValues.level(level, "--level"), region, description, null,
          startedAt == null ? null : IncidentValues.startedAt(startedAt), null, null);
      IncidentCommand.print(spec, server.updateIncident(id, changes), json);
      return 0;
    });
  }
}
