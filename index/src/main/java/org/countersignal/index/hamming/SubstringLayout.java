package org.countersignal.index.hamming;

/**
 * How a segment splits the 256 hash bits into substrings for multi-index hashing, and how each
 * substring's table is addressed.
 *
 * <p>Substring {@code t} covers bits {@code [start[t], start[t] + width[t])} (bit {@code i} is
 * bit {@code i % 64}, counted from the least significant end, of word {@code i / 64}). Its table
 * is a directory over the top {@code prefixBits[t]} bits of the substring key; the low
 * {@code residualBits[t]} bits are kept inside each posting next to the row number, so a probe
 * can reject most entries of a directory group without touching the hash array. See
 * {@code docs/INDEX.md} for why the counts below were chosen.
 */
final class SubstringLayout {

  /**
   * Segments smaller than this get no tables and are always scanned: at radius 31 a scan of
   * 32k hashes (about 40 us) is no slower than probing twelve tables, and skipping the tables
   * makes the frequent small merges after adds cheap.
   */
  static final int SCAN_ONLY_BELOW = 32_768;

  /** Fewest and most substrings a layout uses; see {@link #substringCountFor(int)}. */
  static final int MIN_SUBSTRINGS = 8;
  static final int MAX_SUBSTRINGS = 12;

  /**
   * Memory the layout aims to stay within, in bytes per entry. The directory is sized so a
   * group holds one or two postings on average where the budget allows: measured at 10M
   * hashes, radius 31, 6,400 lookups/s with 2^23 groups, 4,900 with 2^22, 3,000 with 2^19
   * (docs/INDEX.md).
   */
  static final double BYTES_PER_HASH_BUDGET = 100.0;

  final int count;
  final int[] start;
  final int[] width;
  final int[] prefixBits;
  final int[] residualBits;

  private SubstringLayout(int count, int[] start, int[] width, int[] prefixBits, int[] residualBits) {
    this.count = count;
    this.start = start;
    this.width = width;
    this.prefixBits = prefixBits;
    this.residualBits = residualBits;
  }

  /** A layout with no tables: the segment is always scanned. */
  static SubstringLayout scanOnly() {
    return new SubstringLayout(0, new int[0], new int[0], new int[0], new int[0]);
  }

  boolean scanOnlyLayout() {
    return count == 0;
  }

  /** The default layout for a segment of {@code size} entries. */
  static SubstringLayout forSize(int size) {
    if (size < SCAN_ONLY_BELOW) {
      return scanOnly();
    }
    return withSubstrings(substringCountFor(size), size);
  }

  /**
   * Substring count for a segment size. Multi-index hashing costs least when each substring has
   * about log2(size) bits, so that a probed bucket holds about one entry (Norouzi, Punjani and
   * Fleet, "Fast exact search in Hamming space with multi-index hashing"); that means 256 /
   * log2(size) substrings: 12 up to about 5M entries, 11 from 5M to 21M, 10 above. Measured
   * at 10M, 11 gave 6,460 lookups/s against 3,687 for 10 and 2,621 for 12
   * (docs/BENCHMARKS.md). Each substring's table costs 4 bytes per entry, so the count is capped at 12 to keep the whole index under 100 bytes per hash; it
   * is at least 8 so that a substring key fits in an int.
   */
  static int substringCountFor(int size) {
    double log2 = Math.log(Math.max(size, 2)) / Math.log(2);
    int m = (int) Math.round(256.0 / log2);
    return Math.clamp(m, MIN_SUBSTRINGS, MAX_SUBSTRINGS);
  }

  /** A layout with exactly {@code m} substrings for a segment of {@code size} entries. */
  static SubstringLayout withSubstrings(int m, int size) {
    if (m < MIN_SUBSTRINGS || m > 32) {
      throw new IllegalArgumentException("substring count must be 8 to 32, got " + m);
    }
    int[] start = new int[m];
    int[] width = new int[m];
    int[] prefix = new int[m];
    int[] residual = new int[m];
    int base = 256 / m;
    int wider = 256 % m;
    // Directory groups: the largest power of two not above size (one posting or two per
    // group: measured fastest), but no more than the memory budget leaves room for. A
    // directory costs about one byte per group per table; the hash, id and postings cost
    // 40 + 4m bytes per entry; so at most (100 - 41 - 4m) / m groups per entry fit in 100 bytes.
    double groupsPerEntry = Math.min(1.0, (BYTES_PER_HASH_BUDGET - 41.0 - 4.0 * m) / m);
    int maxPrefix = (int) Math.floor(Math.log(Math.max(size * groupsPerEntry, 2)) / Math.log(2));
    // A posting is (row << residualBits) | residual in 32 bits, so rows need their own bits.
    int rowBits = 32 - Integer.numberOfLeadingZeros(Math.max(size - 1, 1));
    int maxResidual = 32 - rowBits;
    int targetPrefix = Math.max(8, maxPrefix);
    int position = 0;
    for (int t = 0; t < m; t++) {
      width[t] = base + (t < wider ? 1 : 0);
      start[t] = position;
      position += width[t];
      residual[t] = Math.clamp(width[t] - targetPrefix, 0, maxResidual);
      prefix[t] = width[t] - residual[t];
      if (prefix[t] > 28) {
        throw new IllegalArgumentException("segment of " + size + " entries is too large for " + m + " substrings");
      }
    }
    return new SubstringLayout(m, start, width, prefix, residual);
  }

