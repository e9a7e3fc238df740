package org.countersignal.server;

import io.javalin.Javalin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntUnaryOperator;

/**
 * A real HTTP receiver of webhooks for the tests: a Javalin app on localhost that keeps every
 * request it gets and answers with the status {@link #answer} gives for the n-th request.
 */
final class WebhookReceiver implements AutoCloseable {

  /** One request as received: headers (lower-case names) and the raw body. */
  record Received(Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String eventId() {
      return header("Countersignal-Event-Id");
    }
  }

  private final List<Received> received = new ArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile IntUnaryOperator answer = n -> 200;
  // Requests wait here while it is closed (a receiver that hangs).
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private final Javalin app;

  WebhookReceiver() {
    this(Duration.ZERO);
  }

  /** @param delay how long each request takes to answer (a slow receiver) */
  WebhookReceiver(Duration delay) {
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.routes.post("/hook", ctx -> {
        int n = requests.incrementAndGet();
        Map<String, String> headers = new TreeMap<>();
        ctx.headerMap().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        byte[] body = ctx.bodyAsBytes();
        gate.await();
        if (!delay.isZero()) {
          Thread.sleep(delay.toMillis());
        }
        int status = answer.applyAsInt(n);
        synchronized (received) {
          received.add(new Received(headers, body));
        }
        ctx.status(status).result("ok");
      });
    }).start("127.0.0.1", 0);
  }

  /** From now on requests wait, unanswered, until {@link #release}. */
  void hold() {
    gate = new CountDownLatch(1);
  }

  void release() {
    gate.countDown();
  }

  /** Requests that have arrived, answered or not. */
  int arrivals() {
    return requests.get();
  }

  String url() {
    return "http://127.0.0.1:" + app.port() + "/hook";
  }

  /** Answers the n-th request (from 1) with {@code status.applyAsInt(n)}. */
  void answer(IntUnaryOperator status) {
    this.answer = status;
  }

  List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  List<String> eventIds() {
    return received().stream().map(Received::eventId).toList();
  }

  /** Waits (at most a minute, as a guard against a hang) until {@code condition} holds. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() {
    release();
    app.stop();
  }
}
