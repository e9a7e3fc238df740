package org.countersignal.server.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.countersignal.server.RequestException;
import org.junit.jupiter.api.Test;

/** Images beyond the decoders and their queue are refused at once, with when to come back. */
class HashingPoolTest {

  @Test
  void workBeyondTheThreadsAndTheirQueueIsRefusedWithRetryAfter() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch busy = new CountDownLatch(1);
    ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    try (HashingPool pool = new HashingPool(1)) {
      List<Future<String>> held = new ArrayList<>();
      // One decoding, its queue full behind it.
      held.add(callers.submit(() -> pool.run(() -> {
        busy.countDown();
        release.await();
        return "first";
      })));
      assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < HashingPool.QUEUE_PER_THREAD; i++) {
        held.add(callers.submit(() -> pool.run(() -> "queued")));
      }
      waitUntilQueued(pool, HashingPool.QUEUE_PER_THREAD);

      assertThatThrownBy(() -> pool.run(() -> "one too many"))
          .isInstanceOfSatisfying(RequestException.class, e -> {
            assertThat(e.kind()).isEqualTo(RequestException.Kind.BUSY);
            assertThat(e.kind().status()).isEqualTo(503);
            assertThat(e.retryAfterSeconds()).isEqualTo(HashingPool.RETRY_AFTER_SECONDS);
          });

      release.countDown();
      assertThat(held.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("first");
      for (Future<String> queued : held.subList(1, held.size())) {
        assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo("queued");
      }
      // Once the burst has passed, work is taken again.
      assertThat(pool.run(() -> "later")).isEqualTo("later");
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aFailureInsideTheWorkReachesTheCallerAsItself() throws Exception {
    try (HashingPool pool = new HashingPool(1)) {
      assertThatThrownBy(() -> pool.run(() -> {
        throw new java.io.IOException("broken image");
      })).isInstanceOf(java.io.IOException.class).hasMessage("broken image");
    }
  }

  private static void waitUntilQueued(HashingPool pool, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pool.queued() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(pool.queued()).isEqualTo(count);
  }
}
