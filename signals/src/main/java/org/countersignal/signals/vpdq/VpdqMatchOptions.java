package org.countersignal.signals.vpdq;

/**
 * When two videos match: frames of quality below {@code minQuality} are ignored, a frame matches
 * another within {@code maxDistance} bits, and the videos match when at least
 * {@code minBankPercent} of the bank video's unique frames and {@code minQueryPercent} of the
 * query's unique frames have a match. The defaults are the reference's; a bank can set its own.
 */
public record VpdqMatchOptions(int minQuality, int maxDistance, double minBankPercent, double minQueryPercent) {

  public static final VpdqMatchOptions DEFAULT = new VpdqMatchOptions(50, 31, 80, 0);

  public VpdqMatchOptions {
    if (minQuality < 0 || minQuality > 100) {
      throw new IllegalArgumentException("minQuality must be 0..100");
    }
    if (maxDistance < 0 || maxDistance > 256) {
      throw new IllegalArgumentException("maxDistance must be 0..256");
    }
    if (minBankPercent < 0 || minBankPercent > 100 || minQueryPercent < 0 || minQueryPercent > 100) {
      throw new IllegalArgumentException("percentages must be 0..100");
    }
  }
}
