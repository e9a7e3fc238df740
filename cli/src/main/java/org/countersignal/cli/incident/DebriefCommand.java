package org.countersignal.cli.incident;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.countersignal.cli.admin.CliException;
import org.countersignal.cli.admin.Commands;
import org.countersignal.cli.admin.ServerTarget;
import org.countersignal.server.incident.IncidentStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code incident debrief ID [--format F] [-o FILE]}: the incident's report, saved as the server draws it. */
@Command(name = "debrief", mixinStandardHelpOptions = true,
    description = {
        "Save an incident's debrief: its facts, timeline, figures per hour and per peer, what was shared and the variants"
            + " found, as the server draws it (PDF with charts, a self-contained HTML page, or JSON).",
        "A closed incident's debrief is the one kept when it was closed; one not closed yet gives a draft from what is"
            + " known now."
    })
final class DebriefCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ServerTarget target;

  @Parameters(paramLabel = "ID", description = "The incident's id.")
  String incident;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "pdf", description = "pdf (the default), html or json.")
  String format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Where to write it (default: incident-ID-debrief.FORMAT here); - writes html or json to standard output.")
  String output;

  @Override
  public Integer call() throws Exception {
    return Commands.run(spec, target, IncidentCommand.NEEDS_SERVER, server -> {
      long id = IncidentValues.id(incident);
      String wanted = format.strip().toLowerCase(Locale.ROOT);
      if (!wanted.equals("pdf") && !wanted.equals("html") && !wanted.equals("json")) {
        throw CliException.badInput("--format must be pdf, html or json, not '" + format + "'");
      }
      boolean toStandardOutput = "-".equals(output);
      if (toStandardOutput && wanted.equals("pdf")) {
        throw CliException.badInput("a PDF is written to a file: give -o FILE, or --format html or json for standard output");
      }
      JsonNode found = IncidentCommand.resolve(server, id);
      byte[] debrief = server.incidentDebrief(id, wanted);
      String standing = IncidentStatus.CLOSED.wireName().equals(found.path("status").asText())
          ? "as kept when it was closed"
          : "a draft: the incident is " + found.path("status").asText() + ", not closed";
      if (toStandardOutput) {
        spec.commandLine().getOut().print(new String(debrief, StandardCharsets.UTF_8));
        spec.commandLine().getOut().flush();
        IncidentCommand.note(spec, "incident " + id + " debrief, " + standing);
        return 0;
      }
      Path file = Path.of(output == null ? "incident-" + id + "-debrief." + wanted : output);
      try {
        Files.write(file, debrief);
      } catch (IOException e) {
        throw CliException.failed("cannot write " + file + ": " + e.getMessage());
      }
      IncidentCommand.note(spec, "wrote " + file + " (" + debrief.length + " bytes): incident " + id + " debrief, " + standing);
      return 0;
    });
  }
}
