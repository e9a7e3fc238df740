package org.countersignal.index.hamming;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.countersignal.index.snapshot.CorruptSnapshotException;
import org.countersignal.index.snapshot.SnapshotFormat;
import org.countersignal.index.snapshot.SnapshotReader;
import org.countersignal.index.snapshot.SnapshotWriter;

/**
 * Payload of a Hamming index snapshot (ints and longs little-endian, as the container's).
 *
 * <p>Version 2, written: the index's parts as they stand, each segment with its tables, so that
 * a load only reads: at 10M hashes on one core a version 1 load took about 3.5 s, nearly all of
 * it building the eleven tables again, and a version 2 load takes about 0.4 s
 * (docs/BENCHMARKS.md, "The index from the command line"). The file is the index's size in
 * memory, about 94 bytes per hash instead of 40.
 *
 * <pre>
 *   int parts
 *   per part:
 *     int form: 0 = a segment with its tables, 1 = rows whose tables are built on load,
 *               2 = the append buffer's rows
 *     int rows
 *     rows x 4 longs: the hashes ({@link Hash256} word order); rows longs: the ids
 *     form 0 only:
 *       int m (substrings; 0 for a segment small enough to be scanned)
 *       m x 4 ints: start, width, prefix bits, residual bits of each substring
 *       per substring: int bytes per directory entry (1, 2 or 4), int block bits, then
 *         1: ((groups >>> block bits) + 1) ints of block starts, (groups + 1) bytes of offsets
 *         2: ((groups >>> 8) + 1) ints of block starts, (groups + 1) chars of offsets
 *         4: (groups + 1) ints
 *       and rows ints of postings (groups = 2^prefix bits)
 * </pre>
 *
 * A segment with removed rows is written as form 1 without them (a removed hash is not kept on
 * disk, and its postings are not rewritten), and its tables are built again when the snapshot
 * is loaded; merges and {@link HammingIndex#compact} leave segments without removed rows.
 *
 * <p>Version 1, still read: all hashes, then all ids ({@code 40 * count} bytes); the tables of
 * the one segment they make are built on load.
 */
final class HammingSnapshot {

  /** Maximum entries in one segment (the postings' and hashes' array limits). */
  static final long MAX_ENTRIES = Integer.MAX_VALUE / 4 - 16;

  private static final int FORM_TABLES = 0;
  private static final int FORM_ROWS = 1;
  private static final int FORM_BUFFER = 2;

  /** Postings read, then checked, at a time: they are checked while in the cache. */
  private static final int CHECK_CHUNK = 1 << 16;

  /** A segment (or, with {@code segment} null, the append buffer) and its removal bits then. */
  record Part(Segment segment, long[] words, long[] ids, int size, long[] dead) {}

  /** What a snapshot held: the segments, and the rows that were in the append buffer. */
  record Loaded(List<Segment> segments, long[] bufferWords, long[] bufferIds, int bufferRows) {
    long size() {
      long n = bufferRows;
      for (Segment segment : segments) {
        n += segment.size;
      }
      return n;
    }
  }

  private HammingSnapshot() {}

  static void write(Path file, List<Part> parts) throws IOException {
    long count = 0;
    int written = 0;
    for (Part part : parts) {
      int live = live(part);
      count += live;
      written += live > 0 ? 1 : 0;
    }
    try (SnapshotWriter writer = new SnapshotWriter(file, SnapshotFormat.KIND_HAMMING_256, count)) {
      writer.putInt(written);
      for (Part part : parts) {
        int live = live(part);
        if (live == 0) {
          continue;
        }
        if (part.segment != null && live == part.size) {
          writeSegment(writer, part.segment);
        } else {
          writer.putInt(part.segment == null ? FORM_BUFFER : FORM_ROWS);
          writer.putInt(live);
          forEachLiveRun(part, (from, to) -> writer.putLongs(part.words, from * 4, (to - from) * 4));
          forEachLiveRun(part, (from, to) -> writer.putLongs(part.ids, from, to - from));
        }
      }
      writer.commit();
    }
  }

