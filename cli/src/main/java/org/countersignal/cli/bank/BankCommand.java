package org.countersignal.cli.bank;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.countersignal.cli.admin.Commands;
import org.countersignal.cli.admin.Target;
import org.countersignal.server.bank.BankChanges;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code countersignal bank create|list|import|export}: banks, on a server or a data directory. */
@Command(
    name = "bank",
    mixinStandardHelpOptions = true,
    description = {
        "Banks and their entries, on a running server (--server URL with --key, or $COUNTERSIGNAL_SERVER and"
            + " $COUNTERSIGNAL_KEY; an admin or curator key) or directly on a data directory (--data-dir DIR) while no"
            + " server runs on it. Changes made with --data-dir are audited with actor key id 0 (no key).",
        "Exit codes: 0 done, 2 bad input, 1 failed (server unreachable, key refused, conflict)."
    },
    subcommands = {BankCommand.Create.class, BankCommand.ListBanks.class, ImportCommand.class, ExportCommand.class})
public final class BankCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: create, list, import or export");
  }

  /** {@code bank create NAME}: prints the new bank as JSON. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Make a bank; prints it as JSON.")
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;

    @Parameters(paramLabel = "NAME", description = "The bank's name (unique).")
    String name;

    @Option(names = "--description", paramLabel = "TEXT")
    String description;

    @Option(names = "--label", paramLabel = "LABEL", description = "A taxonomy label every entry of the bank carries (repeatable).")
    List<String> labels;

    @Option(names = "--entity", paramLabel = "TAG", description = "An entity tag (repeatable).")
    List<String> entities;

    @Option(names = "--threshold", paramLabel = "TYPE=N", description = "Largest matching distance for a signal type, e.g. pdq=24 (repeatable).")
    Map<String, Integer> thresholds;

    @Option(names = "--disabled", description = "Make the bank disabled (it matches nothing until enabled).")
    boolean disabled;

    @Option(names = "--negative", description = "A bank of content known to be harmless: its entries cancel other banks' hits.")
    boolean negative;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, backend -> {
        Commands.print(spec, backend.createBank(new BankChanges(name, description, labels, entities, thresholds,
            disabled ? false : null, null, null, negative ? "negative" : null, null)));
        return 0;
      });
    }
  }

  /** {@code bank list}: one bank a line. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every bank as one JSON object a line.")
  static final class ListBanks implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, backend -> {
        backend.listBanks().forEach(bank -> Commands.print(spec, bank));
        return 0;
      });
    }
  }
}
