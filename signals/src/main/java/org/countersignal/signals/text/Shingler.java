package org.countersignal.signals.text;

/**
 * Turns normalised words into 64-bit hashes of overlapping {@link MinHashParameters#SHINGLE_WORDS}-word
 * shingles. Word order matters inside a shingle; text with fewer words than a shingle becomes a
 * single shingle of all its words, so short posts still have a sketch.
 */
final class Shingler {

  private Shingler() {}

  /** Shingle hashes, in text order, of {@code n} word hashes. */
  static long[] fromWordHashes(long[] words, int n) {
    int k = MinHashParameters.SHINGLE_WORDS;
    if (n == 0) {
      return new long[0];
    }
    if (n < k) {
      long h = 0;
      for (int i = 0; i < n; i++) {
        h = Mix.mix64(h * 0x9E3779B97F4A7C15L + words[i]);
      }
      return new long[] {h};
    }
    long[] shingles = new long[n - k + 1];
    for (int i = 0; i < shingles.length; i++) {
      long h = 0;
      for (int j = 0; j < k; j++) {
        h = h * 0x9E3779B97F4A7C15L + words[i + j];
      }
      shingles[i] = Mix.mix64(h);
    }
    return shingles;
  }

  /** FNV-1a over the UTF-16 units, then mixed: cheap and well spread. */
  static long wordHash(CharSequence word) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < word.length(); i++) {
      h ^= word.charAt(i);
      h *= 0x100000001b3L;
    }
    return Mix.mix64(h);
  }
}
