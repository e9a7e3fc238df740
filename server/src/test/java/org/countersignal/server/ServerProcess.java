package org.countersignal.server;

import java.nio.file.Path;
import java.time.Duration;
import org.countersignal.server.config.ServerConfig;
import org.countersignal.server.webhook.WebhookSettings;

/**
 * A server in a process of its own, for tests that kill it: {@code WebhookServerProcess DATA_DIR
 * [DATABASE_URL DATABASE_USER]}. Prints {@code PORT n} (and {@code KEY k} on the first start)
 * once it serves, then runs until the process is ended.
 */
public final class WebhookServerProcess {

  /** Few requests in flight, so a slow receiver keeps deliveries going long enough to be cut short. */
  static final WebhookSettings SETTINGS = WebhookSettings.DEFAULT
      .withInFlight(2, 2)
      .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3))
      .withHeartbeatInterval(Duration.ofSeconds(1));

  private WebhookServerProcess() {}

  public static void main(String[] args) throws Exception {
    ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withDataDir(Path.of(args[0]));
    if (args.length == 3) {
      config = config.withDatabaseUrl(args[1]).withDatabaseUser(args[2]);
    }
    CountersignalServer server = CountersignalServer.builder(config).webhookSettings(SETTINGS).start();
    if (!server.awaitReady(Duration.ofSeconds(60))) {
      throw new IllegalStateException("indexes did not load");
    }
    server.initialAdminKey().ifPresent(key -> System.out.println("KEY " + key));
    System.out.println("PORT " + server.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
