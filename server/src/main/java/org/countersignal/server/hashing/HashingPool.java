package org.countersignal.server.hashing;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;

/**
 * Where uploaded images are decoded and hashed: a few platform threads and a short queue, so a
 * burst of expensive images waits its turn or is turned away (503 with {@code Retry-After})
 * instead of taking every core.
 *
 * <p>Requests run on virtual threads, which share the cores' few carrier threads: a decode that
 * held a carrier for seconds would stall every other request behind it, health checks included.
 * Handing the decode to a platform thread unmounts the waiting request, and the operating system
 * then shares the cores between decodes and everything else.
 */
public final class HashingPool implements AutoCloseable {

  /** Each decoder may have this many images waiting behind it before new ones are refused. */
  public static final int QUEUE_PER_THREAD = 4;

  /** What a refused caller is told to wait: about one decode of a large image. */
  public static final int RETRY_AFTER_SECONDS = 2;

  private final ThreadPoolExecutor executor;

  /** @param threads images decoded at once; see {@link #defaultThreads} */
  public HashingPool(int threads) {
    if (threads <= 0) {
      throw new IllegalArgumentException("threads must be positive, got " + threads);
    }
    AtomicInteger number = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(threads * QUEUE_PER_THREAD),
        task -> {
          Thread thread = new Thread(task, "image-hashing-" + number.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        },
        new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * One thread fewer than the machine has cores, and at least one: a burst of large images keeps
   * every decoder busy for seconds, and a core left free answers lookups meanwhile. With a decoder
   * on every core, twelve 4-megapixel PNGs at once held a two-core machine for about a second and
   * lookups waited behind them.
   */
  public static int defaultThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
  }

  /** Runs {@code work} on a decoding thread and waits for it; refuses when the queue is full. */
  public <T> T run(Callable<T> work) throws Exception {
    Future<T> future;
    try {
      future = executor.submit(work);
    } catch (RejectedExecutionException e) {
      throw new RequestException(Kind.BUSY,
          "the server is decoding as many images as it can; retry in " + RETRY_AFTER_SECONDS + " s")
          .retryAfter(RETRY_AFTER_SECONDS);
    }
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw e;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Images waiting for a decoder. */
  int queued() {
    return executor.getQueue().size();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
