package org.countersignal.index.hamming;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Test data: random hashes, clustered hashes, near-duplicates at chosen distances, and brute force. */
public final class TestHashes {

  private TestHashes() {}

  public static long[] randomWords(SplittableRandom random, int n) {
    long[] words = new long[n * 4];
    for (int i = 0; i < words.length; i++) {
      words[i] = random.nextLong();
    }
    return words;
  }

  /**
   * Hashes in tight clusters: each cluster centre is random and members differ from it in a few
   * bits, so many entries share substrings (as crops and re-encodes of one image do).
   */
  static long[] clusteredWords(SplittableRandom random, int n, int clusters, int maxSpread) {
    long[][] centres = new long[clusters][];
    for (int c = 0; c < clusters; c++) {
      centres[c] = new long[] {random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()};
    }
    long[] words = new long[n * 4];
    for (int i = 0; i < n; i++) {
      long[] member = flip(random, centres[random.nextInt(clusters)], random.nextInt(maxSpread + 1));
      System.arraycopy(member, 0, words, i * 4, 4);
    }
    return words;
  }

  /** A copy of {@code hash} with exactly {@code bits} distinct bits flipped. */
  public static long[] flip(SplittableRandom random, long[] hash, int bits) {
    long[] out = hash.clone();
    int flipped = 0;
    while (flipped < bits) {
      int bit = random.nextInt(256);
      long mask = 1L << (bit & 63);
      if (((out[bit >>> 6] ^ hash[bit >>> 6]) & mask) == 0) {
        out[bit >>> 6] ^= mask;
        flipped++;
      }
    }
    return out;
  }

  static Hash256 hash(long[] w) {
    return new Hash256(w[0], w[1], w[2], w[3]);
  }

  static long[] row(long[] words, int row) {
    return new long[] {words[row * 4], words[row * 4 + 1], words[row * 4 + 2], words[row * 4 + 3]};
  }

  /** Queries: half near-duplicates of stored rows at distances spread up to {@code maxFlip}, half random. */
  static List<Hash256> queries(SplittableRandom random, long[] words, int n, int count, int maxFlip) {
    List<Hash256> queries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (i % 2 == 0) {
        queries.add(hash(flip(random, row(words, random.nextInt(n)), random.nextInt(maxFlip + 1))));
      } else {
        queries.add(hash(new long[] {random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()}));
      }
    }
    return queries;
  }

  /** The oracle: every (id, distance) within the radius, by comparing against every row. */
  static List<Match> bruteForce(long[] words, long[] ids, int n, Hash256 query, int radius) {
    List<Match> out = new ArrayList<>();
    for (int row = 0; row < n; row++) {
      int d = query.distance(Hash256.fromWords(words, row));
      if (d <= radius) {
        out.add(new Match(ids[row], d));
      }
    }
    out.sort(null);
    return out;
  }

  static long[] sequentialIds(int n, long offset) {
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = offset + i;
    }
    return ids;
  }
}
