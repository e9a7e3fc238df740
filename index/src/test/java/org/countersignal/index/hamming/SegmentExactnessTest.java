package org.countersignal.index.hamming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Multi-index lookups return exactly what brute force returns, for every substring count the
 * layouts use, on random and clustered data, at radii where the pigeonhole bound is tight
 * (radius = s * m + a for every remainder a, and radius m - 1 where every table is probed
 * at radius 0), and with queries planted at exactly the radius and one beyond it.
 */
class SegmentExactnessTest {

  private static final int N = 20_000;

  @ParameterizedTest
  @ValueSource(ints = {8, 9, 10, 11, 12, 16})
  void multiIndexEqualsBruteForceOnRandomData(int substrings) {
    SplittableRandom random = new SplittableRandom(1000 + substrings);
    long[] words = TestHashes.randomWords(random, N);
    check(random, words, substrings, radiiFor(substrings));
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 11, 12})
  void multiIndexEqualsBruteForceOnClusteredData(int substrings) {
    SplittableRandom random = new SplittableRandom(2000 + substrings);
    long[] words = TestHashes.clusteredWords(random, N, 200, 40);
    check(random, words, substrings, new int[] {0, 1, 15, 31, 32, 47, 63});
  }

  @Test
  void defaultLayoutIsExactAtAllRadiiUpToSeventy() {
    SplittableRandom random = new SplittableRandom(7);
    long[] words = TestHashes.clusteredWords(random, N, 50, 60);
    int[] radii = new int[71];
    for (int r = 0; r <= 70; r++) {
      radii[r] = r;
    }
    long[] ids = TestHashes.sequentialIds(N, 0);
    Segment segment = withDefaultTables(words, ids, N);
    for (int r : radii) {
      for (int i = 0; i < 6; i++) {
        Hash256 q = TestHashes.hash(TestHashes.flip(random, TestHashes.row(words, random.nextInt(N)),
            Math.min(256, r + i % 3 - 1 < 0 ? 0 : r + i % 3 - 1)));
        assertThat(collect(segment, q, r)).as("radius %d", r)
            .isEqualTo(TestHashes.bruteForce(words, ids, N, q, r));
      }
    }
  }

  @Test
  void everyDirectoryFormIsExact() {
    SplittableRandom random = new SplittableRandom(11);
    int big = 80_000;
    long[] ids = TestHashes.sequentialIds(big, 0);
    // Uniform data fits one-byte directory offsets; a few clusters put hundreds of postings in
    // a block (two-byte offsets); one tight cluster puts over 65535 in one group (four bytes).
    long[] uniform = TestHashes.randomWords(random, N);
    long[] some = TestHashes.clusteredWords(random, N, 20, 3);
    long[] clustered = TestHashes.clusteredWords(random, big, 1, 1);
    Segment uniformSegment = withDefaultTables(uniform, ids, N);
    Segment someSegment = withDefaultTables(some, ids, N);
    Segment clusteredSegment = withDefaultTables(clustered, ids, big);
    assertThat(uniformSegment.directoryEntryBytes(0)).isEqualTo(1);
    assertThat(someSegment.directoryEntryBytes(0)).isEqualTo(2);
    assertThat(clusteredSegment.directoryEntryBytes(0)).isEqualTo(4);
    for (int radius : new int[] {0, 2, 31, 63}) {
      for (int i = 0; i < 10; i++) {
        Hash256 q = TestHashes.hash(TestHashes.flip(random, TestHashes.row(clustered, random.nextInt(big)), random.nextInt(radius + 2)));
        assertThat(collect(clusteredSegment, q, radius)).isEqualTo(TestHashes.bruteForce(clustered, ids, big, q, radius));
        Hash256 c = TestHashes.hash(TestHashes.flip(random, TestHashes.row(some, random.nextInt(N)), random.nextInt(radius + 2)));
        assertThat(collect(someSegment, c, radius)).isEqualTo(TestHashes.bruteForce(some, ids, N, c, radius));
        Hash256 u = TestHashes.hash(TestHashes.flip(random, TestHashes.row(uniform, random.nextInt(N)), random.nextInt(radius + 2)));
        assertThat(collect(uniformSegment, u, radius)).isEqualTo(TestHashes.bruteForce(uniform, ids, N, u, radius));
      }
    }
  }

  @Test
  void denserBlocksKeepOneByteOffsetsWithSmallerBlocks() {
    SplittableRandom random = new SplittableRandom(12);
    // Random hashes whose top four directory bits of table 0 are each set four times in five,
    // as some PDQ bits are set more often than not: the densest blocks of 64 groups then hold
    // over 255 postings, blocks of 16 groups far fewer.
    long[] words = TestHashes.randomWords(random, N);
    SubstringLayout layout = SubstringLayout.withSubstrings(SubstringLayout.substringCountFor(N), N);
    int top = layout.start[0] + layout.width[0] - 1;
    for (int row = 0; row < N; row++) {
      for (int bit = top; bit > top - 4; bit--) {
        if (random.nextInt(5) < 4) {
          words[row * 4] |= 1L << bit;
        } else {
          words[row * 4] &= ~(1L << bit);
        }
      }
    }
    long[] ids = TestHashes.sequentialIds(N, 0);
    Segment segment = withDefaultTables(words.clone(), ids, N);
    assertThat(segment.directoryEntryBytes(0)).isEqualTo(1);
    for (int radius : new int[] {0, 7, 31, 47}) {
      for (int i = 0; i < 20; i++) {
        Hash256 q = TestHashes.hash(TestHashes.flip(random, TestHashes.row(words, random.nextInt(N)), random.nextInt(radius + 2)));
        assertThat(collect(segment, q, radius)).as("radius %d", radius)
            .isEqualTo(TestHashes.bruteForce(words, ids, N, q, radius));
      }
    }
  }

  /** The default substring count and directory sizing, even below the scan-only size. */
  private static Segment withDefaultTables(long[] words, long[] ids, int n) {
    return Segment.build(words, ids, n, null,
        SubstringLayout.withSubstrings(SubstringLayout.substringCountFor(n), n));
  }

  private static int[] radiiFor(int m) {
    // Every remainder a for s = 1 and s = 2 makes a different set of tables probe at s.
    List<Integer> radii = new ArrayList<>(List.of(0, 1, m - 1, m, 15, 31, 47, 63));
    for (int a = 0; a < m; a += 3) {
      radii.add(m + a);
      radii.add(2 * m + a);
    }
    return radii.stream().mapToInt(Integer::intValue).filter(r -> r <= 63).toArray();
  }

  private static void check(SplittableRandom random, long[] words, int substrings, int[] radii) {
    long[] ids = TestHashes.sequentialIds(N, 5_000_000_000L);
    Segment segment = Segment.build(words, ids, N, null, SubstringLayout.withSubstrings(substrings, N));
    for (int radius : radii) {
      List<Hash256> queries = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        long[] base = TestHashes.row(words, random.nextInt(N));
        queries.add(TestHashes.hash(TestHashes.flip(random, base, radius)));
        queries.add(TestHashes.hash(TestHashes.flip(random, base, Math.min(256, radius + 1))));
        queries.add(TestHashes.hash(TestHashes.flip(random, base, random.nextInt(radius + 1))));
      }
      queries.addAll(TestHashes.queries(random, words, N, 4, radius));
      for (Hash256 q : queries) {
        List<Match> expected = TestHashes.bruteForce(words, ids, N, q, radius);
        assertThat(collect(segment, q, radius))
            .as("m=%d radius=%d query=%s", substrings, radius, q)
            .isEqualTo(expected);
      }
    }
  }

  /** Probes the tables even where the cost model would scan, so the probing code is what is tested. */
  static List<Match> collect(Segment segment, Hash256 q, int radius) {
    List<Match> out = new ArrayList<>();
    segment.searchProbing(new long[] {q.w0(), q.w1(), q.w2(), q.w3()}, radius,
        (id, d) -> out.add(new Match(id, d)));
    out.sort(null);
    return out;
  }
}
