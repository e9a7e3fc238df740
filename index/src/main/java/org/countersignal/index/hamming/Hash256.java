package org.countersignal.index.hamming;

import java.util.HexFormat;

/**
 * A 256-bit hash (such as PDQ) held as four longs. Word 0 holds the first 16 hex digits of the
 * usual 64-digit hex form, most significant digit first; the index only needs a fixed,
 * consistent split into words, since Hamming distance does not depend on bit order.
 */
public record Hash256(long w0, long w1, long w2, long w3) {

  /** Number of hex digits in the textual form. */
  public static final int HEX_LENGTH = 64;

  /** Parses 64 hex digits (either case). */
  public static Hash256 fromHex(CharSequence hex) {
    if (hex.length() != HEX_LENGTH) {
      throw new IllegalArgumentException(
          "a 256-bit hash needs 64 hex digits, got " + hex.length() + ": \"" + hex + "\"");
    }
    try {
      return new Hash256(
          HexFormat.fromHexDigitsToLong(hex, 0, 16),
          HexFormat.fromHexDigitsToLong(hex, 16, 32),
          HexFormat.fromHexDigitsToLong(hex, 32, 48),
          HexFormat.fromHexDigitsToLong(hex, 48, 64));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a hex hash: \"" + hex + "\"", e);
    }
  }

  /** Reads the hash stored at {@code row} of a flat array holding four longs per hash. */
  public static Hash256 fromWords(long[] words, int row) {
    int base = row * 4;
    return new Hash256(words[base], words[base + 1], words[base + 2], words[base + 3]);
  }

  public String toHex() {
    HexFormat hex = HexFormat.of();
    return hex.toHexDigits(w0) + hex.toHexDigits(w1) + hex.toHexDigits(w2) + hex.toHexDigits(w3);
  }

  /** Hamming distance: the number of differing bits, 0 to 256. */
  public int distance(Hash256 other) {
    return Long.bitCount(w0 ^ other.w0)
        + Long.bitCount(w1 ^ other.w1)
        + Long.bitCount(w2 ^ other.w2)
        + Long.bitCount(w3 ^ other.w3);
  }

  /** Returns word {@code i} (0 to 3). */
  public long word(int i) {
    return switch (i) {
      case 0 -> w0;
      case 1 -> w1;
      case 2 -> w2;
      case 3 -> w3;
      default -> throw new IndexOutOfBoundsException(i);
    };
  }

  @Override
  public String toString() {
    return toHex();
  }
}
