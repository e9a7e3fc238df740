package org.countersignal.index.hamming;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * An immutable run of entries with its multi-index tables. Hashes are stored flat, four longs
 * per row, ids in a parallel array; nothing but the removal bits changes after construction,
 * so lookups need no locks.
 *
 * <p>Each table is in compressed-sparse-row form: {@code directory[g]} to
 * {@code directory[g + 1]} delimit the postings of directory prefix {@code g}, and each posting
 * is {@code (row << residualBits) | residual}.
 */
final class Segment {

  private static final VarHandle DEAD = MethodHandles.arrayElementVarHandle(long[].class);

  final int size;
  final long[] words;
  final long[] ids;
  /** One bit per row, set once the row is removed; written atomically, read with acquire. */
  final long[] dead;
  final SubstringLayout layout;
  private final int[][] directories;
  private final int[][] postings;

  private Segment(int size, long[] words, long[] ids, long[] dead, SubstringLayout layout,
      int[][] directories, int[][] postings) {
    this.size = size;
    this.words = words;
    this.ids = ids;
    this.dead = dead;
    this.layout = layout;
    this.directories = directories;
    this.postings = postings;
  }

  /**
   * Builds a segment over the first {@code size} rows of the arrays, which it takes over: the
   * caller must not change them afterwards.
   */
  static Segment build(long[] words, long[] ids, int size, long[] dead) {
    return build(words, ids, size, dead, SubstringLayout.forSize(size));
  }

  static Segment build(long[] words, long[] ids, int size, long[] dead, SubstringLayout layout) {
    if (dead == null) {
      dead = new long[(size + 63) >>> 6];
    }
    int m = layout.count;
    int[][] directories = new int[m][];
    int[][] postings = new int[m][];
    // Tables are independent: build them in parallel (this is most of a snapshot load).
    IntStream.range(0, m).parallel().forEach(t -> {
      int prefixBits = layout.prefixBits[t];
      int residualBits = layout.residualBits[t];
      int residualMask = (1 << residualBits) - 1;
      int[] directory = new int[(1 << prefixBits) + 1];
      for (int row = 0; row < size; row++) {
        directory[(layout.key(words, row << 2, t) >>> residualBits) + 1]++;
      }
      for (int g = 0; g < 1 << prefixBits; g++) {
        directory[g + 1] += directory[g];
      }
      int[] cursor = new int[1 << prefixBits];
      System.arraycopy(directory, 0, cursor, 0, cursor.length);
      int[] post = new int[size];
      for (int row = 0; row < size; row++) {
        int key = layout.key(words, row << 2, t);
        post[cursor[key >>> residualBits]++] = (row << residualBits) | (key & residualMask);
      }
      directories[t] = directory;
      postings[t] = post;
    });
    return new Segment(size, words, ids, dead, layout, directories, postings);
  }

  boolean isDead(int row) {
    return ((long) DEAD.getAcquire(dead, row >>> 6) & (1L << row)) != 0;
  }

  /** Marks a row removed; returns false if it already was. */
  boolean markDead(int row) {
    long bit = 1L << row;
    long before = (long) DEAD.getAndBitwiseOr(dead, row >>> 6, bit);
    return (before & bit) == 0;
  }

  int liveCount() {
    int deadRows = 0;
    for (int i = 0; i < dead.length; i++) {
      deadRows += Long.bitCount((long) DEAD.getAcquire(dead, i));
    }
    return size - deadRows;
  }

  /** Reports every live entry within {@code radius} of the query exactly once. */
  void search(long[] q, int radius, MatchSink sink) {
    if (layout.scanOnlyLayout()
        || layout.lookupCost(radius, size) > SubstringLayout.scanCost(size)) {
      scan(q, radius, sink);
    } else {
      probe(q, radius, sink);
    }
  }

  /** Reports the rows holding exactly this hash (live or not) to {@code rows}. */
  void forEachExactRow(long[] q, IntConsumer rows) {
    // Radius 0 needs only the first table: an identical hash has an identical first substring.
    if (layout.scanOnlyLayout()) {
      for (int row = 0; row < size; row++) {
        if (distance(row, q) == 0) {
          rows.accept(row);
        }
      }
      return;
    }
    int keyTable = 0;
    int key = layout.key(q, 0, keyTable);
    int residualBits = layout.residualBits[keyTable];
    int residualMask = (1 << residualBits) - 1;
    int[] directory = directories[keyTable];
    int[] post = postings[keyTable];
    int g = key >>> residualBits;
    for (int k = directory[g], end = directory[g + 1]; k < end; k++) {
      int e = post[k];
      if (((e ^ key) & residualMask) == 0) {
        int row = e >>> residualBits;
        if (distance(row, q) == 0) {
          rows.accept(row);
        }
      }
    }
  }

