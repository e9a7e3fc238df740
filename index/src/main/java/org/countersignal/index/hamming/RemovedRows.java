package org.countersignal.index.hamming;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The bitset of removed rows that a buffer and the segment sealed from it share: marked under
 * the index's write lock, read by lock-free lookups, hence atomic reads and updates.
 */
final class RemovedRows {

  private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);

  private RemovedRows() {}

  static boolean isRemoved(long[] bits, int row) {
    return ((long) WORD.getAcquire(bits, row >>> 6) & (1L << row)) != 0;
  }

  /** Marks a row removed; returns false if it already was. */
  static boolean markRemoved(long[] bits, int row) {
    long bit = 1L << row;
    long before = (long) WORD.getAndBitwiseOr(bits, row >>> 6, bit);
    return (before & bit) == 0;
  }

  static int count(long[] bits) {
    int removed = 0;
    for (int i = 0; i < bits.length; i++) {
      removed += Long.bitCount((long) WORD.getAcquire(bits, i));
    }
    return removed;
  }
}
