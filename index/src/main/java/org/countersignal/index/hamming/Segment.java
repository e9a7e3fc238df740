package org.countersignal.index.hamming;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * An immutable run of entries with its multi-index tables. Hashes are stored flat, four longs
 * per row, ids in a parallel array; nothing but the removal bits changes after construction,
 * so lookups need no locks.
 *
 * <p>Each table is in compressed-sparse-row form: a directory gives, for each value {@code g}
 * of the substring's top bits, where its postings start and end, and each posting is
 * {@code (row << residualBits) | residual}, the residual being the substring's low bits.
 */
final class Segment {


  final int size;
  final long[] words;
  final long[] ids;
  /** One bit per row, set once the row is removed; written atomically, read with acquire. */
  final long[] dead;
  final SubstringLayout layout;
  /**
   * Directory of table t. Group g's postings run from {@code start(g)} to {@code start(g + 1)}.
   * The directory is stored in the smallest form the data allows, because it is the largest
   * part of the index after the postings and a smaller directory buys more, shorter groups
   * (and with them fewer postings to read per probe) in the same memory:
   * <ul>
   *   <li>bytes: {@code start(g) = blockStarts[t][g >>> byteBlockBits[t]] + (byteOffsets[t][g] &
   *       0xff)}, when no block spans more than 255 postings (blocks are sized to hold about
   *       100 postings on average, which leaves a wide margin for uniform data, and made
   *       smaller, down to 8 groups, where some blocks are denser, as with real PDQ hashes);
   *   <li>chars: {@code start(g) = blockStarts[t][g >>> 8] + charOffsets[t][g]}, when no block
   *       of 256 groups spans more than 65535 postings;
   *   <li>ints: {@code start(g) = wideDirectories[t][g]} otherwise (heavily clustered data).
   * </ul>
   */
  private final int[][] blockStarts;
  private final byte[][] byteOffsets;
  private final int[] byteBlockBits;
  private final char[][] charOffsets;
  private final int[][] wideDirectories;
  private final int[][] postings;

  /** Largest byte-offset block: 128 groups. */
  static final int MAX_BYTE_BLOCK_BITS = 7;
  /** Smallest byte-offset block tried where larger ones overflow: 8 groups. */
  static final int MIN_BYTE_BLOCK_BITS = 3;
  static final int CHAR_BLOCK_BITS = 8;

  private Segment(int size, long[] words, long[] ids, long[] dead, SubstringLayout layout,
      int[][] blockStarts, byte[][] byteOffsets, int[] byteBlockBits, char[][] charOffsets,
      int[][] wideDirectories, int[][] postings) {
    this.size = size;
    this.words = words;
    this.ids = ids;
    this.dead = dead;
    this.layout = layout;
    this.blockStarts = blockStarts;
    this.byteOffsets = byteOffsets;
    this.byteBlockBits = byteBlockBits;
    this.charOffsets = charOffsets;
    this.wideDirectories = wideDirectories;
    this.postings = postings;
  }

  /**
   * Builds a segment over the first {@code size} rows of the arrays, which it takes over: the
   * caller must not change them afterwards.
   */
  static Segment build(long[] words, long[] ids, int size, long[] dead) {
    return build(words, ids, size, dead, SubstringLayout.forSize(size));
  }

