package org.countersignal.index.hamming;

import java.util.concurrent.ConcurrentHashMap;

/**
 * All bit masks of a given width with at most a given number of bits set, ordered by the number
 * of bits set: XOR-ing them into a directory prefix enumerates every prefix within that radius.
 * Lists are computed once per (width, radius) and shared; they are small (a few thousand
 * entries for the radii a lookup usually needs).
 */
final class ProbeMasks {

  /** Largest list built; beyond it a lookup scans instead. */
  static final int MAX_MASKS = 4_000_000;

  private static final ConcurrentHashMap<Integer, ProbeMasks> CACHE = new ConcurrentHashMap<>();

  final int[] masks;
  /** {@code ends[j]} is the index after the last mask with {@code j} bits set. */
  final int[] ends;

  private ProbeMasks(int[] masks, int[] ends) {
    this.masks = masks;
    this.ends = ends;
  }

  static ProbeMasks of(int width, int radius) {
    int r = Math.min(radius, width);
    return CACHE.computeIfAbsent((width << 8) | r, k -> build(width, r));
  }

  /** Number of masks of {@code width} bits with at most {@code radius} bits set. */
  static double countUpTo(int width, int radius) {
    double total = 0;
    double term = 1;
    for (int j = 0; j <= Math.min(radius, width); j++) {
      total += term;
      term = term * (width - j) / (j + 1);
    }
    return total;
  }

  private static ProbeMasks build(int width, int radius) {
    double total = countUpTo(width, radius);
    if (total > MAX_MASKS) {
      throw new IllegalStateException("too many probes: " + total);
    }
    int[] masks = new int[(int) total];
    int[] ends = new int[radius + 1];
    int n = 0;
    for (int j = 0; j <= radius; j++) {
      if (j == 0) {
        masks[n++] = 0;
      } else {
        // Gosper's hack: the next larger integer with the same number of bits set.
        long limit = 1L << width;
        long v = (1L << j) - 1;
        while (v < limit) {
          masks[n++] = (int) v;
          long c = v & -v;
          long r = v + c;
          v = (((r ^ v) >>> 2) / c) | r;
        }
      }
      ends[j] = n;
    }
    return new ProbeMasks(masks, ends);
  }
}
