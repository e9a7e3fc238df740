package org.countersignal.cli.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.countersignal.cli.admin.CliException;
import org.countersignal.cli.admin.Commands;
import org.countersignal.cli.admin.HttpBackend;
import org.countersignal.cli.admin.ServerTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code countersignal exchange ...}: the shared hash lists a running server follows into banks. */
@Command(
    name = "exchange",
    mixinStandardHelpOptions = true,
    description = {
        "Exchanges: shared hash lists (a watched folder of hash-list files, a hash-sharing service) that the server"
            + " fetches in the background into a bank of their own. On a running server only (--server URL with --key, or"
            + " $COUNTERSIGNAL_SERVER and $COUNTERSIGNAL_KEY), never --data-dir. Admin keys configure exchanges; curator"
            + " and auditor keys read them; curators also ask for fetches and send opinions; reviewers may verify signals.",
        "Credentials are never given as options (they would show in process lists and shell history): --credentials-file"
            + " FILE (a JSON object of strings, or name=value lines; refused unless readable by you only) or $"
            + Credentials.ENV + " (a JSON object). The server stores them encrypted and never shows them again.",
        "An exchange is named by its id or its name. list and show print a summary; --json prints the API's JSON, one"
            + " object a line.",
        "Exit codes: 0 done, 2 bad input, 1 failed (server unreachable, key refused, conflict, a fetch that failed)."
    },
    subcommands = {
        ExchangeCommand.Kinds.class,
        ExchangeCommand.ListExchanges.class,
        ExchangeCommand.Show.class,
        CreateCommand.class,
        UpdateCommand.class,
        ExchangeCommand.Delete.class,
        FetchCommand.class,
        ExchangeCommand.SendOpinion.class,
        ExchangeCommand.Verify.class,
    })
public final class ExchangeCommand implements Runnable {

