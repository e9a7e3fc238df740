package org.countersignal.index.hamming;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The work a lookup reports equals what multi-index hashing must do by definition, counted
 * here by brute force over every row: a table's candidates are the rows whose substring lies
 * within that table's probe radius of the query's, its postings read are the rows whose
 * directory prefix does, and its probes are all prefixes within the radius.
 */
class LookupStatsTest {

  private static final int N = 60_000;

  @Test
  void probedSegmentCountsWhatMultiIndexHashingDefines() {
    SplittableRandom random = new SplittableRandom(11);
    // Clustered, so that candidates include near misses as well as matches.
    long[] words = TestHashes.clusteredWords(random, N, 200, 40);
    long[] ids = TestHashes.sequentialIds(N, 0);
    long[] kept = words.clone();
    SubstringLayout layout = SubstringLayout.forSize(N);
    int probed = 0;
    int scanned = 0;
    try (HammingIndex index = HammingIndex.build(words, ids)) {
      for (int radius : new int[] {0, 15, 31, 40}) {
        for (Hash256 q : TestHashes.queries(random, kept, N, 20, 40)) {
          LookupStats stats = new LookupStats();
          List<Match> found = new ArrayList<>();
          index.search(q, radius, (id, d) -> found.add(new Match(id, d)), stats);
          found.sort(null);
          assertThat(found).isEqualTo(index.search(q, radius));

          if (layout.lookupCost(radius, N) > SubstringLayout.scanCost(N)) {
            // The cost model compares every row instead (radius 40 here).
            scanned++;
            assertThat(stats.rowsScanned()).isEqualTo(N);
            assertThat(stats.directoryProbes() + stats.postingsRead() + stats.candidatesVerified()).isZero();
            assertThat(stats.matches()).isEqualTo(found.size());
            continue;
          }
          probed++;
          long[] qw = {q.w0(), q.w1(), q.w2(), q.w3()};
          long probes = 0;
          long postings = 0;
          long candidates = 0;
          for (int t = 0; t < layout.count; t++) {
            int s = layout.tableRadius(t, radius);
            if (s < 0) {
              continue;
            }
            probes += (long) ProbeMasks.countUpTo(layout.prefixBits[t], s);
            int key = layout.key(qw, 0, t);
            for (int row = 0; row < N; row++) {
              int diff = layout.key(kept, row * 4, t) ^ key;
              if (Integer.bitCount(diff >>> layout.residualBits[t]) <= s) {
                postings++;
              }
              if (Integer.bitCount(diff) <= s) {
                candidates++;
              }
            }
          }
          assertThat(stats.lookups()).isEqualTo(1);
          assertThat(stats.rowsScanned()).isZero();
          assertThat(stats.directoryProbes()).as("radius %d", radius).isEqualTo(probes);
          assertThat(stats.postingsRead()).as("radius %d", radius).isEqualTo(postings);
          assertThat(stats.candidatesVerified()).as("radius %d", radius).isEqualTo(candidates);
          assertThat(stats.matches()).isEqualTo(found.size());
        }
      }
    }
    assertThat(probed).isPositive();
    assertThat(scanned).isPositive();
  }

  @Test
  void scannedEntriesAreCountedAndStatsAddUpOverLookups() {
    SplittableRandom random = new SplittableRandom(12);
    long[] words = TestHashes.randomWords(random, 1000);
    try (HammingIndex index = HammingIndex.build(words.clone(), TestHashes.sequentialIds(1000, 0))) {
      index.add(TestHashes.hash(TestHashes.row(words, 7)), 5000); // lands in the append buffer
      LookupStats stats = new LookupStats();
      Hash256 q = TestHashes.hash(TestHashes.row(words, 7));
      index.search(q, 0, (id, d) -> { }, stats);
      index.search(q, 0, (id, d) -> { }, stats);
      // A segment this small has no tables: it and the buffer are compared row by row.
      assertThat(stats.lookups()).isEqualTo(2);
      assertThat(stats.rowsScanned()).isEqualTo(2 * 1001);
      assertThat(stats.directoryProbes()).isZero();
      assertThat(stats.matches()).isEqualTo(4);
      stats.reset();
      assertThat(stats.lookups()).isZero();
      assertThat(stats.rowsScanned()).isZero();
    }
  }
}
