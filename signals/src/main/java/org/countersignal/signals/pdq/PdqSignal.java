package org.countersignal.signals.pdq;

/**
 * A PDQ hash with its quality: 0..100, higher for images with more detail. Hashes of quality
 * under {@link #MATCHING_QUALITY} are too flat to match reliably. A signal parsed from text
 * carries {@link #UNKNOWN_QUALITY}.
 */
public record PdqSignal(PdqHash hash, int quality) {

  public static final int MATCHING_QUALITY = 50;
  public static final int UNKNOWN_QUALITY = -1;

  public PdqSignal {
    if (quality < UNKNOWN_QUALITY || quality > 100) {
      throw new IllegalArgumentException("quality must be 0..100, got " + quality);
    }
  }
}
