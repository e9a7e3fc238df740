package org.countersignal.bench.index;

import java.util.SplittableRandom;

/**
 * Benchmark data as the issue defines it: uniformly random 256-bit hashes, and queries of which
 * half are planted near-duplicates (a stored hash with 1 to 31 bits flipped) and half random.
 */
public final class IndexData {

  public final long[] words;
  public final long[] ids;
  public final long[][] queries;
  /** For planted queries the row they were derived from, else -1. */
  public final int[] plantedRow;

  IndexData(long[] words, long[] ids, long[][] queries, int[] plantedRow) {
    this.words = words;
    this.ids = ids;
    this.queries = queries;
    this.plantedRow = plantedRow;
  }

  public static IndexData generate(int size, int queryCount, int maxFlip, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] words = new long[size * 4];
    for (int i = 0; i < words.length; i++) {
      words[i] = random.nextLong();
    }
    long[] ids = new long[size];
    for (int i = 0; i < size; i++) {
      ids[i] = i;
    }
    long[][] queries = new long[queryCount][];
    int[] planted = new int[queryCount];
    for (int i = 0; i < queryCount; i++) {
      if (i % 2 == 0) {
        int row = random.nextInt(size);
        long[] q = {words[row * 4], words[row * 4 + 1], words[row * 4 + 2], words[row * 4 + 3]};
        int flips = 1 + random.nextInt(maxFlip);
        int done = 0;
        long[] original = q.clone();
        while (done < flips) {
          int bit = random.nextInt(256);
          long mask = 1L << (bit & 63);
          if (((q[bit >>> 6] ^ original[bit >>> 6]) & mask) == 0) {
            q[bit >>> 6] ^= mask;
            done++;
          }
        }
        queries[i] = q;
        planted[i] = row;
      } else {
        queries[i] = new long[] {random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()};
        planted[i] = -1;
      }
    }
    return new IndexData(words, ids, queries, planted);
  }
}