  /** Why --data-dir is refused. */
  static final String NEEDS_SERVER = "exchanges are fetched by a running server in the background";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "missing subcommand: kinds, list, show, create, update, delete, fetch, opinion or verify");
  }

  /** The exchange {@code reference} names: an id, or else a name. */
  static JsonNode resolve(HttpBackend server, String reference) {
    String text = reference.strip();
    if (text.matches("\\d{1,18}")) {
      JsonNode exchange = server.exchangeById(Long.parseLong(text));
      if (exchange != null) {
        return exchange;
      }
    }
    for (JsonNode exchange : server.listExchanges()) {
      if (exchange.path("name").asText().equals(text)) {
        return exchange;
      }
    }
    throw CliException.badInput("no exchange '" + text + "' at " + server.where()
        + " (give an exchange id or name; `exchange list` shows them)");
  }

  /** An exchange as a summary, or as the API's JSON. */
  static void print(CommandSpec spec, JsonNode exchange, boolean json) {
    if (json) {
      Commands.print(spec, exchange);
    } else {
      ExchangeText.summary(spec.commandLine().getOut(), exchange);
    }
  }

  static void note(CommandSpec spec, String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(spec.qualifiedName() + ": " + message);
    err.flush();
  }

  /** {@code exchange kinds}. */
  @Command(name = "kinds", mixinStandardHelpOptions = true,
      description = "The kinds of exchange the server runs: the credentials each needs, whether its source takes opinions"
          + " and verifies signals.")
  static final class Kinds implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;

    @Option(names = "--json", description = "The API's JSON, one kind a line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        List<JsonNode> kinds = server.exchangeKinds();
        if (json) {
          kinds.forEach(kind -> Commands.print(spec, kind));
        } else {
          ExchangeText.kinds(spec.commandLine().getOut(), kinds);
        }
        return 0;
      });
    }
  }

  /** {@code exchange list}. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Every exchange, a line each: name, kind, bank, trust, enabled, up to date, last fetch, items fetched and"
          + " malformed, last error.")
  static final class ListExchanges implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;

    @Option(names = "--json", description = "The API's JSON, one exchange a line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        List<JsonNode> exchanges = server.listExchanges();
        if (json) {
          exchanges.forEach(exchange -> Commands.print(spec, exchange));
        } else if (exchanges.isEmpty()) {
          note(spec, "no exchanges at " + server.where() + " (`exchange create` makes one)");
        } else {
          ExchangeText.table(spec.commandLine().getOut(), exchanges);
        }
        return 0;
      });
    }
  }

  /** {@code exchange show ID|NAME}. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "An exchange: its settings (never its credentials, only which are set) and how its fetching stands.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;

    @Parameters(paramLabel = "ID|NAME", description = "The exchange's id or name.")
    String exchange;

    @Option(names = "--json", description = "The API's JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        print(spec, resolve(server, exchange), json);
        return 0;
      });
    }
  }

  /** {@code exchange delete ID|NAME}. */
  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete an exchange: it is fetched no more. Its bank and entries stay, as a local bank.")
  static final class Delete implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;

    @Parameters(paramLabel = "ID|NAME", description = "The exchange's id or name.")
    String exchange;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        JsonNode deleted = resolve(server, exchange);
        server.deleteExchange(deleted.path("id").asLong());
        note(spec, "exchange " + deleted.path("id").asText() + " (" + deleted.path("name").asText() + ") deleted; its bank '"
            + deleted.path("bank_name").asText() + "' and its entries stay, as a local bank");
        return 0;
      });
    }
  }

  /** {@code exchange opinion ID|NAME --signal-type T --signal S --opinion O}. */
  @Command(name = "opinion", mixinStandardHelpOptions = true,
      description = "Tell an exchange's source what we hold of one of its signals (for kinds that take opinions; see `exchange kinds`).")
  static final class SendOpinion implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;

    @Parameters(paramLabel = "ID|NAME", description = "The exchange's id or name.")
    String exchange;

    @Option(names = "--signal-type", required = true, paramLabel = "TYPE", description = "The signal's type in our names, e.g. pdq.")
    String signalType;

    @Option(names = "--signal", required = true, paramLabel = "SIGNAL", description = "The signal, e.g. a PDQ hash in hex.")
    String signal;

    @Option(names = "--opinion", required = true, paramLabel = "OPINION",
        description = "positive_class (it is such content), negative_class (a false positive), investigation_seed (worth a"
            + " look) or saw_this_too (seen on our platform too).")
    String opinion;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        JsonNode to = resolve(server, exchange);
        server.reportOpinion(to.path("id").asLong(), signalType, signal, opinion);
        note(spec, "opinion " + opinion.strip() + " sent to the source of exchange '" + to.path("name").asText() + "'");
        return 0;
      });
    }
  }

  /** {@code exchange verify ID|NAME --signal TYPE=VALUE ...}. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Ask an exchange's source whether signals are of content it has verified (for kinds that verify; see"
          + " `exchange kinds`): a line a signal, in the order given.")
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;

    @Parameters(paramLabel = "ID|NAME", description = "The exchange's id or name (with a reviewer key, which cannot read"
        + " exchanges, its id).")
    String exchange;

    @Option(names = "--signal", required = true, paramLabel = "TYPE=VALUE",
        description = "A signal, e.g. pdq=f8f8f0ce... (repeatable, up to 100).")
    List<String> signals;

    @Option(names = "--json", description = "The API's JSON, one verdict a line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        List<Map<String, String>> asked = new ArrayList<>();
        for (String signal : signals) {
          int equals = signal.indexOf('=');
          if (equals <= 0 || equals == signal.length() - 1) {
            throw CliException.badInput("--signal takes TYPE=VALUE, e.g. pdq=f8f8f0ce... (got '" + signal + "')");
          }
          asked.add(Map.of("signal_type", signal.substring(0, equals).strip(), "signal", signal.substring(equals + 1).strip()));
        }
        // An id is taken as it is, without a lookup: reviewer keys may verify but not read exchanges.
        String reference = exchange.strip();
        long id = reference.matches("\\d{1,18}") ? Long.parseLong(reference) : resolve(server, reference).path("id").asLong();
        List<JsonNode> verdicts = server.verify(id, asked);
        if (json) {
          verdicts.forEach(verdict -> Commands.print(spec, verdict));
        } else {
          ExchangeText.verdicts(spec.commandLine().getOut(), verdicts);
        }
        return 0;
      });
    }
  }
}