  static Segment build(long[] words, long[] ids, int size, long[] dead, SubstringLayout layout) {
    if (dead == null) {
      dead = new long[(size + 63) >>> 6];
    }
    Table[] tables = new Table[layout.count];
    // Tables are independent: build them in parallel (this is most of a snapshot load).
    IntStream.range(0, layout.count).parallel().forEach(t -> {
      int prefixBits = layout.prefixBits[t];
      int[] directory = new int[(1 << prefixBits) + 1];
      int[] post = sortedPostings(layout, words, size, t, directory);
      int groups = 1 << prefixBits;
      double perGroup = Math.max(size / (double) groups, 1e-9);
      int blockBits = (int) Math.clamp(Math.floor(Math.log(100 / perGroup) / Math.log(2)), 0,
          MAX_BYTE_BLOCK_BITS);
      int[] byteStarts = blockStartsIfSpansFit(directory, groups, blockBits, 0xff);
      // Real PDQ hashes are denser in some blocks than others (some bits are set more often
      // than not, and copies of one video share substrings). Halving the blocks costs one
      // more int per block, which down to 8 groups a block is still less than the second
      // byte per group of the next form: at 10M, 1.5 bytes a group against 2.
      while (byteStarts == null && blockBits > MIN_BYTE_BLOCK_BITS) {
        blockBits--;
        byteStarts = blockStartsIfSpansFit(directory, groups, blockBits, 0xff);
      }
      int[] charStarts = byteStarts != null ? null
          : blockStartsIfSpansFit(directory, groups, CHAR_BLOCK_BITS, Character.MAX_VALUE);
      if (byteStarts != null) {
        byte[] offset = new byte[groups + 1];
        for (int g = 0; g <= groups; g++) {
          offset[g] = (byte) (directory[g] - byteStarts[g >>> blockBits]);
        }
        tables[t] = new Table(byteStarts, offset, blockBits, null, null, post);
      } else if (charStarts != null) {
        char[] offset = new char[groups + 1];
        for (int g = 0; g <= groups; g++) {
          offset[g] = (char) (directory[g] - charStarts[g >>> CHAR_BLOCK_BITS]);
        }
        tables[t] = new Table(charStarts, null, blockBits, offset, null, post);
      } else {
        tables[t] = new Table(null, null, blockBits, null, directory, post);
      }
    });
    return fromTables(words, ids, size, dead, layout, tables);
  }

  /** A segment over the given tables, one per table of {@code layout}. */
  private static Segment fromTables(long[] words, long[] ids, int size, long[] dead, SubstringLayout layout,
      Table[] tables) {
    int m = layout.count;
    int[][] blockStarts = new int[m][];
    byte[][] byteOffsets = new byte[m][];
    int[] byteBlockBits = new int[m];
    char[][] charOffsets = new char[m][];
    int[][] wideDirectories = new int[m][];
    int[][] postings = new int[m][];
    for (int t = 0; t < m; t++) {
      blockStarts[t] = tables[t].blockStarts();
      byteOffsets[t] = tables[t].byteOffsets();
      byteBlockBits[t] = tables[t].byteBlockBits();
      charOffsets[t] = tables[t].charOffsets();
      wideDirectories[t] = tables[t].wideDirectory();
      postings[t] = tables[t].postings();
    }
    return new Segment(size, words, ids, dead, layout, blockStarts, byteOffsets, byteBlockBits,
        charOffsets, wideDirectories, postings);
  }

  /**
   * One table's arrays as a snapshot stores them: the directory in exactly one of its three forms
   * (the other two null) and the postings.
   */
  record Table(int[] blockStarts, byte[] byteOffsets, int byteBlockBits, char[] charOffsets,
      int[] wideDirectory, int[] postings) {}

  Table table(int t) {
    return new Table(blockStarts[t], byteOffsets[t], byteBlockBits[t], charOffsets[t],
        wideDirectories[t], postings[t]);
  }

  /**
   * A segment from tables built earlier (read from a snapshot), over the first {@code size} rows
   * of the arrays, which it takes over. Checks the tables' shapes (one directory form, lengths
   * that match the layout) and that every directory runs from 0 to {@code size}; what lies in
   * between must have been checked with {@link #checkDirectoryBlocks} or
   * {@link #checkWideDirectory}, and {@link #checkPostings}, which a reader calls on each chunk of
   * postings while it is still in the cache. Together these guarantee that every group's
   * postings lie among the rows and every posting names a row, so no lookup reads outside the
   * arrays. Whether the tables index these very hashes is not checked (that would cost a
   * rebuild); the snapshot's checksum vouches for it.
   *
   * @throws IllegalArgumentException naming what does not fit
   */
  static Segment withTables(long[] words, long[] ids, int size, SubstringLayout layout,
      Table[] tables) {
    if (words.length < (long) size * 4 || ids.length < size) {
      throw new IllegalArgumentException("fewer hashes or ids than rows");
    }
    int m = layout.count;
    if (tables.length != m) {
      throw new IllegalArgumentException(tables.length + " tables for a layout of " + m);
    }
    for (int t = 0; t < m; t++) {
      checkShape(tables[t], 1 << layout.prefixBits[t], size);
    }
    return fromTables(words, ids, size, new long[(size + 63) >>> 6], layout, tables);
  }

