package org.countersignal.signals.text;

import java.io.IOException;

/**
 * Arrays of primitives in order: what a {@link TextIndex} is saved as and restored from, so a
 * restart reads its arrays back instead of sketching every banked text again. The file format
 * around them (header, checksum) is the caller's.
 */
public final class IndexData {

  private IndexData() {}

  /** Where an index writes itself. */
  public interface Sink {
    void putInt(int value) throws IOException;

    void putInts(int[] values, int offset, int length) throws IOException;

    void putLongs(long[] values, int offset, int length) throws IOException;

    void putChars(char[] values, int offset, int length) throws IOException;
  }

  /** Where an index reads itself back from, in the order it was written. */
  public interface Source {
    int getInt() throws IOException;

    /**
     * A length the writer put before an array of elements of {@code elementBytes} bytes: read,
     * and checked to be non-negative and to fit in what is left to read, so a damaged file fails
     * here rather than with an enormous allocation.
     */
    int getLength(int elementBytes) throws IOException;

    void getInts(int[] into, int offset, int length) throws IOException;

    void getLongs(long[] into, int offset, int length) throws IOException;

    void getChars(char[] into, int offset, int length) throws IOException;
  }

  static void putInts(Sink out, int[] values, int length) throws IOException {
    out.putInt(length);
    out.putInts(values, 0, length);
  }

  /** Ints written by {@link #putInts}, in an array of at least {@code capacity}. */
  static int[] getInts(Source in, int capacity) throws IOException {
    int length = in.getLength(4);
    int[] values = new int[Math.max(length, capacity)];
    in.getInts(values, 0, length);
    return values;
  }

  static void putLongs(Sink out, long[] values, int length) throws IOException {
    out.putInt(length);
    out.putLongs(values, 0, length);
  }

  static long[] getLongs(Source in, int capacity) throws IOException {
    int length = in.getLength(8);
    long[] values = new long[Math.max(length, capacity)];
    in.getLongs(values, 0, length);
    return values;
  }

  static void putChars(Sink out, char[] values, int length) throws IOException {
    out.putInt(length);
    out.putChars(values, 0, length);
  }

  static char[] getChars(Source in, int capacity) throws IOException {
    int length = in.getLength(2);
    char[] values = new char[Math.max(length, capacity)];
    in.getChars(values, 0, length);
    return values;
  }

  /** A count read back that must lie in {@code [0, max]}. */
  static int checked(int value, int max, String what) throws IOException {
    if (value < 0 || value > max) {
      throw new IOException("damaged text index: " + what + " " + value + " is out of range");
    }
    return value;
  }
}
