package org.countersignal.cli.exchange;

import java.util.Map;
import java.util.concurrent.Callable;
import org.countersignal.cli.admin.Commands;
import org.countersignal.cli.admin.ServerTarget;
import org.countersignal.server.exchange.ExchangeChanges;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code exchange create NAME --kind K ...}: prints the new exchange. */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = {
        "Make an exchange (admin). It fills a bank of its own, made if there is none of that name; its first fetch starts"
            + " at once. Prints it as `exchange show` does.",
        "Credentials come from --credentials-file, or else from $" + Credentials.ENV + " (a JSON object) when it is set;"
            + " `exchange kinds` says which a kind needs."
    })
final class CreateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ServerTarget target;
  @Mixin SettingOptions settings;

  @Parameters(paramLabel = "NAME", description = "The exchange's name (unique).")
  String name;

  @Option(names = "--kind", required = true, paramLabel = "KIND", description = "The kind of exchange, e.g. folder (`exchange kinds` lists them).")
  String kind;

  @Option(names = "--bank", paramLabel = "BANK",
      description = "The bank it fills (default: named after the exchange); made if there is none, and an existing one must be empty.")
  String bank;

  @Option(names = "--disabled", description = "Make it disabled: it fetches nothing until enabled.")
  boolean disabled;

  @Option(names = "--json", description = "Print the API's JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    return Commands.run(spec, target, ExchangeCommand.NEEDS_SERVER, server -> {
      Map<String, String> credentials = settings.credentials(spec.commandLine().getErr());
      if (credentials == null) {
        credentials = Credentials.fromEnvironment();
        if (credentials != null) {
          ExchangeCommand.note(spec, "credentials from $" + Credentials.ENV + ": " + String.join(", ", credentials.keySet()));
        }
      }
      ExchangeChanges exchange = new ExchangeChanges(name, kind, settings.config(), credentials, bank, settings.labelMap,
          settings.labels, settings.trust, disabled ? false : null, settings.interval, null, settings.incidents);
      ExchangeCommand.print(spec, server.createExchange(exchange), json);
      return 0;
    });
  }
}
