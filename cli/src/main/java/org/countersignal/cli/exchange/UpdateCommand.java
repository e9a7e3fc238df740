package org.countersignal.cli.exchange;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.countersignal.cli.admin.CliException;
import org.countersignal.cli.admin.Commands;
import org.countersignal.cli.admin.ServerTarget;
import org.countersignal.server.exchange.ExchangeChanges;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code exchange update ID|NAME ...}: changes what the options give; prints the exchange. */
@Command(name = "update", mixinStandardHelpOptions = true,
    description = {
        "Change an exchange (admin); what no option gives stays as it is. Prints it as `exchange show` does.",
        "A new --config points at a new timeline: the next fetch takes everything from the start (at once), and entries"
            + " the source no longer has are removed when it completes. The kind and the bank never change.",
        "Credentials are replaced only when asked: --credentials-file, or --credentials-from-env (a $" + Credentials.ENV
            + " left set in the shell must not replace an exchange's credentials unasked)."
    })
final class UpdateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ServerTarget target;
  @Mixin SettingOptions settings;

  @Parameters(paramLabel = "ID|NAME", description = "The exchange's id or name.")
  String exchange;

  @Option(names = "--name", paramLabel = "NAME", description = "A new name.")
  String newName;

  @Option(names = "--enable", description = "Fetch again (at once).")
  boolean enable;

  @Option(names = "--disable", description = "Fetch no more until enabled; its entries still match (see --entries).")
  boolean disable;

  @Option(names = "--entries", paramLabel = "on|off",
      description = "off switches every entry of the exchange off at once (its bank is disabled, matching nothing); on, back.")
  String entries;

  @Option(names = "--clear-map", description = "Empty the label map (every source tag is then kept as an entity tag).")
  boolean clearMap;

  @Option(names = "--clear-labels", description = "Remove the labels every entry gets.")
  boolean clearLabels;

  @Option(names = "--credentials-from-env", description = "Replace the credentials with those in $" + Credentials.ENV + ".")
  boolean credentialsFromEnv;

  @Option(names = "--json", description = "Print the API's JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    return Commands.run(spec, target, ExchangeCommand.NEEDS_SERVER, server -> {
      ExchangeChanges changes = changes();
      long id = ExchangeCommand.resolve(server, exchange).path("id").asLong();
      ExchangeCommand.print(spec, server.updateExchange(id, changes), json);
      return 0;
    });
  }

  private ExchangeChanges changes() {
    if (enable && disable) {
      throw CliException.badInput("give --enable or --disable, not both");
    }
    if (clearMap && settings.labelMap != null) {
      throw CliException.badInput("give --map or --clear-map, not both");
    }
    if (clearLabels && settings.labels != null) {
      throw CliException.badInput("give --label or --clear-labels, not both");
    }
    if (credentialsFromEnv && settings.credentialsFile != null) {
      throw CliException.badInput("give --credentials-file or --credentials-from-env, not both");
    }
    if (!settings.any() && newName == null && !enable && !disable && entries == null && !clearMap && !clearLabels
        && !credentialsFromEnv) {
      throw CliException.badInput("nothing to change: give the settings to change (`exchange update --help` lists them)");
    }
    Map<String, String> credentials = settings.credentials(spec.commandLine().getErr());
    if (credentialsFromEnv) {
      credentials = Credentials.fromEnvironment();
      if (credentials == null) {
        throw CliException.badInput("--credentials-from-env: $" + Credentials.ENV + " is not set");
      }
    }
    return new ExchangeChanges(newName, null, settings.config(), credentials, null,
        clearMap ? Map.of() : settings.labelMap, clearLabels ? List.of() : settings.labels, settings.trust,
        enable ? Boolean.TRUE : disable ? Boolean.FALSE : null, settings.interval, entries(), settings.incidents);
  }

  private Boolean entries() {
    if (entries == null) {
      return null;
    }
    return switch (entries.strip().toLowerCase(Locale.ROOT)) {
      case "on" -> true;
      case "off" -> false;
      default -> throw CliException.badInput("--entries takes on or off (got '" + entries + "')");
    };
  }
}