  private static void writeSegment(SnapshotWriter writer, Segment segment) throws IOException {
    int rows = segment.size;
    SubstringLayout layout = segment.layout;
    writer.putInt(FORM_TABLES);
    writer.putInt(rows);
    writer.putLongs(segment.words, 0, rows * 4);
    writer.putLongs(segment.ids, 0, rows);
    writer.putInt(layout.count);
    for (int t = 0; t < layout.count; t++) {
      writer.putInt(layout.start[t]);
      writer.putInt(layout.width[t]);
      writer.putInt(layout.prefixBits[t]);
      writer.putInt(layout.residualBits[t]);
    }
    for (int t = 0; t < layout.count; t++) {
      Segment.Table table = segment.table(t);
      if (table.byteOffsets() != null) {
        writer.putInt(1);
        writer.putInt(table.byteBlockBits());
        writer.putInts(table.blockStarts(), 0, table.blockStarts().length);
        writer.putBytes(table.byteOffsets());
      } else if (table.charOffsets() != null) {
        writer.putInt(2);
        writer.putInt(Segment.CHAR_BLOCK_BITS);
        writer.putInts(table.blockStarts(), 0, table.blockStarts().length);
        writer.putChars(table.charOffsets(), 0, table.charOffsets().length);
      } else {
        writer.putInt(4);
        writer.putInt(0);
        writer.putInts(table.wideDirectory(), 0, table.wideDirectory().length);
      }
      writer.putInts(table.postings(), 0, rows);
    }
  }

  static Loaded read(Path file) throws IOException {
    try (SnapshotReader reader = new SnapshotReader(file, SnapshotFormat.KIND_HAMMING_256)) {
      return reader.version() == 1 ? readVersion1(reader) : readVersion2(reader);
    }
  }

  private static Loaded readVersion1(SnapshotReader reader) throws IOException {
    Path file = reader.file();
    long count = reader.count();
    if (count > MAX_ENTRIES) {
      throw new CorruptSnapshotException(file + ": entry count " + count + " is implausible");
    }
    long expected = count * 40;
    if (reader.payloadBytes() != expected) {
      throw new CorruptSnapshotException(file + ": truncated or padded snapshot: header promises "
          + count + " entries (" + expected + " payload bytes), file holds " + reader.payloadBytes());
    }
    long[] words = new long[(int) count * 4];
    long[] ids = new long[(int) count];
    reader.getLongs(words, 0, words.length);
    reader.getLongs(ids, 0, ids.length);
    reader.finish();
    List<Segment> segments = new ArrayList<>();
    if (count > 0) {
      segments.add(Segment.build(words, ids, (int) count, null));
    }
    return new Loaded(segments, new long[0], new long[0], 0);
  }

  /** A part as read, before the checksum has been verified. */
  private record ReadPart(int form, int rows, long[] words, long[] ids, SubstringLayout layout,
      Segment.Table[] tables) {}

  private static Loaded readVersion2(SnapshotReader reader) throws IOException {
    Path file = reader.file();
    int partCount = reader.getInt();
    // Each part takes at least its form, its row count and one row.
    if (partCount < 0 || (long) partCount * 48 > reader.remaining()) {
      throw reader.inconsistent(partCount + " parts do not fit in " + reader.remaining() + " bytes");
    }
    List<ReadPart> parts = new ArrayList<>();
    long total = 0;
    boolean buffer = false;
    for (int p = 0; p < partCount; p++) {
      int form = reader.getInt();
      int rows = reader.getInt();
      if (form < FORM_TABLES || form > FORM_BUFFER || rows <= 0 || rows > MAX_ENTRIES
          || (form == FORM_BUFFER && (buffer || rows >= AppendBuffer.CAPACITY))) {
        throw reader.inconsistent("part " + p + " (form " + form + ", " + rows
            + " rows) is not one this build writes");
      }
      buffer |= form == FORM_BUFFER;
      need(reader, rows * 40L);
      long[] words = new long[rows * 4];
      long[] ids = new long[rows];
      reader.getLongs(words, 0, words.length);
      reader.getLongs(ids, 0, rows);
      SubstringLayout layout = null;
      Segment.Table[] tables = null;
      if (form == FORM_TABLES) {
        layout = readLayout(reader, rows);
        tables = new Segment.Table[layout.count];
        for (int t = 0; t < layout.count; t++) {
          tables[t] = readTable(reader, 1 << layout.prefixBits[t], rows, layout.residualBits[t]);
        }
      }
      parts.add(new ReadPart(form, rows, words, ids, layout, tables));
      total += rows;
    }
    if (total != reader.count()) {
      throw reader.inconsistent("header promises " + reader.count() + " entries, the parts hold "
          + total);
    }
    reader.finish();
    // Verified: only now is anything built from what was read.
    List<Segment> segments = new ArrayList<>();
    long[] bufferWords = new long[0];
    long[] bufferIds = new long[0];
    int bufferRows = 0;
    for (ReadPart part : parts) {
      switch (part.form) {
        case FORM_TABLES -> {
          try {
            segments.add(Segment.withTables(part.words, part.ids, part.rows, part.layout, part.tables));
          } catch (IllegalArgumentException e) {
            throw new CorruptSnapshotException(file + ": a segment's tables do not fit its rows: "
                + e.getMessage() + " (the checksum matches: the file was written so)");
          }
        }
        case FORM_ROWS -> segments.add(Segment.build(part.words, part.ids, part.rows, null));
        default -> {
          bufferWords = part.words;
          bufferIds = part.ids;
          bufferRows = part.rows;
        }
      }
    }
    return new Loaded(segments, bufferWords, bufferIds, bufferRows);
  }