  private static void checkShape(Table table, int groups, int size) {
    int forms = (table.byteOffsets() != null ? 1 : 0) + (table.charOffsets() != null ? 1 : 0)
        + (table.wideDirectory() != null ? 1 : 0);
    if (forms != 1) {
      throw new IllegalArgumentException("a table needs exactly one directory form, has " + forms);
    }
    if (table.postings() == null || table.postings().length != size) {
      throw new IllegalArgumentException("a table needs one posting per row");
    }
    if (table.wideDirectory() != null) {
      int[] wide = table.wideDirectory();
      if (wide.length != groups + 1 || wide[0] != 0 || wide[groups] != size) {
        throw new IllegalArgumentException("directory does not run from 0 to the " + size + " rows");
      }
      return;
    }
    int blockBits = blockBits(table);
    int[] blocks = table.blockStarts();
    int offsets = table.byteOffsets() != null ? table.byteOffsets().length : table.charOffsets().length;
    int last = groups >>> blockBits;
    if (blocks == null || blocks.length != last + 1 || offsets != groups + 1) {
      throw new IllegalArgumentException("directory arrays do not match " + groups + " groups");
    }
    int end = table.byteOffsets() != null ? table.byteOffsets()[groups] & 0xff : table.charOffsets()[groups];
    int first = table.byteOffsets() != null ? table.byteOffsets()[0] & 0xff : table.charOffsets()[0];
    if (blocks[0] != 0 || first != 0 || (long) blocks[last] + end != size) {
      throw new IllegalArgumentException("directory does not run from 0 to the " + size + " rows");
    }
  }

  private static int blockBits(Table table) {
    int blockBits = table.byteOffsets() != null ? table.byteBlockBits() : CHAR_BLOCK_BITS;
    if (blockBits < 0 || blockBits > CHAR_BLOCK_BITS) {
      throw new IllegalArgumentException("directory blocks of 2^" + blockBits + " groups");
    }
    return blockBits;
  }

  /**
   * Checks a one- or two-byte directory: its block starts run from 0 to at most {@code size}
   * without going back, and no group of a block whose offsets could reach past the rows (the last
   * few, near {@code size}) starts past them. So every group's postings lie among the rows. (A
   * group that reaches into the next block, or goes back, would give wrong answers but read
   * nothing outside the arrays; the checksum vouches against that. Checking every offset took
   * 50 ms at 10M hashes: bytes are compared one at a time.)
   */
  static void checkDirectoryBlocks(Table table, int groups, int size) {
    int blockBits = blockBits(table);
    int[] blocks = table.blockStarts();
    int last = groups >>> blockBits;
    int reach = table.byteOffsets() != null ? 0xff : Character.MAX_VALUE;
    for (int b = 0; b <= last; b++) {
      long next = b < last ? blocks[b + 1] : size;
      if (blocks[b] < 0 || next < blocks[b]) {
        throw new IllegalArgumentException("directory block " + b + " goes back or past the rows");
      }
      if ((long) blocks[b] + reach > size) {
        int from = b << blockBits;
        int to = Math.min(from + (1 << blockBits), groups + 1);
        int highest = table.byteOffsets() != null
            ? highestByte(table.byteOffsets(), from, to)
            : highestChar(table.charOffsets(), from, to);
        if ((long) blocks[b] + highest > size) {
          throw new IllegalArgumentException("directory block " + b + " reaches past the rows");
        }
      }
    }
  }

  /** Checks that a four-byte directory stays within {@code [0, size]} and never goes back. */
  static void checkWideDirectory(int[] wide, int size) {
    // None of these is negative (so no difference overflowed) exactly when that holds.
    int falls = 0;
    for (int g = 0; g + 1 < wide.length; g++) {
      falls |= wide[g] | (size - wide[g]) | (wide[g + 1] - wide[g]);
    }
    if (falls < 0) {
      throw new IllegalArgumentException("directory leaves the " + size + " rows or goes back");
    }
  }

  private static int highestByte(byte[] values, int from, int to) {
    int highest = 0;
    for (int i = from; i < to; i++) {
      highest = Math.max(highest, values[i] & 0xff);
    }
    return highest;
  }

  private static int highestChar(char[] values, int from, int to) {
    int highest = 0;
    for (int i = from; i < to; i++) {
      highest = Math.max(highest, values[i]);
    }
    return highest;
  }

