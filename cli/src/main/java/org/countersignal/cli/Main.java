package org.countersignal.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

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
   * The command line for {@code args}. When the first argument names a subcommand, only that one
   * is built (it parses and runs the same either way). When no argument names one (the top-level
   * help, the version, an unknown command), each subcommand is only named and described, from its
   * annotation: building them all took half a second. {@code help} lists and shows them, so it
   * gets them all.
   */
  static CommandLine commandLine(String... args) {
    Class<?> first = args.length == 0 ? null : subcommandNamed(args[0]);
    if (first != null) {
      return first == CommandLine.HelpCommand.class ? whole() : with(List.of(first));
    }
    for (String arg : args) {
      if (subcommandNamed(arg) != null) {
        return whole(); // a command after options: picocli says what is wrong with them
      }
    }
    CommandLine commandLine = new CommandLine(new Main());
    for (Class<?> subcommand : SUBCOMMANDS) {
      commandLine.addSubcommand(summary(subcommand));
    }
    return commandLine;
  }

  /** The command line with every subcommand built. */
  static CommandLine whole() {
    return with(SUBCOMMANDS);
  }

  private static CommandLine with(List<Class<?>> subcommands) {
    CommandLine commandLine = new CommandLine(new Main());
    subcommands.forEach(commandLine::addSubcommand);
    return commandLine;
  }

  /** The subcommand with this name or alias, or null. */
  private static Class<?> subcommandNamed(String name) {
    for (Class<?> subcommand : SUBCOMMANDS) {
      Command command = subcommand.getAnnotation(Command.class);
      if (command.name().equals(name) || List.of(command.aliases()).contains(name)) {
        return subcommand;
      }
    }
    return null;
  }

  /** A subcommand as the top-level help lists it: its names, header, description and visibility. */
  private static CommandSpec summary(Class<?> subcommand) {
    Command command = subcommand.getAnnotation(Command.class);
    CommandSpec spec = CommandSpec.create().name(command.name()).aliases(command.aliases());
    spec.usageMessage().header(command.header()).description(command.description()).hidden(command.hidden());
    return spec;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"countersignal " + (version == null ? "development build" : version)};
    }
  }
}
