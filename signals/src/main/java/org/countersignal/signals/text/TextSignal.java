package org.countersignal.signals.text;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The {@code text} signal: an exact fingerprint (SHA-256 of the normalised text) plus MinHash
 * sketches for near-duplicates, one of the whole text and one per overlapping chunk of 128
 * shingles, so that an excerpt of a banked document still matches one of its chunks.
 *
 * @param normalizedSha256 SHA-256 of the UTF-8 normalised text (32 bytes)
 * @param words number of normalised words
 * @param whole sketch of all shingles; {@code null} for text without words
 * @param chunks chunk sketches in text order; empty for text without words
 */
public record TextSignal(byte[] normalizedSha256, int words, MinHashSketch whole, List<MinHashSketch> chunks) {

  public TextSignal {
    Objects.requireNonNull(normalizedSha256, "normalizedSha256");
    if (normalizedSha256.length != 32) {
      throw new IllegalArgumentException("SHA-256 is 32 bytes");
    }
    chunks = List.copyOf(chunks);
    if ((whole == null) != chunks.isEmpty()) {
      throw new IllegalArgumentException("a text with words has a whole sketch and chunks");
    }
  }

  public String exactHex() {
    return HexFormat.of().formatHex(normalizedSha256);
  }

  public boolean sameNormalizedText(TextSignal other) {
    return Arrays.equals(normalizedSha256, other.normalizedSha256);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TextSignal other && sameNormalizedText(other) && words == other.words
        && Objects.equals(whole, other.whole) && chunks.equals(other.chunks);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(normalizedSha256);
  }

  @Override
  public String toString() {
    return "TextSignal[" + exactHex() + ", " + words + " words, " + chunks.size() + " chunks]";
  }
}
