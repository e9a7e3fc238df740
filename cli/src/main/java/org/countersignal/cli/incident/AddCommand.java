package org.countersignal.cli.incident;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.countersignal.cli.admin.CliException;
import org.countersignal.cli.admin.Commands;
import org.countersignal.cli.admin.HttpBackend;
import org.countersignal.cli.admin.ServerTarget;
import org.countersignal.server.bank.NewEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code incident add ID --signal TYPE=VALUE ... --file PATH ...}: adds entries to the incident's
 * bank. The signals given make one entry, as they are the signals of one piece of content (its
 * PDQ hash and its MD5, say); each file makes another, hashed by the server. Everything is
 * checked before the first request, so a typo in the last option adds nothing.
 */
@Command(name = "add", mixinStandardHelpOptions = true,
    description = {
        "Add content to an incident's bank (coordinator or admin), so that copies of it match: hashes computed elsewhere"
            + " (--signal), or files the server hashes itself (--file: an image, a video, a document or a text). Prints"
            + " a line for each entry added; each also goes on the incident's timeline.",
        "The --signal options together make one entry, the signals of one piece of content (e.g. --signal pdq=HASH"
            + " --signal md5=HASH); run add again for another. Each --file makes an entry of its own; a video is hashed in"
            + " the background (its job id is printed) and its entry added when that is done."
    })
final class AddCommand implements Callable<Integer> {

  // A text's signal runs to kilobytes: a line shows its start, --json the whole.
  private static final int SHOWN_CHARS = 64;

  @Spec CommandSpec spec;
  @Mixin ServerTarget target;

  @Parameters(paramLabel = "ID", description = "The incident's id.")
  String incident;

  @Option(names = "--signal", paramLabel = "TYPE=VALUE",
      description = "A signal of the content, e.g. pdq=f8f8f0ce... (repeatable, one of each type).")
  List<String> signals = new ArrayList<>();

  @Option(names = "--file", paramLabel = "PATH", description = "A file to upload and hash (repeatable).")
  List<Path> files = new ArrayList<>();

  @Option(names = "--note", paramLabel = "TEXT", description = "A note on every entry added, e.g. where the content was found.")
  String note;

  @Option(names = "--json", description = "The API's JSON: each entry added (or video job), one a line.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    return Commands.run(spec, target, IncidentCommand.NEEDS_SERVER, server -> {
      long id = IncidentValues.id(incident);
      if (signals.isEmpty() && files.isEmpty()) {
        throw CliException.badInput("nothing to add: give --signal TYPE=VALUE (e.g. pdq=f8f8f0ce...) and/or --file PATH");
      }
      Map<String, String> entry = signals();
      for (Path file : files) {
        if (!Files.isRegularFile(file)) {
          throw CliException.badInput(Files.isDirectory(file) ? file + " is a folder; give a file" : "no file " + file);
        }
        if (!Files.isReadable(file)) {
          throw CliException.badInput("cannot read " + file);
        }
      }
      long bank = bankOf(server, id);
      PrintWriter out = spec.commandLine().getOut();
      if (!entry.isEmpty()) {
        JsonNode added = server.addEntry(bank, new NewEntry(entry, null, null, note, null));
        print(out, added, null);
      }
      for (Path file : files) {
        HttpBackend.Uploaded uploaded = server.uploadEntry(bank, file, note);
        if (json) {
          Commands.print(spec, uploaded.json());
        } else if (uploaded.queued()) {
          out.println("job " + uploaded.json().path("id").asText() + " (" + file + "): a video, hashed in the background;"
              + " its entry is added when that is done");
        } else {
          print(out, uploaded.json(), file);
        }
        // What was added stays added if a later file is refused: say so as it happens.
        out.flush();
      }
      return 0;
    });
  }

  /** The entry of the --signal options, type to value, in the order given. */
  private Map<String, String> signals() {
    Map<String, String> entry = new LinkedHashMap<>();
    for (String signal : signals) {
      int equals = signal.indexOf('=');
      if (equals <= 0 || equals == signal.length() - 1) {
        throw CliException.badInput("--signal takes TYPE=VALUE, e.g. pdq=f8f8f0ce... (got '" + signal + "')");
      }
      String type = signal.substring(0, equals).strip();
      if (entry.put(type, signal.substring(equals + 1).strip()) != null) {
        throw CliException.badInput("--signal " + type + " is given twice: the signals given make one entry, of one piece of"
            + " content; run add again for another");
      }
    }
    return entry;
  }

  /** The bank of incident {@code id}; an incident a peer proposed has none until accepted here. */
  private static long bankOf(HttpBackend server, long id) {
    JsonNode incident = IncidentCommand.resolve(server, id);
    JsonNode bank = incident.path("bank_id");
    if (!bank.canConvertToLong()) {
      throw CliException.failed("incident " + id + " is " + incident.path("status").asText() + " and has no bank yet: it gets one"
          + " when accepted here");
    }
    return bank.asLong();
  }

  private void print(PrintWriter out, JsonNode entry, Path file) {
    if (json) {
      Commands.print(spec, entry);
      return;
    }
    List<String> shown = new ArrayList<>();
    for (Map.Entry<String, JsonNode> signal : entry.path("signals").properties()) {
      String value = signal.getValue().asText();
      shown.add(signal.getKey() + "=" + (value.length() > SHOWN_CHARS ? value.substring(0, SHOWN_CHARS) + "…" : value));
    }
    out.println("entry " + entry.path("id").asText() + (file == null ? "" : " (" + file + ")") + ": " + String.join(", ", shown));
  }
}
