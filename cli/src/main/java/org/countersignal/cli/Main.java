package org.countersignal.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code countersignal} command. */
@Command(
    name = "countersignal",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Hash, match and act on terrorist and violent extremist content.")
public final class Main {

  /**
   * The subcommands, in the order the help lists them. Not in {@code @Command(subcommands=...)}:
   * picocli then builds and instantiates every one of them (and what their fields initialise: an
   * image decoder, the server's signal catalogue, logging) before running any, which was most of
   * the time {@code countersignal hash photo.jpg} took.
   */
  static final List<Class<?>> SUBCOMMANDS = List.of(
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
      org.countersignal.cli.audit.AuditCommand.class);

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code, without exiting the JVM. */
  public static int run(String... args) {
    return commandLine(args).execute(args);
  }

  /** As {@link #run(String...)}, writing to the given streams instead of stdout and stderr. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return commandLine(args).setOut(out).setErr(err).execute(args);
  }

  /**
   * The command line for {@code args}: with only the subcommand they name when the first argument
   * names one (it parses and runs the same either way), else with all of them, for the top-level
   * help, the version, {@code help} and the error for an unknown command.
   */
  static CommandLine commandLine(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    Class<?> named = args.length == 0 ? null : subcommandNamed(args[0]);
    for (Class<?> subcommand : SUBCOMMANDS) {
      if (named == null || named == subcommand) {
        commandLine.addSubcommand(subcommand);
      }
    }
    return commandLine;
  }

  private static Class<?> subcommandNamed(String name) {
    if (name.equals("help")) {
      // lists the others, so it needs them all
      return null;
    }
    for (Class<?> subcommand : SUBCOMMANDS) {
      Command command = subcommand.getAnnotation(Command.class);
      if (command.name().equals(name) || List.of(command.aliases()).contains(name)) {
        return subcommand;
      }
    }
    return null;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"countersignal " + (version == null ? "development build" : version)};
    }
  }
}
