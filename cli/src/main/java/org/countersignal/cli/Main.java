package org.countersignal.cli;

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
    })
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code, without exiting the JVM. */
  public static int run(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"countersignal " + (version == null ? "development build" : version)};
    }
  }
}
