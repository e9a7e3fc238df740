package org.countersignal.index.hamming;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The small mutable end of the index where adds land; lookups scan it. One writer (holding the
 * index's write lock) appends; any number of readers scan concurrently.
 *
 * <p>An entry's words and id are written first and only then is the size published with a
 * release store; readers load the size with an acquire load and look only below it, so they
 * never see a half-written entry. Once full the buffer never changes again (apart from removal
 * bits) and its arrays become a {@link Segment}'s.
 */
final class AppendBuffer {

  static final int CAPACITY = 4096;

  private static final VarHandle SIZE;

  static {
    try {
      SIZE = MethodHandles.lookup().findVarHandle(AppendBuffer.class, "size", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final long[] words = new long[CAPACITY * 4];
  final long[] ids = new long[CAPACITY];
  final long[] dead = new long[CAPACITY / 64];
  @SuppressWarnings("unused") // accessed through SIZE
  private int size;

  int size() {
    return (int) SIZE.getAcquire(this);
  }

  boolean isFull() {
    return size() == CAPACITY;
  }

  /** Appends one entry; the caller holds the write lock and has checked there is room. */
  void append(long w0, long w1, long w2, long w3, long id) {
    int row = (int) SIZE.get(this);
    int b = row << 2;
    words[b] = w0;
    words[b + 1] = w1;
    words[b + 2] = w2;
    words[b + 3] = w3;
    ids[row] = id;
    SIZE.setRelease(this, row + 1);
  }

  void scan(long[] q, int radius, MatchSink sink) {
    int n = size();
    long q0 = q[0];
    long q1 = q[1];
    long q2 = q[2];
    long q3 = q[3];
    for (int row = 0, b = 0; row < n; row++, b += 4) {
      int d = Long.bitCount(words[b] ^ q0) + Long.bitCount(words[b + 1] ^ q1)
          + Long.bitCount(words[b + 2] ^ q2) + Long.bitCount(words[b + 3] ^ q3);
      if (d <= radius && !isDead(row)) {
        sink.accept(ids[row], d);
      }
    }
  }

  boolean isDead(int row) {
    return RemovedRows.isRemoved(dead, row);
  }

  boolean markDead(int row) {
    return RemovedRows.markRemoved(dead, row);
  }

  /** Turns a full buffer into a segment that shares its arrays. */
  Segment seal() {
    return Segment.build(words, ids, size(), dead);
  }
}
