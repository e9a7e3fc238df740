package org.countersignal.index.hamming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The index as a whole (segments, append buffer, merges, removal, batches) against a brute-force model. */
class HammingIndexTest {

  /** A list of live (hash, id) entries searched by brute force. */
  private static final class Model {
    final List<long[]> hashes = new ArrayList<>();
    final List<Long> ids = new ArrayList<>();

    List<Match> search(Hash256 q, int radius) {
      List<Match> out = new ArrayList<>();
      for (int i = 0; i < hashes.size(); i++) {
        int d = q.distance(TestHashes.hash(hashes.get(i)));
        if (d <= radius) {
          out.add(new Match(ids.get(i), d));
        }
      }
      out.sort(null);
      return out;
    }
  }

  @Test
  void emptyIndexFindsNothing() {
    try (HammingIndex index = new HammingIndex()) {
      assertThat(index.search(Hash256.fromHex("0".repeat(64)), 256)).isEmpty();
      assertThat(index.size()).isZero();
    }
  }

  @Test
  void addedEntryIsFoundWithItsDistance() {
    try (HammingIndex index = new HammingIndex()) {
      Hash256 stored = Hash256.fromHex("f".repeat(64));
      index.add(stored, 42);
      Hash256 query = Hash256.fromHex("e" + "f".repeat(63)); // one bit differs
      assertThat(index.search(query, 1)).containsExactly(new Match(42, 1));
      assertThat(index.search(query, 0)).isEmpty();
      Hash256 at31 = Hash256.fromHex("0000000" + "1" + "f".repeat(56)); // 31 bits differ
      Hash256 at32 = Hash256.fromHex("00000000" + "f".repeat(56));
      assertThat(index.search(at31)).containsExactly(new Match(42, 31));
      assertThat(index.search(at32)).isEmpty();
    }
  }

  @Test
  void randomAddsRemovesAndLookupsMatchTheModel() throws Exception {
    SplittableRandom random = new SplittableRandom(3);
    Model model = new Model();
    // Clustered hashes so that lookups return many entries and removals hit real matches.
    long[] pool = TestHashes.clusteredWords(random, 60_000, 300, 30);
    try (HammingIndex index = new HammingIndex()) {
      int next = 0;
      for (int step = 0; step < 60; step++) {
        int adds = random.nextInt(1500);
        long[] words = new long[adds * 4];
        long[] ids = new long[adds];
        for (int i = 0; i < adds && next < 60_000; i++, next++) {
          long[] h = TestHashes.row(pool, next);
          long id = random.nextInt(50_000); // ids repeat: several entries may share one
          if (i % 2 == 0) {
            index.add(TestHashes.hash(h), id);
          } else {
            System.arraycopy(h, 0, words, i * 4, 4);
            ids[i] = id;
            index.addAll(java.util.Arrays.copyOfRange(words, i * 4, i * 4 + 4), new long[] {id});
          }
          model.hashes.add(h);
          model.ids.add(id);
        }
        int removals = random.nextInt(200);
        for (int i = 0; i < removals && !model.ids.isEmpty(); i++) {
          int victim = random.nextInt(model.ids.size());
          long[] h = model.hashes.get(victim);
          long id = model.ids.get(victim);
          int expected = 0;
          for (int j = model.ids.size() - 1; j >= 0; j--) {
            if (model.ids.get(j) == id && java.util.Arrays.equals(model.hashes.get(j), h)) {
              model.ids.remove(j);
              model.hashes.remove(j);
              expected++;
            }
          }
          assertThat(index.remove(TestHashes.hash(h), id)).isEqualTo(expected);
        }
        if (step % 7 == 0) {
          index.awaitMerges();
        }
        assertThat(index.size()).isEqualTo(model.ids.size());
        for (int i = 0; i < 5 && !model.hashes.isEmpty(); i++) {
          long[] base = model.hashes.get(random.nextInt(model.hashes.size()));
          Hash256 q = TestHashes.hash(TestHashes.flip(random, base, random.nextInt(40)));
          int radius = new int[] {0, 8, 31, 47}[random.nextInt(4)];
          assertThat(index.search(q, radius)).as("step %d radius %d", step, radius)
              .isEqualTo(model.search(q, radius));
        }
      }
      index.awaitMerges();
      assertThat(index.segmentCount()).as("merges keep the segment count small")
          .isLessThan(3 * 8);
      Hash256 q = TestHashes.hash(model.hashes.get(0));
      assertThat(index.search(q, 63)).isEqualTo(model.search(q, 63));
      index.compact();
      assertThat(index.segmentCount()).isEqualTo(1);
      assertThat(index.size()).isEqualTo(model.ids.size());
      for (int i = 0; i < 20; i++) {
        Hash256 near = TestHashes.hash(TestHashes.flip(random, model.hashes.get(random.nextInt(model.hashes.size())), random.nextInt(32)));
        assertThat(index.search(near, 31)).isEqualTo(model.search(near, 31));
      }
    }
  }