  void scan(long[] q, int radius, MatchSink sink) {
    long q0 = q[0];
    long q1 = q[1];
    long q2 = q[2];
    long q3 = q[3];
    long[] w = words;
    for (int row = 0, b = 0; row < size; row++, b += 4) {
      int d = Long.bitCount(w[b] ^ q0) + Long.bitCount(w[b + 1] ^ q1)
          + Long.bitCount(w[b + 2] ^ q2) + Long.bitCount(w[b + 3] ^ q3);
      if (d <= radius && !isDead(row)) {
        sink.accept(ids[row], d);
      }
    }
  }

  /** Answers by probing the tables whatever the cost model says (tests check both paths). */
  void searchProbing(long[] q, int radius, MatchSink sink) {
    if (layout.scanOnlyLayout()) {
      scan(q, radius, sink);
    } else {
      probe(q, radius, sink);
    }
  }

  private void probe(long[] q, int radius, MatchSink sink) {
    long q0 = q[0];
    long q1 = q[1];
    long q2 = q[2];
    long q3 = q[3];
    long[] w = words;
    int m = layout.count;
    for (int t = 0; t < m; t++) {
      int tableRadius = layout.tableRadius(t, radius);
      if (tableRadius < 0) {
        continue;
      }
      int residualBits = layout.residualBits[t];
      int residualMask = (1 << residualBits) - 1;
      int key = layout.key(q, 0, t);
      int prefix = key >>> residualBits;
      int residual = key & residualMask;
      int[] directory = directories[t];
      int[] post = postings[t];
      ProbeMasks probes = ProbeMasks.of(layout.prefixBits[t], tableRadius);
      int[] masks = probes.masks;
      int first = 0;
      for (int flipped = 0; flipped < probes.ends.length; flipped++) {
        int last = probes.ends[flipped];
        int residualBudget = tableRadius - flipped;
        for (int i = first; i < last; i++) {
          int g = prefix ^ masks[i];
          for (int k = directory[g], end = directory[g + 1]; k < end; k++) {
            int e = post[k];
            if (Integer.bitCount((e ^ residual) & residualMask) <= residualBudget) {
              int row = e >>> residualBits;
              int b = row << 2;
              int d = Long.bitCount(w[b] ^ q0) + Long.bitCount(w[b + 1] ^ q1)
                  + Long.bitCount(w[b + 2] ^ q2) + Long.bitCount(w[b + 3] ^ q3);
              if (d <= radius && !foundByEarlierTable(b, q, t, radius) && !isDead(row)) {
                sink.accept(ids[row], d);
              }
            }
          }
        }
        first = last;
      }
    }
  }

  /**
   * True if an earlier table already reported this row: each entry is reported only by the
   * first table whose probe reaches it, so no set of seen rows is needed.
   */
  private boolean foundByEarlierTable(int base, long[] q, int table, int radius) {
    for (int t = 0; t < table; t++) {
      int s = layout.tableRadius(t, radius);
      if (s >= 0 && Integer.bitCount(layout.key(words, base, t) ^ layout.key(q, 0, t)) <= s) {
        return true;
      }
    }
    return false;
  }

  int distance(int row, long[] q) {
    int b = row << 2;
    return Long.bitCount(words[b] ^ q[0]) + Long.bitCount(words[b + 1] ^ q[1])
        + Long.bitCount(words[b + 2] ^ q[2]) + Long.bitCount(words[b + 3] ^ q[3]);
  }

  /** Bytes held by this segment's arrays (for size reports). */
  long bytesUsed() {
    long bytes = (long) words.length * 8 + (long) ids.length * 8 + (long) dead.length * 8;
    for (int t = 0; t < layout.count; t++) {
      bytes += (long) directories[t].length * 4 + (long) postings[t].length * 4;
    }
    return bytes;
  }
}
