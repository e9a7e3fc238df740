package org.countersignal.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code countersignal} command. */
@Command(
    name = "countersignal",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Hash, match and act on terrorist and violent extremist content.",
    subcommands = {
        CommandLine.HelpCommand.class,
        org.countersignal.cli.hash.HashCommand.class,
        org.countersignal.cli.hash.CompareCommand.class,
        org.countersignal.cli.index.IndexCommand.class,
        org.countersignal.cli.serve.ServeCommand.class,
        org.countersignal.cli.admin.KeyCommand.class,
        org.countersignal.cli.bank.BankCommand.class,
        org.countersignal.cli.exchange.ExchangeCommand.class,
        org.countersignal.cli.feed.FeedCommand.class,
        org.countersignal.cli.incident.IncidentCommand.class,
        org.countersignal.cli.hma.HmaCommand.class,
        org.countersignal.cli.serverkey.ServerKeyCommand.class,
        org.countersignal.cli.audit.AuditCommand.class,
    })
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code, without exiting the JVM. */
  public static int run(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  /** As {@link #run(String...)}, writing to the given streams instead of stdout and stderr. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return new CommandLine(new Main()).setOut(out).setErr(err).execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"countersignal " + (version == null ? "development build" : version)};
    }
  }
}
