package org.countersignal.signals.pdq;

import java.util.HexFormat;
import org.countersignal.signals.MalformedSignalException;

/**
 * A 256-bit PDQ hash. Bit {@code k} is set when DCT coefficient {@code (k / 16, k % 16)} lies
 * above the median. {@code bits0} holds bits 0..63, {@code bits3} bits 192..255.
 *
 * <p>The text form is 64 lowercase hex digits of the hash read as one big-endian 256-bit number,
 * so the first four digits hold bits 255..240, as the reference tools print it.
 */
public record PdqHash(long bits0, long bits1, long bits2, long bits3) {

  public static final int BITS = 256;
  public static final int HEX_LENGTH = 64;
  public static final PdqHash ZERO = new PdqHash(0, 0, 0, 0);

  private static final HexFormat HEX = HexFormat.of();

  /** Builds a hash from {@code bits[k]} for k in 0..255. */
  static PdqHash fromBits(boolean[] bits) {
    long[] words = new long[4];
    for (int k = 0; k < BITS; k++) {
      if (bits[k]) {
        words[k >>> 6] |= 1L << (k & 63);
      }
    }
    return new PdqHash(words[0], words[1], words[2], words[3]);
  }

  /** Parses 64 hex digits (either case); anything else is a {@link MalformedSignalException}. */
  public static PdqHash fromHex(String hex) {
    if (hex == null) {
      throw new MalformedSignalException("pdq", "hash is missing");
    }
    String trimmed = hex.strip();
    if (trimmed.length() != HEX_LENGTH) {
      throw new MalformedSignalException(
          "pdq", "expected 64 hex digits, got " + trimmed.length() + " characters");
    }
    for (int i = 0; i < HEX_LENGTH; i++) {
      if (Character.digit(trimmed.charAt(i), 16) < 0) {
        throw new MalformedSignalException(
            "pdq", "not a hex digit at position " + i + ": '" + trimmed.charAt(i) + "'");
      }
    }
    return new PdqHash(
        HEX.fromHexDigitsToLong(trimmed, 48, 64),
        HEX.fromHexDigitsToLong(trimmed, 32, 48),
        HEX.fromHexDigitsToLong(trimmed, 16, 32),
        HEX.fromHexDigitsToLong(trimmed, 0, 16));
  }

  public String toHex() {
    return HEX.toHexDigits(bits3) + HEX.toHexDigits(bits2) + HEX.toHexDigits(bits1) + HEX.toHexDigits(bits0);
  }

  public boolean bit(int k) {
    if (k < 0 || k >= BITS) {
      throw new IndexOutOfBoundsException(k);
    }
    return (word(k >>> 6) >>> (k & 63) & 1L) != 0;
  }

  /** The four 64-bit words, bits 0..63 first. */
  public long word(int index) {
    return switch (index) {
      case 0 -> bits0;
      case 1 -> bits1;
      case 2 -> bits2;
      case 3 -> bits3;
      default -> throw new IndexOutOfBoundsException(index);
    };
  }

  public int distance(PdqHash other) {
    return Long.bitCount(bits0 ^ other.bits0)
        + Long.bitCount(bits1 ^ other.bits1)
        + Long.bitCount(bits2 ^ other.bits2)
        + Long.bitCount(bits3 ^ other.bits3);
  }

  public int bitCount() {
    return Long.bitCount(bits0) + Long.bitCount(bits1) + Long.bitCount(bits2) + Long.bitCount(bits3);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
