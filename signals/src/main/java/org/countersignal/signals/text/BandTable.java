package org.countersignal.signals.text;

import java.io.IOException;

/**
 * The LSH band table of a {@link TextIndex}: a multimap from 64-bit band keys to chunk numbers,
 * one 8-byte entry each (the key's top 36 bits, the chunk number + 1 in the low 28, so that 0
 * marks an empty slot), in 256 open-addressing segments picked by the key's top 8 bits.
 *
 * <p>Why segments that grow by a quarter: a single table growing by doubling holds between 1.4 and
 * 2.9 times its entries' bytes, and its last doubling needs the old and the new array at once: 6 GiB
 * for the 1.7 GB of entries of a million banked posts (200 million entries). Here each segment
 * grows on its own, by 25 % once it is 75 % full, so the table holds between 1.3 and 1.7 times
 * its entries and a growth copies one segment, a 256th of the table. Linear probing at 75 %
 * scans about eight entries for a key that is absent, about one cache line.
 */
final class BandTable {

  static final int CHUNK_BITS = 28;
  static final long CHUNK_MASK = (1L << CHUNK_BITS) - 1;
  /** Chunk numbers that fit beside the key. */
  static final int MAX_CHUNKS = (int) CHUNK_MASK - 1;

  private static final int SEGMENT_BITS = 8;
  private static final int INITIAL_CAPACITY = 16;

  private final long[][] segments = new long[1 << SEGMENT_BITS][];
  private final int[] used = new int[1 << SEGMENT_BITS];

  BandTable() {
    for (int s = 0; s < segments.length; s++) {
      segments[s] = new long[INITIAL_CAPACITY];
    }
  }

  /** The part of a key the table keeps; what {@link #forEach} compares. */
  static long stored(long key) {
    return key & ~CHUNK_MASK;
  }

  void insert(long key, int chunk) {
    int s = segment(key);
    long[] table = segments[s];
    if ((used[s] + 1) * 4L > table.length * 3L) {
      table = grow(s);
    }
    put(table, stored(key) | (chunk + 1));
    used[s]++;
  }

  /** Receives the chunk numbers filed under a key. */
  @FunctionalInterface
  interface ChunkSink {
    void chunk(int chunk);
  }

  /**
   * Reads the slot each key's probe starts at, all before any probe runs. The reads do not depend
   * on each other, so the memory system serves their cache misses together rather than one after
   * another, and the probes that follow find their lines in the cache. The value returned means
   * nothing; it is kept only so the reads are not optimised away.
   */
  long touch(long[] keys) {
    long seen = 0;
    for (long key : keys) {
      long[] table = segments[segment(key)];
      seen ^= table[home(stored(key), table.length)];
    }
    return seen;
  }

  void forEach(long key, ChunkSink sink) {
    long want = stored(key);
    long[] table = segments[segment(key)];
    int capacity = table.length;
    for (int slot = home(want, capacity); table[slot] != 0; slot = slot + 1 == capacity ? 0 : slot + 1) {
      if (stored(table[slot]) == want) {
        sink.chunk((int) (table[slot] & CHUNK_MASK) - 1);
      }
    }
  }

  void writeTo(IndexData.Sink out) throws IOException {
    for (long[] segment : segments) {
      IndexData.putLongs(out, segment, segment.length);
    }
  }

  /**
   * A table written by {@link #writeTo} whose entries name chunks below {@code chunks}. Each
   * segment's count is taken from its entries, and must leave the room {@link #insert} keeps, or
   * probing for an absent key would never end.
   */
  static BandTable readFrom(IndexData.Source in, int chunks) throws IOException {
    BandTable table = new BandTable();
    for (int s = 0; s < table.segments.length; s++) {
      long[] entries = IndexData.getLongs(in, 0);
      IndexData.checked(entries.length - INITIAL_CAPACITY, Integer.MAX_VALUE, "band segment size");
      int used = 0;
      for (long entry : entries) {
        if (entry != 0) {
          IndexData.checked((int) (entry & CHUNK_MASK) - 1, chunks - 1, "band chunk");
          used++;
        }
      }
      IndexData.checked(used, (int) (entries.length * 3L / 4), "band entries");
      table.used[s] = used;
      table.segments[s] = entries;
    }
    return table;
  }

  long bytes() {
    long bytes = 0;
    for (long[] table : segments) {
      bytes += (long) table.length * 8;
    }
    return bytes;
  }

  private long[] grow(int s) {
    long[] old = segments[s];
    long[] table = new long[old.length + old.length / 4];
    for (long entry : old) {
      if (entry != 0) {
        put(table, entry);
      }
    }
    segments[s] = table;
    return table;
  }

  private static void put(long[] table, long entry) {
    int capacity = table.length;
    int slot = home(stored(entry), capacity);
    while (table[slot] != 0) {
      slot = slot + 1 == capacity ? 0 : slot + 1;
    }
    table[slot] = entry;
  }

  private static int segment(long key) {
    return (int) (key >>> (64 - SEGMENT_BITS));
  }

  /**
   * The slot a key starts probing at, from the 28 kept key bits below the segment's: scaled to the
   * capacity by a multiply, so a segment need not be a power of two.
   */
  private static int home(long storedKey, int capacity) {
    long bits = (storedKey >>> CHUNK_BITS) & CHUNK_MASK;
    return (int) ((bits * capacity) >>> CHUNK_BITS);
  }
}
