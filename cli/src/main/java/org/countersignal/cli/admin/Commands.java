package org.countersignal.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** What the key and bank commands share: one way to report a refusal and to print JSON. */
public final class Commands {

  /** The body of a command, given an open backend; returns the exit code. */
  @FunctionalInterface
  public interface Body {
    int run(Backend backend) throws Exception;
  }

  private Commands() {}

  /** Opens the target, runs {@code body}, closes; a {@link CliException} becomes its message and exit code. */
  public static int run(CommandSpec spec, Target target, Body body) throws Exception {
    try (Backend backend = target.open()) {
      return body.run(backend);
    } catch (CliException e) {
      return fail(spec, e);
    } catch (RuntimeException e) {
      // Not a refusal the command foresaw (a database error, say): one line, not a stack trace,
      // but with the cause's own words.
      return fail(spec, CliException.failed("failed: " + e));
    }
  }

  public static int fail(CommandSpec spec, CliException e) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(spec.qualifiedName() + ": " + e.getMessage());
    err.flush();
    return e.exitCode();
  }

  /** One JSON object a line, as {@code hash} prints. */
  public static void print(CommandSpec spec, JsonNode json) {
    spec.commandLine().getOut().println(json.toString());
  }
}
