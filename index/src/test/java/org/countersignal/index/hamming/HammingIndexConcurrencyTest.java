package org.countersignal.index.hamming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Lookups running while several threads add and remove. Each id's hash is a fixed function of
 * the id, so a reader can tell a torn or half-written entry (reported distance not equal to the
 * distance to the hash that id must have) from a correct one.
 */
class HammingIndexConcurrencyTest {

  private static final int WRITERS = 3;
  private static final int READERS = 3;
  private static final int PER_WRITER = 30_000;
  /** Entry i of each writer is removed right after it is added when i % REMOVE_EVERY == 5. */
  private static final int REMOVE_EVERY = 20;
  /** Entry i with i % REMOVE_EVERY == 15 is removed once entry i + REMOVE_LAG has been added. */
  private static final int REMOVE_LAG = 4000;

  static boolean removedEventually(int i) {
    return i % REMOVE_EVERY == 5 || (i % REMOVE_EVERY == 15 && i < PER_WRITER - REMOVE_LAG);
  }

  private static void removeAndCheck(HammingIndex index, long id, ConcurrentLinkedQueue<String> failures) {
    Hash256 h = hashOf(id);
    if (index.remove(h, id) != 1) {
      failures.add("remove of " + id + " did not find it");
    }
    if (index.search(h, 0).stream().anyMatch(m -> m.id() == id)) {
      failures.add("removed " + id + " still found");
    }
  }

  static Hash256 hashOf(long id) {
    SplittableRandom r = new SplittableRandom(id * 0x9E3779B97F4A7C15L);
    return new Hash256(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
  }

  /** Ids of writer w are w, w + WRITERS, w + 2 * WRITERS, ... */
  static long idOf(int writer, int i) {
    return (long) i * WRITERS + writer;
  }

  @Test
  void readersNeverSeeHalfWrittenEntriesAndAddsAreVisibleOnReturn() throws Exception {
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    // published[w] = number of entries writer w has added (and whose add() has returned).
    AtomicLongArray published = new AtomicLongArray(WRITERS);
    AtomicBoolean done = new AtomicBoolean();
    CountDownLatch start = new CountDownLatch(1);
    try (HammingIndex index = new HammingIndex()) {
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        threads.add(new Thread(() -> {
          await(start);
          for (int i = 0; i < PER_WRITER; i++) {
            long id = idOf(writer, i);
            Hash256 h = hashOf(id);
            index.add(h, id);
            // Visible to this thread as soon as add returns.
            if (i % 97 == 0 && index.search(h, 0).stream().noneMatch(m -> m.id() == id)) {
              failures.add("own add of " + id + " not visible");
            }
            // Some entries are removed again right away, others long after (by then they sit
            // in segments that background merges and compactions are rewriting); either way
            // they must be gone once remove returns.
            if (i % REMOVE_EVERY == 5) {
              removeAndCheck(index, id, failures);
            }
            if (i >= REMOVE_LAG && (i - REMOVE_LAG) % REMOVE_EVERY == 15) {
              removeAndCheck(index, idOf(writer, i - REMOVE_LAG), failures);
            }
            published.set(writer, i + 1);
          }
        }));
      }
      for (int r = 0; r < READERS; r++) {
        int reader = r;
        threads.add(new Thread(() -> {
          await(start);
          SplittableRandom random = new SplittableRandom(reader);
          while (!done.get()) {
            int writer = random.nextInt(WRITERS);
            long count = published.get(writer);
            if (count == 0) {
              continue;
            }
            int i = random.nextInt((int) count);
            long id = idOf(writer, i);
            Hash256 h = hashOf(id);
            // Query near the entry, so lookups also probe tables, not only exact hits.
            long[] q = TestHashes.flip(random, new long[] {h.w0(), h.w1(), h.w2(), h.w3()}, random.nextInt(20));
            Hash256 query = TestHashes.hash(q);
            // Now and then look at every entry (radius 256), including the one being written.
            int radius = random.nextInt(32) == 0 ? 256 : 31;
            boolean found = false;
            for (Match m : index.search(query, radius)) {
              if (query.distance(hashOf(m.id())) != m.distance()) {
                failures.add("entry " + m.id() + " reported at distance " + m.distance()
                    + " but its hash is at " + query.distance(hashOf(m.id())));
              }
              found |= m.id() == id;
            }
            if (!found && i % REMOVE_EVERY != 5 && i % REMOVE_EVERY != 15) {
              failures.add("published entry " + id + " not found");
            }
          }
        }));
      }
      // Whole-index merges while entries are added and removed: removals made during a merge
      // must carry over to the merged segment.
      Thread compactor = new Thread(() -> {
        await(start);
        while (!done.get()) {
          try {
            index.compact();
          } catch (InterruptedException e) {
            return;
          } catch (IllegalStateException e) {
            failures.add("compact failed: " + e);
            return;
          }
        }
      });
      threads.add(compactor);
      threads.forEach(Thread::start);
      start.countDown();
      for (int t = 0; t < WRITERS; t++) {
        threads.get(t).join();
      }
      done.set(true);
      for (Thread thread : threads) {
        thread.join();
      }
      assertThat(failures).isEmpty();
      index.awaitMerges();
      long kept = 0;
      for (int i = 0; i < PER_WRITER; i++) {
        kept += removedEventually(i) ? 0 : 1;
      }
      assertThat(index.size()).isEqualTo(WRITERS * kept);
      for (int w = 0; w < WRITERS; w++) {
        for (int i = 0; i < PER_WRITER; i += 5) {
          long id = idOf(w, i);
          boolean expected = !removedEventually(i);
          assertThat(index.search(hashOf(id), 0).stream().anyMatch(m -> m.id() == id))
              .as("entry %d after all merges", id).isEqualTo(expected);
        }
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