  private static SubstringLayout readLayout(SnapshotReader reader, int rows) throws IOException {
    int m = reader.getInt();
    if (m < 0 || m > 32) {
      throw reader.inconsistent("a segment with " + m + " substrings");
    }
    int[] start = new int[m];
    int[] width = new int[m];
    int[] prefixBits = new int[m];
    int[] residualBits = new int[m];
    for (int t = 0; t < m; t++) {
      start[t] = reader.getInt();
      width[t] = reader.getInt();
      prefixBits[t] = reader.getInt();
      residualBits[t] = reader.getInt();
    }
    try {
      return SubstringLayout.of(start, width, prefixBits, residualBits, rows);
    } catch (IllegalArgumentException e) {
      throw reader.inconsistent("a segment's layout is impossible: " + e.getMessage());
    }
  }

  /**
   * Reads one table and checks that it fits the rows (see {@link Segment#withTables}), the
   * postings a chunk at a time as soon as each is read, while it is in the cache.
   */
  private static Segment.Table readTable(SnapshotReader reader, int groups, int rows,
      int residualBits) throws IOException {
    int entryBytes = reader.getInt();
    int blockBits = reader.getInt();
    Segment.Table table;
    try {
      switch (entryBytes) {
        case 1, 2 -> {
          if (blockBits < 0 || blockBits > Segment.CHAR_BLOCK_BITS
              || (entryBytes == 2 && blockBits != Segment.CHAR_BLOCK_BITS)) {
            throw reader.inconsistent("directory blocks of 2^" + blockBits + " groups");
          }
          int blocks = (groups >>> blockBits) + 1;
          need(reader, blocks * 4L + (groups + 1L) * entryBytes + rows * 4L);
          int[] blockStarts = new int[blocks];
          reader.getInts(blockStarts, 0, blocks);
          byte[] bytes = entryBytes == 1 ? new byte[groups + 1] : null;
          char[] chars = entryBytes == 2 ? new char[groups + 1] : null;
          if (bytes != null) {
            reader.getBytes(bytes);
          } else {
            reader.getChars(chars, 0, groups + 1);
          }
          table = new Segment.Table(blockStarts, bytes, blockBits, chars, null, new int[rows]);
          Segment.checkDirectoryBlocks(table, groups, rows);
        }
        case 4 -> {
          need(reader, (groups + 1L) * 4 + rows * 4L);
          int[] wide = new int[groups + 1];
          reader.getInts(wide, 0, groups + 1);
          Segment.checkWideDirectory(wide, rows);
          table = new Segment.Table(null, null, 0, null, wide, new int[rows]);
        }
        default -> throw reader.inconsistent("a directory of " + entryBytes + "-byte entries");
      }
      int[] postings = table.postings();
      for (int from = 0; from < rows; from += CHECK_CHUNK) {
        int n = Math.min(CHECK_CHUNK, rows - from);
        reader.getInts(postings, from, n);
        Segment.checkPostings(postings, from, from + n, rows, residualBits);
      }
    } catch (IllegalArgumentException e) {
      throw reader.inconsistent("a segment's tables do not fit its rows: " + e.getMessage());
    }
    return table;
  }

  /** Refuses, before anything is allocated for them, bytes the file does not have. */
  private static void need(SnapshotReader reader, long bytes) throws CorruptSnapshotException {
    if (bytes > reader.remaining()) {
      throw new CorruptSnapshotException(reader.file() + ": truncated snapshot: the next "
          + "arrays need " + bytes + " bytes, " + reader.remaining() + " are left");
    }
  }

  private interface RunConsumer {
    void accept(int from, int to) throws IOException;
  }

  private static int live(Part part) {
    int dead = 0;
    for (long bits : part.dead) {
      dead += Long.bitCount(bits);
    }
    // Dead bits are only ever set below size.
    return part.size - dead;
  }

  /** Calls {@code consumer} for each maximal run of live rows, so bulk copies stay large. */
  private static void forEachLiveRun(Part part, RunConsumer consumer) throws IOException {
    int row = 0;
    while (row < part.size) {
      while (row < part.size && isDead(part.dead, row)) {
        row++;
      }
      int from = row;
      while (row < part.size && !isDead(part.dead, row)) {
        row++;
      }
      if (row > from) {
        consumer.accept(from, row);
      }
    }
  }

  private static boolean isDead(long[] dead, int row) {
    return (dead[row >>> 6] & (1L << row)) != 0;
  }
}
