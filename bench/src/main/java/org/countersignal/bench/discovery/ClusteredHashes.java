package org.countersignal.bench.discovery;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A day of uploads as the clustering sees it: PDQ hashes of copies and edits of a few thousand
 * originals, some of them viral. Clustered data is the multi-index-hashing index's worst case,
 * since a lookup near a large cluster turns up most of it as candidates, so it is what the
 * clustering must be timed on.
 *
 * <p>The model: originals are uniformly random hashes. A row picks its original by a Zipf law of
 * exponent 1 (the original of rank r is picked with weight 1/r: with 3,000 originals the first
 * takes 12 % of the rows and the last about 0.004 %). A row is an exact copy of its original with
 * probability {@link #COPY_SHARE}; otherwise an edit, the original with k distinct random bits
 * flipped, k = 2 + an exponential of mean {@link #MEAN_EXTRA_FLIPS}, rounded and drawn again when
 * over {@link #MAX_FLIPS}. That puts the median edit at about 10 bits and 8 % of edits past the
 * match threshold of 31, the spread from re-encodes (2–10 bits) through crops and overlays
 * (10–40) to heavy edits near 60. Every edit is a distinct hash, where real uploads repeat the
 * same edit many times; that only adds lookups.
 *
 * @param words four words a hash, row by row
 * @param origin the original each row was made from (for uniform data, the row itself)
 * @param flips the bits each row differs from its original by
 */
record ClusteredHashes(long[] words, int[] origin, int[] flips, int originals) {

  static final double ZIPF_EXPONENT = 1.0;
  static final double COPY_SHARE = 0.3;
  static final int MIN_FLIPS = 2;
  static final double MEAN_EXTRA_FLIPS = 12;
  static final int MAX_FLIPS = 60;

  int rows() {
    return origin.length;
  }

  static ClusteredHashes clustered(int rows, int originals, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] seeds = new long[originals * 4];
    for (int i = 0; i < seeds.length; i++) {
      seeds[i] = random.nextLong();
    }
    double[] cumulative = zipf(originals);
    long[] words = new long[rows * 4];
    int[] origin = new int[rows];
    int[] flips = new int[rows];
    for (int row = 0; row < rows; row++) {
      int o = pick(cumulative, random.nextDouble());
      origin[row] = o;
      System.arraycopy(seeds, o * 4, words, row * 4, 4);
      if (random.nextDouble() >= COPY_SHARE) {
        flips[row] = editFlips(random);
        flip(words, row, flips[row], random);
      }
    }
    return new ClusteredHashes(words, origin, flips, originals);
  }

  /** The other extreme: no two hashes near each other, so every hash leads its own cluster. */
  static ClusteredHashes uniform(int rows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] words = new long[rows * 4];
    for (int i = 0; i < words.length; i++) {
      words[i] = random.nextLong();
    }
    int[] origin = new int[rows];
    Arrays.setAll(origin, i -> i);
    return new ClusteredHashes(words, origin, new int[rows], rows);
  }

  /** Rows made from each original. */
  int[] rowsPerOriginal() {
    int[] count = new int[originals];
    for (int o : origin) {
      count[o]++;
    }
    return count;
  }

  private static double[] zipf(int n) {
    double[] cumulative = new double[n];
    double sum = 0;
    for (int r = 0; r < n; r++) {
      sum += 1 / Math.pow(r + 1, ZIPF_EXPONENT);
      cumulative[r] = sum;
    }
    for (int r = 0; r < n; r++) {
      cumulative[r] /= sum;
    }
    return cumulative;
  }

  private static int pick(double[] cumulative, double u) {
    int at = Arrays.binarySearch(cumulative, u);
    return Math.min(cumulative.length - 1, at >= 0 ? at : -at - 1);
  }

  private static int editFlips(SplittableRandom random) {
    while (true) {
      long k = MIN_FLIPS + Math.round(-MEAN_EXTRA_FLIPS * Math.log(1 - random.nextDouble()));
      if (k <= MAX_FLIPS) {
        return (int) k;
      }
    }
  }

  private static void flip(long[] words, int row, int bits, SplittableRandom random) {
    long[] done = new long[4];
    int flipped = 0;
    while (flipped < bits) {
      int bit = random.nextInt(256);
      long mask = 1L << (bit & 63);
      if ((done[bit >>> 6] & mask) == 0) {
        done[bit >>> 6] |= mask;
        words[row * 4 + (bit >>> 6)] ^= mask;
        flipped++;
      }
    }
  }
}
