package org.countersignal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line builds only the command it runs, and answers as if it had built them all. */
class MainTest {

  @Test
  void topLevelHelpListsEveryCommand() {
    CliRun run = CliRun.of("--help");
    assertThat(run.exitCode()).isZero();
    for (Class<?> subcommand : Main.SUBCOMMANDS) {
      assertThat(run.out()).contains("  " + subcommand.getAnnotation(Command.class).name() + " ");
    }
  }

  @Test
  void theTopLevelHelpIsTheOneTheWholeCommandLineGives() {
    StringWriter expected = new StringWriter();
    Main.whole().usage(new PrintWriter(expected, true));
    for (String option : new String[] {"--help", "-h"}) {
      CliRun run = CliRun.of(option);
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).isEqualTo(expected.toString());
    }
  }

  @Test
  void theTopLevelHelpBuildsNoCommand() {
    for (CommandLine subcommand : Main.commandLine("--help").getSubcommands().values()) {
      Object command = subcommand.getCommand();
      assertThat(command).as(subcommand.getCommandName()).isNull();
    }
  }

  @Test
  void eachCommandsHelpIsTheOneTheWholeCommandLineGives() {
    CommandLine whole = Main.whole();
    assertThat(whole.getSubcommands()).hasSize(Main.SUBCOMMANDS.size());
    for (var named : whole.getSubcommands().entrySet()) {
      if (named.getKey().equals("help")) {
        continue;
      }
      StringWriter expected = new StringWriter();
      named.getValue().usage(new PrintWriter(expected, true));
      CliRun run = CliRun.of(named.getKey(), "--help");
      assertThat(run.exitCode()).as(named.getKey()).isZero();
      assertThat(run.out()).as(named.getKey()).isEqualTo(expected.toString())
          .startsWith("Usage: countersignal " + named.getKey());
    }
  }

  @Test
  void nestedCommandsAreThereWithTheirParent() {
    CliRun run = CliRun.of("bank", "import", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("Usage: countersignal bank import");
  }

  @Test
  void helpOfACommandAndTheVersionStillWork() {
    CliRun help = CliRun.of("help", "hash");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).startsWith("Usage: countersignal hash");
    CliRun version = CliRun.of("--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("countersignal ");
  }

  @Test
  void anUnknownCommandIsRefusedWithAHint() {
    CliRun run = CliRun.of("hsah", "photo.jpg");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unmatched arguments").contains("hash");
  }

  @Test
  void aCommandsOwnErrorsNameTheCommand() {
    CliRun run = CliRun.of("hash", "--no-such-option");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unknown option: '--no-such-option'").contains("Usage: countersignal hash");
  }
}