  /** Checks that postings {@code [from, to)} name rows below {@code size}. */
  static void checkPostings(int[] post, int from, int to, int size, int residualBits) {
    // The largest row, as an unsigned number (a row may reach bit 31 of its posting): shifted
    // by MIN_VALUE, so that a signed maximum, which the compiler vectorises, orders them.
    int highest = Integer.MIN_VALUE;
    for (int i = from; i < to; i++) {
      highest = Math.max(highest, (post[i] >>> residualBits) + Integer.MIN_VALUE);
    }
    long row = (highest - Integer.MIN_VALUE) & 0xffffffffL;
    if (to > from && row >= size) {
      throw new IllegalArgumentException("a posting names row " + row + " of " + size);
    }
  }

  /**
   * Builds table t's postings, ordered by directory prefix and within a prefix by row, and
   * fills {@code directory}. Scattering ten million postings straight into millions of
   * groups would miss the cache on nearly every write, so the (prefix, posting) pairs are
   * sorted instead by a least-significant-digit radix sort with 2^11 buckets per pass, whose
   * counters and write positions stay in the cache; the directory then follows from one
   * sequential pass.
   */
  private static int[] sortedPostings(SubstringLayout layout, long[] words, int size, int t,
      int[] directory) {
    int prefixBits = layout.prefixBits[t];
    int residualBits = layout.residualBits[t];
    int residualMask = (1 << residualBits) - 1;
    long[] pairs = new long[size];
    for (int row = 0; row < size; row++) {
      int key = layout.key(words, row << 2, t);
      long prefix = key >>> residualBits;
      pairs[row] = (prefix << 32) | (((long) row << residualBits | (key & residualMask)) & 0xffffffffL);
    }
    long[] spare = new long[size];
    int digitBits = 11;
    int[] counts = new int[1 << digitBits];
    for (int shift = 32; shift < 32 + prefixBits; shift += digitBits) {
      int bits = Math.min(digitBits, 32 + prefixBits - shift);
      int mask = (1 << bits) - 1;
      java.util.Arrays.fill(counts, 0);
      for (int i = 0; i < size; i++) {
        counts[(int) (pairs[i] >>> shift) & mask]++;
      }
      int sum = 0;
      for (int d = 0; d <= mask; d++) {
        int c = counts[d];
        counts[d] = sum;
        sum += c;
      }
      for (int i = 0; i < size; i++) {
        long pair = pairs[i];
        spare[counts[(int) (pair >>> shift) & mask]++] = pair;
      }
      long[] swap = pairs;
      pairs = spare;
      spare = swap;
    }
    spare = null;
    int[] post = new int[size];
    for (int i = 0; i < size; i++) {
      long pair = pairs[i];
      post[i] = (int) pair;
      directory[(int) (pair >>> 32) + 1]++;
    }
    for (int g = 0; g < 1 << prefixBits; g++) {
      directory[g + 1] += directory[g];
    }
    return post;
  }

  /** Start of each block of 2^blockBits groups, or null if a block spans more than maxSpan. */
  private static int[] blockStartsIfSpansFit(int[] directory, int groups, int blockBits, int maxSpan) {
    int blocks = (groups >>> blockBits) + 1;
    int[] starts = new int[blocks];
    for (int b = 0; b < blocks; b++) {
      starts[b] = directory[Math.min(b << blockBits, groups)];
      int blockEnd = directory[Math.min((b + 1) << blockBits, groups)];
      if (blockEnd - starts[b] > maxSpan) {
        return null;
      }
    }
    return starts;
  }

  private int groupStart(int t, int g) {
    if (byteOffsets[t] != null) {
      return blockStarts[t][g >>> byteBlockBits[t]] + (byteOffsets[t][g] & 0xff);
    }
    if (charOffsets[t] != null) {
      return blockStarts[t][g >>> CHAR_BLOCK_BITS] + charOffsets[t][g];
    }
    return wideDirectories[t][g];
  }

  /** Bytes per directory entry of table t: 1, 2 or 4 (exposed for tests). */
  int directoryEntryBytes(int t) {
    return byteOffsets[t] != null ? 1 : charOffsets[t] != null ? 2 : 4;
  }

  boolean isDead(int row) {
    return RemovedRows.isRemoved(dead, row);
  }

  /** Marks a row removed; returns false if it already was. */
  boolean markDead(int row) {
    return RemovedRows.markRemoved(dead, row);
  }

