package org.countersignal.bench.abuse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The body-cap probe: N clients at once each send a chunked body of M MB to a route (by default
 * the console's sign-in form with a sign-in cookie, which needs no key), while a watcher asks
 * /health/live every 100 ms. Prints each client's status and how much it sent before the answer,
 * and the health check's slowest answer.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.countersignal.bench.abuse.ChunkedFlood http://127.0.0.1:8080 24 260 [path] [content-type] [header...]</pre>
 *
 * Sends only to the address given, which must be this machine's; each client stops at its body's
 * end or at the server's answer.
 */
public final class ChunkedFlood {

  private ChunkedFlood() {}

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    int clients = Integer.parseInt(args[1]);
    long megabytes = Long.parseLong(args[2]);
    String path = args.length > 3 ? args[3] : "/console/sign-in";
    String contentType = args.length > 4 ? args[4] : "application/x-www-form-urlencoded";
    List<String> headers = new ArrayList<>(List.of("Content-Type: " + contentType, "Cookie: cs_console_sign_in=" + "a".repeat(43)));
    for (int i = 5; i < args.length; i++) {
      headers.add(args[i]);
    }
    if (!base.getHost().equals("127.0.0.1") && !base.getHost().equals("localhost") && !base.getHost().equals("[::1]")) {
      throw new IllegalArgumentException("this probe only sends to loopback");
    }
    AtomicBoolean running = new AtomicBoolean(true);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long[] slowestHealth = {0};
    int[] healthFailures = {0};
    Thread watcher = Thread.ofPlatform().start(() -> {
      while (running.get()) {
        long start = System.nanoTime();
        try {
          http.send(HttpRequest.newBuilder(base.resolve("/health/live")).timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
          healthFailures[0]++;
        }
        slowestHealth[0] = Math.max(slowestHealth[0], (System.nanoTime() - start) / 1_000_000);
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      results.add(pool.submit(() -> send(base, path, headers, megabytes << 20)));
    }
    for (int i = 0; i < clients; i++) {
      System.out.println("client " + i + ": " + results.get(i).get());
    }
    running.set(false);
    watcher.join();
    pool.shutdown();
    System.out.printf("all answered in %.1f s; /health/live slowest %d ms, %d failed%n",
        (System.nanoTime() - started) / 1e9, slowestHealth[0], healthFailures[0]);
  }

  private static String send(URI base, String path, List<String> headers, long total) {
    EndlessBody.Outcome outcome = EndlessBody.send(base, path, headers, total, 120_000);
    return outcome.status().equals("reset") ? "connection reset" : outcome.status() + " after " + (outcome.bytesSent() >> 20) + " MB sent";
  }
}
