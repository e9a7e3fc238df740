package org.countersignal.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** What the key, bank and exchange commands share: one way to report a refusal and to print JSON. */
public final class Commands {

  /** The body of a command, given an open backend; returns the exit code. */
  @FunctionalInterface
  public interface Body {
    int run(Backend backend) throws Exception;
  }

  /** The body of a command that needs a running server; returns the exit code. */
  @FunctionalInterface
  public interface ServerBody {
    int run(HttpBackend server) throws Exception;
  }

  private Commands() {}

  /** Opens the target, runs {@code body}, closes; a {@link CliException} becomes its message and exit code. */
  public static int run(CommandSpec spec, Target target, Body body) throws Exception {
    try (Backend backend = target.open()) {
      return body.run(backend);
    } catch (CliException e) {
      return fail(spec, e);
    } catch (RuntimeException e) {
      return unforeseen(spec, e);
    }
  }

  /** As {@link #run(CommandSpec, Target, Body)}, on a running server only; {@code why} for {@link ServerTarget#open}. */
  public static int run(CommandSpec spec, ServerTarget target, String why, ServerBody body) throws Exception {
    try (HttpBackend server = target.open(why)) {
      return body.run(server);
    } catch (CliException e) {
      return fail(spec, e);
    } catch (RuntimeException e) {
      return unforeseen(spec, e);
    }
  }

  // Not a refusal the command foresaw (a database error, say): one line, not a stack trace, but
  // with the cause's own words.
  private static int unforeseen(CommandSpec spec, RuntimeException e) {
    return fail(spec, CliException.failed("failed: " + e));
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