  @Test
  void builtIndexTakesAddsAndRemovals() {
    SplittableRandom random = new SplittableRandom(5);
    int n = 30_000;
    long[] words = TestHashes.randomWords(random, n);
    long[] ids = TestHashes.sequentialIds(n, 0);
    long[] wordsCopy = words.clone();
    try (HammingIndex index = HammingIndex.build(words, ids.clone())) {
      Hash256 first = Hash256.fromWords(wordsCopy, 0);
      assertThat(index.search(first, 0)).containsExactly(new Match(0, 0));
      index.add(first, 99_999);
      assertThat(index.search(first, 0)).containsExactly(new Match(0, 0), new Match(99_999, 0));
      assertThat(index.remove(first, 0)).isEqualTo(1);
      assertThat(index.remove(first, 0)).isZero();
      assertThat(index.search(first, 0)).containsExactly(new Match(99_999, 0));
      assertThat(index.size()).isEqualTo(n);
    }
  }

  @Test
  void batchAnswersEqualSingleAnswers() {
    SplittableRandom random = new SplittableRandom(9);
    int n = 50_000;
    long[] words = TestHashes.clusteredWords(random, n, 100, 25);
    long[] copy = words.clone();
    try (HammingIndex index = HammingIndex.build(words, TestHashes.sequentialIds(n, 0))) {
      // Some entries in the append buffer and in small scanned segments as well.
      for (int i = 0; i < 5000; i++) {
        index.add(TestHashes.hash(TestHashes.flip(random, TestHashes.row(copy, i), 3)), 1_000_000 + i);
      }
      List<Hash256> batch = new ArrayList<>(TestHashes.queries(random, copy, n, 8, 30));
      batch.add(batch.get(0)); // a repeated query is answered in its place too
      List<List<Match>> answers = index.searchBatch(batch, 31);
      assertThat(answers).hasSize(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        assertThat(answers.get(i)).isEqualTo(index.search(batch.get(i), 31));
      }
    }
  }

  @Test
  void largeRadiiAreExactToo() {
    SplittableRandom random = new SplittableRandom(21);
    int n = 40_000;
    long[] words = TestHashes.clusteredWords(random, n, 30, 90);
    long[] ids = TestHashes.sequentialIds(n, 0);
    try (HammingIndex index = HammingIndex.build(words.clone(), ids.clone())) {
      for (int radius : new int[] {64, 80, 100, 128, 200, 256}) {
        Hash256 q = TestHashes.hash(TestHashes.flip(random, TestHashes.row(words, random.nextInt(n)), 60));
        assertThat(index.search(q, radius)).as("radius %d", radius)
            .isEqualTo(TestHashes.bruteForce(words, ids, n, q, radius));
      }
    }
  }

  @Test
  void rejectsBadArguments() {
    try (HammingIndex index = new HammingIndex()) {
      Hash256 q = Hash256.fromHex("0".repeat(64));
      assertThatThrownBy(() -> index.search(q, -1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> index.search(q, 257)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> HammingIndex.build(new long[3], new long[1]))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> Hash256.fromHex("abc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Hash256.fromHex("g".repeat(64))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hexRoundTrips() {
    String hex = "0123456789abcdeffedcba9876543210" + "00000000ffffffff0f0f0f0f12345678";
    assertThat(Hash256.fromHex(hex).toHex()).isEqualTo(hex);
    assertThat(Hash256.fromHex(hex.toUpperCase()).toHex()).isEqualTo(hex);
  }
}
