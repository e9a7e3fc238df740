package org.countersignal.index.hamming;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.countersignal.index.snapshot.CorruptSnapshotException;
import org.countersignal.index.snapshot.SnapshotFormat;
import org.countersignal.index.snapshot.SnapshotReader;
import org.countersignal.index.snapshot.SnapshotWriter;

/**
 * Payload of a Hamming index snapshot: all hashes (four little-endian longs each, in
 * {@link Hash256} word order), then all ids (one long each). Tables are not stored: rebuilding
 * them on load takes about as long as reading them would, and keeps the file format free of
 * layout decisions that may change.
 */
final class HammingSnapshot {

  /** Maximum entries in one snapshot (one segment's array limit). */
  static final long MAX_ENTRIES = Integer.MAX_VALUE / 4 - 16;

  record Part(long[] words, long[] ids, int size, long[] dead) {}

  record Entries(long[] words, long[] ids) {}

  private HammingSnapshot() {}

  static void write(Path file, List<Part> parts) throws IOException {
    long count = 0;
    for (Part part : parts) {
      count += live(part);
    }
    try (SnapshotWriter writer = new SnapshotWriter(file, SnapshotFormat.KIND_HAMMING_256, count)) {
      for (Part part : parts) {
        forEachLiveRun(part, (from, to) -> writer.putLongs(part.words, from * 4, (to - from) * 4));
      }
      for (Part part : parts) {
        forEachLiveRun(part, (from, to) -> writer.putLongs(part.ids, from, to - from));
      }
      writer.commit();
    }
  }

  static Entries read(Path file) throws IOException {
    try (SnapshotReader reader = new SnapshotReader(file, SnapshotFormat.KIND_HAMMING_256)) {
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
      return new Entries(words, ids);
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
