package org.countersignal.index.hamming;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property: for any data seed, clustering, substring count, segment size and radius 0..80, a
 * multi-index lookup returns exactly the brute-force answer. QuickTheories shrinks a failing
 * case to the smallest seed, size and radius that still fail.
 */
class MultiIndexPropertyTest {

  @Test
  void lookupsEqualBruteForce() {
    qt().withExamples(150).withShrinkCycles(200)
        .forAll(longs().all(), integers().between(8, 16), integers().between(4096, 12_000),
            integers().between(0, 80))
        .check((seed, substrings, size, radius) -> {
          SplittableRandom random = new SplittableRandom(seed);
          int clustering = random.nextInt(3);
          long[] words = switch (clustering) {
            case 0 -> TestHashes.randomWords(random, size);
            case 1 -> TestHashes.clusteredWords(random, size, 50, 20);
            default -> TestHashes.clusteredWords(random, size, 5, 60);
          };
          long[] ids = TestHashes.sequentialIds(size, seed);
          Segment segment = Segment.build(words, ids, size, null,
              SubstringLayout.withSubstrings(substrings, size));
          for (int i = 0; i < 6; i++) {
            long[] base = TestHashes.row(words, random.nextInt(size));
            int flips = i < 2 ? radius : i < 4 ? Math.min(256, radius + 1) : random.nextInt(radius + 1);
            Hash256 q = TestHashes.hash(TestHashes.flip(random, base, flips));
            List<Match> got = new ArrayList<>();
            segment.searchProbing(new long[] {q.w0(), q.w1(), q.w2(), q.w3()}, radius,
                (id, d) -> got.add(new Match(id, d)));
            got.sort(null);
            if (!got.equals(TestHashes.bruteForce(words, ids, size, q, radius))) {
              return false;
            }
          }
          return true;
        });
  }
}
