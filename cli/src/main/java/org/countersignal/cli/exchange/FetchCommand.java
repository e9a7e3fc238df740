package org.countersignal.cli.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import org.countersignal.cli.admin.CliException;
import org.countersignal.cli.admin.Commands;
import org.countersignal.cli.admin.HttpBackend;
import org.countersignal.cli.admin.ServerTarget;
import org.countersignal.cli.admin.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code exchange fetch ID|NAME [--wait]}: asks the server to fetch now, and with {@code --wait}
 * follows that fetch to its end.
 *
 * <p>Which fetch is the one asked for: the server answers the request with the exchange as it
 * stands once asked, whose {@code next_fetch_at} is then the server's own time of the request. The
 * first fetch to end at or after that time is the one. Comparing the server's times with each
 * other, never with this machine's clock, keeps a skewed clock out of it.
 */
@Command(name = "fetch", mixinStandardHelpOptions = true,
    description = {
        "Fetch an exchange now (admin or curator) instead of at its next interval. The fetch runs in the server.",
        "--wait follows it to its end and prints the exchange as `exchange show` does; the exit code is then 1 when the"
            + " fetch failed (its error on stderr). A fetch already running when asked for is the one waited for: it"
            + " fetches up to the end of what the source has."
    })
final class FetchCommand implements Callable<Integer> {

  private static final Duration FIRST_POLL = Duration.ofMillis(100);
  private static final Duration MAX_POLL = Duration.ofSeconds(2);

  @Spec CommandSpec spec;
  @Mixin ServerTarget target;

  @Parameters(paramLabel = "ID|NAME", description = "The exchange's id or name.")
  String exchange;

  @Option(names = "--wait", description = "Wait until the fetch ends; exit 1 if it failed.")
  boolean await;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3600",
      description = "With --wait, how long to wait (default ${DEFAULT-VALUE}); the fetch goes on in the server after that.")
  long timeoutSeconds;

  @Option(names = "--json", description = "Print the API's JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    return Commands.run(spec, target, ExchangeCommand.NEEDS_SERVER, server -> {
      if (timeoutSeconds < 1) {
        throw CliException.badInput("--timeout is at least 1 second");
      }
      JsonNode resolved = ExchangeCommand.resolve(server, exchange);
      long id = resolved.path("id").asLong();
      String name = resolved.path("name").asText();
      JsonNode asked = server.fetchExchange(id);
      if (!await) {
        ExchangeCommand.note(spec, "fetch of exchange '" + name + "' asked for; `exchange show " + id + "` follows it");
        if (json) {
          Commands.print(spec, asked);
        }
        return 0;
      }
      JsonNode running = asked.path("status").path("running_fetch_start_ts");
      if (running.isTextual()) {
        ExchangeCommand.note(spec, "a fetch of '" + name + "' has been running since " + Table.time(running)
            + "; waiting for it to end");
      }
      Instant askedAt = instant(asked.path("status").path("next_fetch_at"));
      if (askedAt == null) {
        throw CliException.failed("the server did not say when the fetch was asked for (no status.next_fetch_at)");
      }
      JsonNode ended = awaitEnd(server, id, name, askedAt);
      ExchangeCommand.print(spec, ended, json);
      JsonNode status = ended.path("status");
      if (!status.path("last_fetch_succeeded").asBoolean()) {
        spec.commandLine().getOut().flush();
        throw CliException.failed("the fetch failed: " + Table.oneLine(status.path("last_error").asText("no reason given")));
      }
      return 0;
    });
  }

  /** The exchange once a fetch that ended at or after {@code askedAt} (the server's time) has ended. */
  private JsonNode awaitEnd(HttpBackend server, long id, String name, Instant askedAt) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    Duration pause = FIRST_POLL;
    while (true) {
      JsonNode now = server.exchangeById(id);
      if (now == null) {
        throw CliException.failed("exchange " + id + " was deleted while its fetch was awaited");
      }
      Instant ended = instant(now.path("status").path("last_fetch_complete_ts"));
      if (ended != null && !ended.isBefore(askedAt)) {
        return now;
      }
      if (!now.path("enabled").asBoolean()) {
        throw CliException.failed("exchange '" + name + "' was disabled while its fetch was awaited");
      }
      if (System.nanoTime() - deadline > 0) {
        throw CliException.failed("the fetch of '" + name + "' has not ended after " + timeoutSeconds + " s; it goes on in the"
            + " server (`exchange show " + id + "` follows it)");
      }
      Thread.sleep(pause.toMillis());
      pause = pause.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : pause.multipliedBy(2);
    }
  }

  /** A time the server gave, or null when it gave none. */
  private static Instant instant(JsonNode text) {
    try {
      return text.isTextual() ? Instant.parse(text.asText()) : null;
    } catch (DateTimeParseException e) {
      throw CliException.failed("the server sent a time that is not ISO-8601: " + text.asText());
    }
  }
}