  int liveCount() {
    return size - RemovedRows.count(dead);
  }

  /** Reports every live entry within {@code radius} of the query exactly once. */
  void search(long[] q, int radius, MatchSink sink) {
    search(q, radius, sink, null);
  }

  /** As {@link #search(long[], int, MatchSink)}, adding the work done to {@code stats} if given. */
  void search(long[] q, int radius, MatchSink sink, LookupStats stats) {
    if (layout.scanOnlyLayout()
        || layout.lookupCost(radius, size) > SubstringLayout.scanCost(size)) {
      if (stats != null) {
        stats.rowsScanned += size;
      }
      scan(q, radius, sink);
    } else {
      probe(q, radius, sink, stats);
    }
  }

  /** Reports the rows holding exactly this hash (live or not) to {@code rows}. */
  void forEachExactRow(long[] q, IntConsumer rows) {
    // Radius 0 needs only the first table: an identical hash has an identical first substring.
    if (layout.scanOnlyLayout()) {
      for (int row = 0; row < size; row++) {
        if (distance(row, q) == 0) {
          rows.accept(row);
        }
      }
      return;
    }
    int keyTable = 0;
    int key = layout.key(q, 0, keyTable);
    int residualBits = layout.residualBits[keyTable];
    int residualMask = (1 << residualBits) - 1;
    int[] post = postings[keyTable];
    int g = key >>> residualBits;
    for (int k = groupStart(keyTable, g), end = groupStart(keyTable, g + 1); k < end; k++) {
      int e = post[k];
      if (((e ^ key) & residualMask) == 0) {
        int row = e >>> residualBits;
        if (distance(row, q) == 0) {
          rows.accept(row);
        }
      }
    }
  }

  void scan(long[] q, int radius, MatchSink sink) {
    long q0 = q[0];
    long q1 = q[1];
    long q2 = q[2];
    long q3 = q[3];
    long[] w = words;
    for (int row = 0, b = 0; row < size; row++, b += 4) {
      int d = Long.bitCount(w[b] ^ q0) + Long.bitCount(w[b + 1] ^ q1)
          + Long.bitCount(w[b + 2] ^ q2) + Long.bitCount(w[b + 3] ^ q3);
      if (d <= radius && !isDead(row)) {
        sink.accept(ids[row], d);
      }
    }
  }

  /** Answers by probing the tables whatever the cost model says (tests check both paths). */
  void searchProbing(long[] q, int radius, MatchSink sink) {
    if (layout.scanOnlyLayout()) {
      scan(q, radius, sink);
    } else {
      probe(q, radius, sink, null);
    }
  }

