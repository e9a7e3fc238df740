package org.countersignal.index.exact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.countersignal.index.snapshot.CorruptSnapshotException;
import org.countersignal.index.snapshot.UnsupportedSnapshotException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExactIndexTest {

  @TempDir Path dir;

  private static byte[] sha256(String text) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void addLookupRemoveAgainstAModel() throws Exception {
    SplittableRandom random = new SplittableRandom(1);
    ExactIndex index = new ExactIndex();
    Map<String, List<Long>> model = new HashMap<>();
    for (int step = 0; step < 20_000; step++) {
      String content = "item-" + random.nextInt(2000);
      long id = random.nextInt(20);
      if (random.nextInt(4) == 0) {
        List<Long> ids = model.getOrDefault(content, new ArrayList<>());
        int expected = (int) ids.stream().filter(x -> x == id).count();
        ids.removeIf(x -> x == id);
        assertThat(index.remove(sha256(content), id)).isEqualTo(expected);
      } else {
        index.add(sha256(content), id);
        model.computeIfAbsent(content, k -> new ArrayList<>()).add(id);
      }
    }
    long total = 0;
    for (int i = 0; i < 2000; i++) {
      String content = "item-" + i;
      long[] expected = model.getOrDefault(content, List.of()).stream().mapToLong(Long::longValue).toArray();
      total += expected.length;
      assertThat(index.lookup(sha256(content))).containsExactly(expected);
    }
    assertThat(index.size()).isEqualTo(total);
  }

  @Test
  void keysAreCopiedAndComparedByValue() {
    ExactIndex index = new ExactIndex();
    byte[] key = {1, 2, 3};
    index.add(key, 9);
    key[0] = 7; // changing the caller's array must not change the stored key
    assertThat(index.lookup(new byte[] {1, 2, 3})).containsExactly(9);
    assertThat(index.lookup(new byte[] {7, 2, 3})).isEmpty();
    assertThat(index.lookupBatch(List.of(new byte[] {1, 2, 3}, new byte[] {4})))
        .satisfiesExactly(a -> assertThat(a).containsExactly(9), b -> assertThat(b).isEmpty());
    assertThatThrownBy(() -> index.add(new byte[0], 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void snapshotRoundTripsAndDetectsDamage() throws Exception {
    ExactIndex index = new ExactIndex();
    for (int i = 0; i < 5000; i++) {
      index.add(sha256("x" + i), i);
      index.add(MessageDigest.getInstance("MD5").digest(("y" + i).getBytes(StandardCharsets.UTF_8)), -i);
    }
    index.remove(sha256("x7"), 7);
    Path file = dir.resolve("exact.snap");
    index.writeSnapshot(file);
    ExactIndex loaded = ExactIndex.readSnapshot(file);
    assertThat(loaded.size()).isEqualTo(index.size()).isEqualTo(9999);
    assertThat(loaded.lookup(sha256("x7"))).isEmpty();
    assertThat(loaded.lookup(sha256("x8"))).containsExactly(8);

    byte[] bytes = Files.readAllBytes(file);
    byte[] flipped = bytes.clone();
    flipped[100] ^= 4;
    Files.write(file, flipped);
    assertThatThrownBy(() -> ExactIndex.readSnapshot(file)).isInstanceOf(CorruptSnapshotException.class);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 20));
    assertThatThrownBy(() -> ExactIndex.readSnapshot(file)).isInstanceOf(CorruptSnapshotException.class);
    Files.write(file, Arrays.copyOf(bytes, 20));
    assertThatThrownBy(() -> ExactIndex.readSnapshot(file)).isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining("truncated");
    byte[] otherVersion = bytes.clone();
    otherVersion[8] = 9;
    Files.write(file, otherVersion);
    assertThatThrownBy(() -> ExactIndex.readSnapshot(file)).isInstanceOf(UnsupportedSnapshotException.class);
  }

  @Test
  void concurrentAddsAreAllKeptAndReadersSeeWholeLists() throws Exception {
    ExactIndex index = new ExactIndex();
    byte[] shared = sha256("shared");
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      int writer = w;
      writers.add(new Thread(() -> {
        for (int i = 0; i < 2000; i++) {
          long id = writer * 1_000_000L + i;
          index.add(shared, id);
          if (Arrays.stream(index.lookup(shared)).noneMatch(x -> x == id)) {
            failures.add("own add of " + id + " not visible");
          }
        }
      }));
    }
    Thread reader = new Thread(() -> {
      while (!done.get()) {
        long[] ids = index.lookup(shared);
        // Each writer's ids appear in the order it added them, with no gaps or zeros.
        long[] next = new long[4];
        for (long id : ids) {
          int writer = (int) (id / 1_000_000L);
          if (id % 1_000_000L != next[writer]++) {
            failures.add("ids out of order or missing: " + id);
            return;
          }
        }
      }
    });
    reader.start();
    writers.forEach(Thread::start);
    for (Thread writer : writers) {
      writer.join();
    }
    done.set(true);
    reader.join();
    assertThat(failures).isEmpty();
    assertThat(index.lookup(shared)).hasSize(8000);
  }
}
