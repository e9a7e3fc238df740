package org.countersignal.index.hamming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The publication rule of the append buffer, tested where a race is most likely to show: a
 * reader scans (radius 256, so every visible row is reported) the very buffer a writer is
 * filling, thousands of times, and checks every row against the hash its id must have.
 */
class AppendBufferTest {

  @Test
  void scansNeverReportAHalfWrittenRow() throws Exception {
    AtomicReference<AppendBuffer> current = new AtomicReference<>(new AppendBuffer());
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    long[] zero = new long[4];
    Hash256 origin = new Hash256(0, 0, 0, 0);
    Thread reader = new Thread(() -> {
      long scans = 0;
      while (!done.get() || scans < 1000) {
        current.get().scan(zero, 256, (id, d) -> {
          int expected = origin.distance(HammingIndexConcurrencyTest.hashOf(id));
          if (d != expected) {
            failures.add("row with id " + id + " reported at " + d + ", expected " + expected);
          }
        });
        scans++;
      }
    });
    reader.start();
    long id = 1;
    for (int round = 0; round < 300; round++) {
      AppendBuffer buffer = new AppendBuffer();
      current.set(buffer);
      for (int i = 0; i < AppendBuffer.CAPACITY; i++, id++) {
        Hash256 h = HammingIndexConcurrencyTest.hashOf(id);
        buffer.append(h.w0(), h.w1(), h.w2(), h.w3(), id);
      }
    }
    done.set(true);
    reader.join();
    assertThat(failures).isEmpty();
  }
}
