package org.countersignal.server.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.countersignal.server.RequestException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: requests that arrive while earlier ones are being written wait, and are then
 * written together in one transaction by one of a few worker threads. Each caller is answered
 * only after that commit, so an answer still means the request is stored. Under load this costs
 * a request a little latency and saves it most of a transaction's fixed work: one BEGIN, one
 * COMMIT, and whatever the writer does once per batch (its locks, its audit rows as one JDBC
 * batch) instead of one of each per request.
 *
 * <p>Requests are spread over the workers by a key the caller chooses: requests with the same key
 * meet in the same worker, in the order they arrived, so they are written one after another in
 * one transaction instead of waiting for each other's locks across several.
 *
 * <p>If a batch fails, each of its requests is written again on its own, so a bad request fails
 * only itself. A transaction that the database gave up on to break a deadlock or a serialization
 * conflict (SQLSTATE class 40) is tried again, up to {@link #ATTEMPTS} times in all: nothing of it
 * had been acknowledged.
 *
 * @param <T> a request, checked before it is submitted
 * @param <R> what its caller is answered
 */
public final class GroupCommit<T, R> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

  /** How often a request alone is tried when its transaction is lost to a deadlock or serialization conflict. */
  public static final int ATTEMPTS = 3;

  /** Writes a batch in the transaction of {@code h}: one answer per request, in their order. */
  @FunctionalInterface
  public interface Writer<T, R> {
    List<R> write(Handle h, List<T> batch);
  }

  private record Waiting<T, R>(T request, CompletableFuture<R> answer) {}

  private final Jdbi jdbi;
  private final Writer<T, R> writer;
  private final Function<T, Object> key;
  private final int maxBatch;
  private final List<LinkedBlockingQueue<Waiting<T, R>>> queues = new ArrayList<>();
  private final List<Thread> workers = new ArrayList<>();
  /** Put in each queue by {@link #close()}: its worker stops when it reaches it. */
  private final Waiting<T, R> stop = new Waiting<>(null, null);
  private volatile boolean closed;

  /**
   * Starts {@code workers} threads named {@code name-0}, {@code name-1}, ...
   *
   * @param key which requests meet in one worker (equal keys do); null keys go to the first
   * @param maxBatch at most this many requests in one transaction
   */
  public GroupCommit(Jdbi jdbi, String name, int workers, int maxBatch, Function<T, Object> key, Writer<T, R> writer) {
    if (workers < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("workers and maxBatch must be at least 1");
    }
    this.jdbi = jdbi;
    this.writer = writer;
    this.key = key;
    this.maxBatch = maxBatch;
    for (int i = 0; i < workers; i++) {
      LinkedBlockingQueue<Waiting<T, R>> queue = new LinkedBlockingQueue<>();
      queues.add(queue);
      this.workers.add(Thread.ofPlatform().daemon().name(name + "-" + i).start(() -> work(queue)));
    }
  }

  /**
   * Writes {@code request} with whatever else is waiting for its worker and returns its answer
   * once committed. Throws what writing it alone threw; a {@link RequestException} of kind
   * {@code BUSY} once the server is stopping.
   */
  public R submit(T request) {
    if (closed) {
      throw stopping();
    }
    Object k = key.apply(request);
    Waiting<T, R> waiting = new Waiting<>(request, new CompletableFuture<>());
    queues.get(k == null ? 0 : Math.floorMod(k.hashCode(), queues.size())).add(waiting);
    if (closed) {
      // close() may have emptied the queues before this request was added: nobody else will answer it.
      waiting.answer().completeExceptionally(stopping());
    }
    try {
      return waiting.answer().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw stopping();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Requests submitted that no worker has taken yet (and, while stopping, each worker's stop mark until it reaches it). */
  public int waiting() {
    return queues.stream().mapToInt(LinkedBlockingQueue::size).sum();
  }

  private void work(LinkedBlockingQueue<Waiting<T, R>> queue) {
    List<Waiting<T, R>> batch = new ArrayList<>();
    for (boolean last = false; !last; batch.clear()) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch, maxBatch - 1);
      last = batch.remove(stop);
      try {
        if (!batch.isEmpty()) {
          write(batch);
        }
      } catch (RuntimeException | Error e) {
        // write answers every request it was given; this is a fault of its own, kept from killing the worker.
        LOG.error("group commit worker failed", e);
        batch.forEach(w -> w.answer().completeExceptionally(e));
      }
    }
  }

  private void write(List<Waiting<T, R>> batch) {
    if (batch.size() > 1) {
      try {
        List<R> answers = jdbi.inTransaction(h -> answered(batch.size(), writer.write(h, batch.stream().map(Waiting::request).toList())));
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).answer().complete(answers.get(i));
        }
        return;
      } catch (RuntimeException e) {
        // Rolled back whole: each is written on its own below, so the request at fault is the only one refused.
      }
    }
    for (Waiting<T, R> one : batch) {
      for (int attempt = 1; ; attempt++) {
        try {
          one.answer().complete(jdbi.inTransaction(h -> answered(1, writer.write(h, List.of(one.request())))).get(0));
          break;
        } catch (RuntimeException e) {
          if (attempt == ATTEMPTS || !SqlStates.causedBy(e, SqlStates.ROLLED_BACK)) {
            one.answer().completeExceptionally(e);
            break;
          }
        }
      }
    }
  }

  /** Checked inside the transaction, so that a writer's wrong count rolls it back rather than leave requests stored and unanswered. */
  private static <R> List<R> answered(int requests, List<R> answers) {
    if (answers.size() != requests) {
      throw new IllegalStateException(answers.size() + " answers to " + requests + " requests");
    }
    return answers;
  }

  private static RequestException stopping() {
    return new RequestException(RequestException.Kind.BUSY, "the server is stopping").retryAfter(1);
  }

  /**
   * Stops taking requests, lets each worker write what was submitted before, and refuses anything
   * a worker has not reached within ten seconds.
   */
  @Override
  public void close() {
    closed = true;
    queues.forEach(queue -> queue.add(stop));
    for (Thread worker : workers) {
      try {
        worker.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (LinkedBlockingQueue<Waiting<T, R>> queue : queues) {
      for (Waiting<T, R> waiting; (waiting = queue.poll()) != null; ) {
        if (waiting != stop) {
          waiting.answer().completeExceptionally(stopping());
        }
      }
    }
  }
}