  /**
   * A layout as a snapshot stored it, checked to be one {@link #withSubstrings} could have made:
   * substrings that cover the 256 bits in order, each split into prefix and residual bits that
   * fit a directory and the postings of {@code size} rows. Segments keep the layout they were
   * built with, so a snapshot loads whatever {@link #forSize} would choose today.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static SubstringLayout of(int[] start, int[] width, int[] prefixBits, int[] residualBits, int size) {
    int m = width.length;
    if (start.length != m || prefixBits.length != m || residualBits.length != m) {
      throw new IllegalArgumentException("layout arrays of different lengths");
    }
    if (m == 0) {
      return scanOnly();
    }
    if (m < MIN_SUBSTRINGS || m > 32) {
      throw new IllegalArgumentException("substring count must be 8 to 32, got " + m);
    }
    int rowBits = 32 - Integer.numberOfLeadingZeros(Math.max(size - 1, 1));
    int position = 0;
    for (int t = 0; t < m; t++) {
      if (start[t] != position || width[t] < 1 || width[t] > 32) {
        throw new IllegalArgumentException("substring " + t + " is not the next run of bits");
      }
      position += width[t];
      if (prefixBits[t] < 0 || prefixBits[t] > 28 || residualBits[t] < 0
          || prefixBits[t] + residualBits[t] != width[t] || rowBits + residualBits[t] > 32) {
        throw new IllegalArgumentException("substring " + t + " has an impossible split");
      }
    }
    if (position != 256) {
      throw new IllegalArgumentException("substrings cover " + position + " bits, not 256");
    }
    return new SubstringLayout(m, start.clone(), width.clone(), prefixBits.clone(),
        residualBits.clone());
  }

  /** Probe radius of table {@code t} for a lookup radius; negative means the table is skipped. */
  int tableRadius(int t, int radius) {
    // Generalised pigeonhole: with radius = s * m + a, if every one of the first a + 1
    // substrings differed in more than s bits and every other one in more than s - 1 bits, the
    // total distance would be at least s * m + a + 1. So some table t finds the entry when
    // probed within s (t <= a) or s - 1 (t > a).
    int s = radius / count;
    int a = radius % count;
    return t <= a ? s : s - 1;
  }

  /**
   * Rough cost, in nanoseconds, of a multi-index lookup at {@code radius} in a segment of
   * {@code size} entries; compared with {@link #scanCost} to decide how to answer. The
   * constants are from 10M-entry measurements, where each directory probe costs about 50 ns
   * (cache misses on the directory, the postings and the candidate's hash) and a scan about
   * 1.2 ns per entry: radius 47 probes (2.8 ms), radius 63 scans (probing took 23 ms).
   */
  double lookupCost(int radius, int size) {
    double cost = 0;
    for (int t = 0; t < count; t++) {
      int s = tableRadius(t, radius);
      if (s < 0) {
        continue;
      }
      double probes = ProbeMasks.countUpTo(prefixBits[t], s);
      if (probes > ProbeMasks.MAX_MASKS) {
        return Double.POSITIVE_INFINITY;
      }
      double scanned = probes * size / (double) (1L << prefixBits[t]);
      cost += probes * 50.0 + scanned * 4.0;
      if (cost > 1e12) {
        break;
      }
    }
    return cost;
  }

  static double scanCost(int size) {
    return size * 1.2;
  }

  /** Extracts substring {@code t} of the hash at {@code base} (index of its first word). */
  int key(long[] words, int base, int t) {
    int s = start[t];
    int w = width[t];
    int wordIndex = s >>> 6;
    int offset = s & 63;
    long value = words[base + wordIndex] >>> offset;
    if (offset + w > 64) {
      value |= words[base + wordIndex + 1] << (64 - offset);
    }
    return (int) (value & ((1L << w) - 1));
  }
}
