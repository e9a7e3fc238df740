package org.countersignal.signals.text;

import java.util.Arrays;

/**
 * A MinHash sketch of a set of shingles: for each of {@link MinHashParameters#SLOTS} hash
 * functions, the low 16 bits of the smallest hash over the set. The share of equal slots between
 * two sketches estimates the Jaccard similarity of the two sets (plus a 2^-16 chance per slot of an
 * accidental equality, which is negligible against the thresholds used).
 */
public final class MinHashSketch {

  private final char[] slots;

  MinHashSketch(char[] slots) {
    if (slots.length != MinHashParameters.SLOTS) {
      throw new IllegalArgumentException("a sketch has " + MinHashParameters.SLOTS + " slots");
    }
    this.slots = slots;
  }

  char[] slots() {
    return slots;
  }

  /** Number of slots that differ: 0 for identical sets, {@code SLOTS} for disjoint ones. */
  public int distance(MinHashSketch other) {
    return distance(slots, 0, other.slots, 0);
  }

  static int distance(char[] a, int aOffset, char[] b, int bOffset) {
    int differing = 0;
    for (int i = 0; i < MinHashParameters.SLOTS; i++) {
      if (a[aOffset + i] != b[bOffset + i]) {
        differing++;
      }
    }
    return differing;
  }

  /** The Jaccard similarity this sketch pair estimates. */
  public double similarity(MinHashSketch other) {
    return 1.0 - (double) distance(other) / MinHashParameters.SLOTS;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MinHashSketch other && Arrays.equals(slots, other.slots);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(slots);
  }
}
