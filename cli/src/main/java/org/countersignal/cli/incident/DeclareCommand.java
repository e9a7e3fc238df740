package org.countersignal.cli.incident;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.Callable;
import org.countersignal.cli.admin.Commands;
import org.countersignal.cli.admin.ServerTarget;
import org.countersignal.server.incident.IncidentChanges;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code incident declare NAME --kind K --level L ...}: prints the new incident, with its bank. */
@Command(name = "declare", mixinStandardHelpOptions = true,
    description = {
        "Declare an incident (coordinator or admin): it is active from now, with a bank of its own for its hashes"
            + " (`incident add`). Prints it as `incident show` does, with its bank's id.",
        "kind: attack_livestreamed, perpetrator_content, manifesto or threat_to_life. level, lowest first: incident (members"
            + " should know; no perpetrator content yet), content_incident (perpetrator content other than video of the"
            + " attack), content_incident_protocol (perpetrator video of murder or attempted murder)."
    })
final class DeclareCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ServerTarget target;

  @Parameters(paramLabel = "NAME", description = "What the incident is called, e.g. the place and date of the attack.")
  String name;

  @Option(names = "--kind", required = true, paramLabel = "KIND",
      description = "attack_livestreamed, perpetrator_content, manifesto or threat_to_life.")
  String kind;

  @Option(names = "--level", required = true, paramLabel = "LEVEL",
      description = "incident, content_incident or content_incident_protocol.")
  String level;

  @Option(names = "--region", paramLabel = "REGION", description = "Where it happened.")
  String region;

  @Option(names = "--started-at", paramLabel = "TIME",
      description = "When it began, ISO-8601 with an offset, e.g. 2019-03-15T01:40:00Z (default: now).")
  String startedAt;

  @Option(names = "--description", paramLabel = "TEXT", description = "What is known of it.")
  String description;

  @Option(names = "--sharing", paramLabel = "red|amber|green|clear",
      description = "How far its bank's entries travel to peers: red stays here; amber (the default) goes to the named peers"
          + " of a feed; green on to their peers; clear to anyone.")
  String sharing;

  @Option(names = "--label", paramLabel = "LABEL", description = "A taxonomy label of its bank (repeatable).")
  List<String> labels;

  @Option(names = "--json", description = "Print the API's JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    return Commands.run(spec, target, IncidentCommand.NEEDS_SERVER, server -> {
      IncidentChanges incident = new IncidentChanges(name, IncidentValues.kind(kind), IncidentValues.level(level, "--level"), region,
          description, null, startedAt == null ? null : IncidentValues.startedAt(startedAt),
          sharing == null ? null : IncidentValues.sharing(sharing), labels);
      JsonNode declared = server.declareIncident(incident);
      IncidentCommand.print(spec, declared, json);
      spec.commandLine().getOut().flush();
      String id = declared.path("id").asText();
      IncidentCommand.note(spec, "incident " + id + " declared, with bank " + declared.path("bank_id").asText()
          + "; add its hashes with `countersignal incident add " + id + " --signal pdq=HASH` or `--file PATH`");
      return 0;
    });
  }
}
