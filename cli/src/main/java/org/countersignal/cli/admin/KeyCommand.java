package org.countersignal.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code countersignal key create|list|revoke}: API keys, on a server or a data directory. */
@Command(
    name = "key",
    mixinStandardHelpOptions = true,
    description = {
        "Make, list and revoke API keys (admin), on a running server (--server URL with an admin --key, or"
            + " $COUNTERSIGNAL_SERVER and $COUNTERSIGNAL_KEY) or directly on a data directory (--data-dir DIR) while"
            + " no server runs on it. Changes made with --data-dir are audited with actor key id 0 (no key).",
        "Exit codes: 0 done, 2 bad input, 1 failed (server unreachable, key refused, conflict)."
    },
    subcommands = {KeyCommand.Create.class, KeyCommand.ListKeys.class, KeyCommand.Revoke.class})
public final class KeyCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: create, list or revoke");
  }

  /** {@code key create}: prints the new key's secret alone on stdout, once. */
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Make a key. The key is printed alone on stdout (shown only this once); its id and role go to stderr.")
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, curator, matcher, auditor, reviewer or coordinator.")
    String role;

    @Option(names = "--name", paramLabel = "NAME", description = "What the key is for, e.g. \"upload pipeline\".")
    String name;

    @Option(names = "--expires-at", paramLabel = "TIME",
        description = "When the key stops working, ISO-8601 with an offset, e.g. 2027-03-01T00:00:00Z; at most 5 years ahead."
            + " Without it (or --expires-in) the key never expires.")
    String expiresAt;

    @Option(names = "--expires-in", paramLabel = "SPAN",
        description = "How long the key works from now (this machine's clock), in days or hours: e.g. 90d, 365d, 12h.")
    String expiresIn;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, backend -> {
        JsonNode created = backend.createKey(role, name, end(expiresAt, expiresIn, Instant.now()));
        spec.commandLine().getOut().println(created.get("key").asText());
        spec.commandLine().getErr().println("countersignal key create: key " + created.get("id").asLong() + " ("
            + created.get("role").asText() + (created.hasNonNull("name") ? ", " + created.get("name").asText() : "")
            + ") made" + (created.hasNonNull("expires_at") ? ", expires at " + created.get("expires_at").asText() : "")
            + "; it is shown only this once");
        return 0;
      });
    }

    /** The key's end as the API takes it (null: never), from one of the two options. */
    static String end(String expiresAt, String expiresIn, Instant now) {
      if (expiresAt != null && expiresIn != null) {
        throw CliException.badInput("either --expires-at or --expires-in, not both");
      }
      if (expiresIn == null) {
        return expiresAt;
      }
      Matcher span = SPAN.matcher(expiresIn.strip());
      if (!span.matches()) {
        throw CliException.badInput("--expires-in takes a number of days or hours, e.g. 90d or 12h (got '" + expiresIn + "')");
      }
      long count = Long.parseLong(span.group(1));
      return now.plus(span.group(2).equals("d") ? Duration.ofDays(count) : Duration.ofHours(count)).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    // At most six digits: a longer span is refused by the server's five-year bound anyway, and cannot overflow here.
    private static final Pattern SPAN = Pattern.compile("([0-9]{1,6})([dh])");
  }

  /** {@code key list}: one key a line, never a secret. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Every key as one JSON object a line: id, prefix, role, name, created, revoked, expires_at (null: never) and"
          + " status (active, expired or revoked); never the secret.")
  static final class ListKeys implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, backend -> {
        backend.listKeys().forEach(key -> Commands.print(spec, key));
        return 0;
      });
    }
  }

  /** {@code key revoke ID}. */
  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revoke a key: it stops working at once. The last live admin key cannot be revoked.")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target;

    @Parameters(paramLabel = "ID", description = "The key's id (see `key list`).")
    long id;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, backend -> {
        backend.revokeKey(id);
        spec.commandLine().getErr().println("countersignal key revoke: key " + id + " revoked");
        return 0;
      });
    }
  }
}
