package org.countersignal.index.hamming;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * All bit masks of a given width with at most a given number of bits set, ordered by the number
 * of bits set: XOR-ing them into a directory prefix enumerates every prefix within that radius.
 * Lists are computed once per (width, radius) and shared; they are small (a few thousand
 * entries for the radii a lookup usually needs).
 */
final class ProbeMasks {

  /** Largest list built; beyond it a lookup scans instead. */
  static final int MAX_MASKS = 4_000_000;

  private static final int MAX_WIDTH = 32;

  /**
   * Lists by {@code width * (MAX_WIDTH + 1) + radius}. Read by every table of every lookup, so a
   * plain array read: a map keyed by a boxed int, with a capturing lambda for the miss, took a
   * quarter of the service's CPU time at 10M entries.
   */
  private static final AtomicReferenceArray<ProbeMasks> CACHE = new AtomicReferenceArray<>((MAX_WIDTH + 1) * (MAX_WIDTH + 1));

  final int[] masks;
  /** {@code ends[j]} is the index after the last mask with {@code j} bits set. */
  final int[] ends;

  private ProbeMasks(int[] masks, int[] ends) {
    this.masks = masks;
    this.ends = ends;
  }

  static ProbeMasks of(int width, int radius) {
    if (width < 0 || width > MAX_WIDTH) {
      throw new IllegalArgumentException("width " + width + " is outside 0.." + MAX_WIDTH);
    }
    int r = Math.min(radius, width);
    int slot = width * (MAX_WIDTH + 1) + r;
    ProbeMasks masks = CACHE.get(slot);
    if (masks == null) {
      // Two threads may both build it; the first one stored is the one everybody uses.
      CACHE.compareAndSet(slot, null, build(width, r));
      masks = CACHE.get(slot);
    }
    return masks;
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
