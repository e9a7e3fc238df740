package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.countersignal.server.config.ServerConfig;
import org.countersignal.server.jobs.JobSettings;
import org.countersignal.server.exchange.ExchangeSettings;
import org.countersignal.server.webhook.WebhookSettings;

/**
 * A server in a process of its own, for tests that kill it: {@code ServerProcess DATA_DIR
 * [DATABASE_URL DATABASE_USER]}. Prints {@code PORT n} (and {@code KEY k} on the first start)
 * once it serves, then runs until the process is ended.
 */
public final class ServerProcess {

  /** Few requests in flight, so a slow receiver keeps deliveries going long enough to be cut short. */
  static final WebhookSettings WEBHOOKS = WebhookSettings.DEFAULT
      .withInFlight(2, 2)
      .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3))
      .withHeartbeatInterval(Duration.ofSeconds(1));

  /** Fetches start soon after they are due, and a restarted process takes over the fetch loop within seconds. */
  static final ExchangeSettings EXCHANGES = ExchangeSettings.DEFAULT
      .withPollInterval(Duration.ofMillis(200))
      .withHeartbeatInterval(Duration.ofSeconds(1));

  /** A job of a killed process is taken up again within seconds. */
  static final JobSettings JOBS = JobSettings.DEFAULT.withHeartbeatInterval(Duration.ofSeconds(1));

  /** A running server process: its port, and the admin key if this start made one. */
  record Started(Process process, int port, Optional<String> key) {}

  public static void main(String[] args) throws Exception {
    ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(Path.of(args[0]));
    if (args.length == 3) {
      config = config.withDatabaseUrl(args[1]).withDatabaseUser(args[2]);
    }
    CountersignalServer server = CountersignalServer.builder(config).webhookSettings(WEBHOOKS).exchangeSettings(EXCHANGES).jobSettings(JOBS)
        .start();
    if (!server.awaitReady(Duration.ofSeconds(60))) {
      throw new IllegalStateException("indexes did not load");
    }
    // A SIGTERM stops it as `countersignal serve` stops (a SIGKILL, as the tests mostly send, runs no hook).
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "countersignal-shutdown"));
    server.initialAdminKey().ifPresent(key -> System.out.println("KEY " + key));
    System.out.println("PORT " + server.port());
    System.out.flush();
    Thread.currentThread().join();
  }

  /**
   * Starts a server process on {@code dataDir} (and the test run's database), logging to
   * {@code logs/name.log}, and waits until it serves. The caller ends it.
   */
  static Started start(Path dataDir, Path logs, String name, List<Process> processes) throws IOException {
    ServerConfig config = TestServers.config(dataDir);
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"),
        ServerProcess.class.getName(),
        dataDir.toString()));
    if (config.usesPostgresql()) {
      command.add(config.databaseUrl());
      command.add(config.databaseUser());
    }
    Path log = logs.resolve(name + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(process);
    int[] port = {-1};
    String[] key = {null};
    WebhookReceiver.await(name + " prints its port (log: " + log + ")", () -> {
      assertThat(process.isAlive()).as(name + " died at start; log: " + log).isTrue();
      for (String line : lines(log)) {
        if (line.startsWith("KEY ")) {
          key[0] = line.substring(4).strip();
        }
        if (line.startsWith("PORT ")) {
          port[0] = Integer.parseInt(line.substring(5).strip());
        }
      }
      return port[0] > 0;
    });
    return new Started(process, port[0], Optional.ofNullable(key[0]));
  }

  /** Ends {@code processes} at once, as a test's clean-up (a SIGKILL: they are throwaway servers). */
  static void stopAll(List<Process> processes) throws InterruptedException {
    for (Process process : processes) {
      process.destroyForcibly();
      process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  private static List<String> lines(Path log) {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
  }
}
