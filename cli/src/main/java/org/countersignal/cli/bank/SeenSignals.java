package org.countersignal.cli.bank;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The signals of a file seen so far, to find a signal given twice before anything is imported
 * (the server sees one batch at a time, so it cannot). Holds a 128-bit digest of each signal
 * and its line in open-addressing arrays, 24 to 48 bytes a row, rather than the strings: a
 * million rows take under 50 MB. Two different signals share a digest with a probability near 2^-100 for a
 * million rows, which is no concern.
 */
public final class SeenSignals {

  private long[] high = new long[1 << 12];
  private long[] low = new long[1 << 12];
  private long[] lines = new long[1 << 12];
  private int size;
  private final MessageDigest md5;

  public SeenSignals() {
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required of every Java runtime", e);
    }
  }

  /** Records the signal at {@code line}; returns the line it was first seen on, or 0 if it is new. */
  public long firstLine(String type, String canonicalValue, long line) {
    md5.update(type.getBytes(StandardCharsets.UTF_8));
    md5.update((byte) '\n');
    ByteBuffer digest = ByteBuffer.wrap(md5.digest(canonicalValue.getBytes(StandardCharsets.UTF_8)));
    long h = digest.getLong();
    long l = digest.getLong();
    if (size * 2 >= lines.length) {
      grow();
    }
    int slot = find(high, low, lines, h, l);
    if (lines[slot] != 0) {
      return lines[slot];
    }
    high[slot] = h;
    low[slot] = l;
    lines[slot] = line;
    size++;
    return 0;
  }

  /** The slot holding the digest, or the empty slot where it belongs (linear probing). */
  private static int find(long[] high, long[] low, long[] lines, long h, long l) {
    int mask = lines.length - 1;
    int slot = (int) (l ^ (l >>> 32)) & mask;
    while (lines[slot] != 0 && (high[slot] != h || low[slot] != l)) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private void grow() {
    long[] newHigh = new long[high.length * 2];
    long[] newLow = new long[low.length * 2];
    long[] newLines = new long[lines.length * 2];
    for (int i = 0; i < lines.length; i++) {
      if (lines[i] != 0) {
        int slot = find(newHigh, newLow, newLines, high[i], low[i]);
        newHigh[slot] = high[i];
        newLow[slot] = low[i];
        newLines[slot] = lines[i];
      }
    }
    high = newHigh;
    low = newLow;
    lines = newLines;
  }
}