  /**
   * Per-thread scratch arrays for {@link #probe}. Probing is bound by memory latency (the
   * directory, the postings and the hashes are each far larger than the caches), so a lookup
   * works in stages over arrays of independent addresses: all directory reads of a table, then
   * all posting reads, then all hash reads. The processor can then keep many cache misses in
   * flight instead of waiting for each in turn.
   */
  private static final class Scratch {
    int[] starts = new int[1024];
    int[] ends = new int[1024];
    int[] rows = new int[4096];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private void probe(long[] q, int radius, MatchSink sink, LookupStats stats) {
    long q0 = q[0];
    long q1 = q[1];
    long q2 = q[2];
    long q3 = q[3];
    long[] w = words;
    long[] rowIds = ids;
    Scratch scratch = SCRATCH.get();
    int m = layout.count;
    for (int t = 0; t < m; t++) {
      int tableRadius = layout.tableRadius(t, radius);
      if (tableRadius < 0) {
        continue;
      }
      int residualBits = layout.residualBits[t];
      int residualMask = (1 << residualBits) - 1;
      int key = layout.key(q, 0, t);
      int prefix = key >>> residualBits;
      int residual = key & residualMask;
      int[] post = postings[t];
      ProbeMasks probes = ProbeMasks.of(layout.prefixBits[t], tableRadius);
      int[] masks = probes.masks;
      int probeCount = masks.length;
      if (scratch.starts.length < probeCount) {
        scratch.starts = new int[probeCount];
        scratch.ends = new int[probeCount];
      }
      int[] starts = scratch.starts;
      int[] ends = scratch.ends;
      // Stage 1: directory ranges of every probed prefix.
      int[] wide = wideDirectories[t];
      if (byteOffsets[t] != null) {
        int[] blocks = blockStarts[t];
        byte[] offset = byteOffsets[t];
        int blockBits = byteBlockBits[t];
        for (int i = 0; i < probeCount; i++) {
          int g = prefix ^ masks[i];
          starts[i] = blocks[g >>> blockBits] + (offset[g] & 0xff);
          ends[i] = blocks[(g + 1) >>> blockBits] + (offset[g + 1] & 0xff);
        }
      } else if (charOffsets[t] != null) {
        int[] blocks = blockStarts[t];
        char[] offset = charOffsets[t];
        for (int i = 0; i < probeCount; i++) {
          int g = prefix ^ masks[i];
          starts[i] = blocks[g >>> CHAR_BLOCK_BITS] + offset[g];
          ends[i] = blocks[(g + 1) >>> CHAR_BLOCK_BITS] + offset[g + 1];
        }
      } else {
        for (int i = 0; i < probeCount; i++) {
          int g = prefix ^ masks[i];
          starts[i] = wide[g];
          ends[i] = wide[g + 1];
        }
      }
      if (stats != null) {
        stats.directoryProbes += probeCount;
        for (int i = 0; i < probeCount; i++) {
          stats.postingsRead += ends[i] - starts[i];
        }
      }
      // Stage 2: postings whose residual bits keep the substring within the table radius.
      int[] rows = scratch.rows;
      int candidates = 0;
      int first = 0;
      for (int flipped = 0; flipped < probes.ends.length; flipped++) {
        int last = probes.ends[flipped];
        int residualBudget = tableRadius - flipped;
        for (int i = first; i < last; i++) {
          int end = ends[i];
          int k = starts[i];
          if (candidates + (end - k) > rows.length) {
            rows = scratch.rows = java.util.Arrays.copyOf(rows, Math.max(rows.length * 2, candidates + end - k));
          }
          for (; k < end; k++) {
            int e = post[k];
            if (Integer.bitCount((e ^ residual) & residualMask) <= residualBudget) {
              rows[candidates++] = e >>> residualBits;
            }
          }
        }
        first = last;
      }
      if (stats != null) {
        stats.candidatesVerified += candidates;
      }
      // Stage 3: full distance of every candidate.
      for (int c = 0; c < candidates; c++) {
        int row = rows[c];
        int b = row << 2;
        // Words 0 and 1 share a cache line (rows start 16 bytes into a line or 48); words 2
        // and 3 may not. Most candidates already differ in more than the radius over the
        // first half, so the second line is touched only for plausible matches.
        int d = Long.bitCount(w[b] ^ q0) + Long.bitCount(w[b + 1] ^ q1);
        if (d > radius) {
          continue;
        }
        d += Long.bitCount(w[b + 2] ^ q2) + Long.bitCount(w[b + 3] ^ q3);
        if (d <= radius && !foundByEarlierTable(b, q, t, radius) && !isDead(row)) {
          sink.accept(rowIds[row], d);
        }
      }
    }
  }

  /**
   * True if an earlier table already reported this row: each entry is reported only by the
   * first table whose probe reaches it, so no set of seen rows is needed.
   */
  private boolean foundByEarlierTable(int base, long[] q, int table, int radius) {
    for (int t = 0; t < table; t++) {
      int s = layout.tableRadius(t, radius);
      if (s >= 0 && Integer.bitCount(layout.key(words, base, t) ^ layout.key(q, 0, t)) <= s) {
        return true;
      }
    }
    return false;
  }

  int distance(int row, long[] q) {
    int b = row << 2;
    return Long.bitCount(words[b] ^ q[0]) + Long.bitCount(words[b + 1] ^ q[1])
        + Long.bitCount(words[b + 2] ^ q[2]) + Long.bitCount(words[b + 3] ^ q[3]);
  }

  /** Bytes held by this segment's arrays (for size reports). */
  long bytesUsed() {
    long bytes = (long) words.length * 8 + (long) ids.length * 8 + (long) dead.length * 8;
    for (int t = 0; t < layout.count; t++) {
      bytes += (long) postings[t].length * 4;
      bytes += (long) directoryEntryBytes(t) * ((1L << layout.prefixBits[t]) + 1);
      bytes += blockStarts[t] == null ? 0 : (long) blockStarts[t].length * 4;
    }
    return bytes;
  }
}
