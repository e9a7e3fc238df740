package org.countersignal.index.hamming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.countersignal.index.snapshot.CorruptSnapshotException;
import org.countersignal.index.snapshot.SnapshotFormat;
import org.countersignal.index.snapshot.UnsupportedSnapshotException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HammingSnapshotTest {

  @TempDir Path dir;
  private Path file;
  private HammingIndex index;
  private long[] words;
  private final SplittableRandom random = new SplittableRandom(17);

  @BeforeEach
  void writeOne() throws IOException {
    int n = 10_000;
    words = TestHashes.randomWords(random, n);
    index = HammingIndex.build(words.clone(), TestHashes.sequentialIds(n, 100));
    // Entries in the append buffer and removed entries must round-trip as well.
    for (int i = 0; i < 5000; i++) {
      index.add(TestHashes.hash(TestHashes.flip(random, TestHashes.row(words, i), 5)), 50_000 + i);
    }
    index.remove(Hash256.fromWords(words, 3), 103);
    file = dir.resolve("index.snap");
    index.writeSnapshot(file);
  }

  @Test
  void roundTripKeepsEveryEntryAndNoRemovedOne() throws IOException {
    try (HammingIndex loaded = HammingIndex.readSnapshot(file)) {
      assertThat(loaded.size()).isEqualTo(index.size()).isEqualTo(10_000 + 5000 - 1);
      for (Hash256 q : TestHashes.queries(random, words, 10_000, 50, 31)) {
        assertThat(loaded.search(q, 31)).isEqualTo(index.search(q, 31));
      }
      assertThat(loaded.search(Hash256.fromWords(words, 3), 0)).isEmpty();
    }
    assertThat(Files.list(dir)).as("no temporary file is left behind").containsExactly(file);
  }

  @Test
  void flippedByteIsReportedAsCorrupt() throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(file, bytes);
    assertThatThrownBy(() -> HammingIndex.readSnapshot(file))
        .isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void corruptChecksumIsReported() throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 1;
    Files.write(file, bytes);
    assertThatThrownBy(() -> HammingIndex.readSnapshot(file))
        .isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void truncatedFileIsReported() throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    for (int keep : new int[] {0, 10, 24, 31, bytes.length / 2, bytes.length - 1}) {
      Files.write(file, Arrays.copyOf(bytes, keep));
      assertThatThrownBy(() -> HammingIndex.readSnapshot(file))
          .as("kept %d bytes", keep)
          .isInstanceOf(CorruptSnapshotException.class)
          .hasMessageContaining("truncated");
    }
  }

  @Test
  void wrongMagicIsReported() throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[0] = 'X';
    Files.write(file, bytes);
    assertThatThrownBy(() -> HammingIndex.readSnapshot(file))
        .isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining("not a Countersignal index snapshot");
  }

  @Test
  void newerVersionIsReportedAsUnsupported() throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 3);
    Files.write(file, bytes);
    assertThatThrownBy(() -> HammingIndex.readSnapshot(file))
        .isInstanceOf(UnsupportedSnapshotException.class)
        .hasMessageContaining("version 3")
        .hasMessageContaining("reads versions 1 to 2");
  }

  @Test
  void currentFilesAreVersionTwo() throws IOException {
    assertThat(ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).getInt(8))
        .isEqualTo(SnapshotFormat.HAMMING_256_VERSION).isEqualTo(2);
  }

  @Test
  void versionOneFileStillLoads() throws IOException {
    // As the previous build wrote it: header, all hashes, all ids, checksum.
    int n = 40_000;
    long[] hashes = TestHashes.randomWords(random, n);
    long[] ids = TestHashes.sequentialIds(n, 7_000_000_000L);
    ByteBuffer bytes = ByteBuffer.allocate(24 + 40 * n + 8).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putLong(SnapshotFormat.MAGIC).putInt(1).putInt(SnapshotFormat.KIND_HAMMING_256).putLong(n);
    for (long w : hashes) {
      bytes.putLong(w);
    }
    for (long id : ids) {
      bytes.putLong(id);
    }
    Path old = dir.resolve("old.snap");
    Files.write(old, sealed(bytes.array()));
    try (HammingIndex loaded = HammingIndex.readSnapshot(old)) {
      assertThat(loaded.size()).isEqualTo(n);
      for (Hash256 q : TestHashes.queries(random, hashes, n, 40, 31)) {
        assertThat(loaded.search(q, 31)).isEqualTo(TestHashes.bruteForce(hashes, ids, n, q, 31));
      }
    }
  }

  @Test
  void tablesRoundTripInEveryDirectoryForm() throws IOException {
    // Uniform data gets one-byte directory offsets, a few clusters two-byte ones, one tight
    // cluster four-byte entries (as in SegmentExactnessTest).
    long[][] data = {
        TestHashes.randomWords(random, 40_000),
        TestHashes.clusteredWords(random, 40_000, 20, 3),
        TestHashes.clusteredWords(random, 80_000, 1, 1)};
    int[] entryBytes = {1, 2, 4};
    for (int k = 0; k < data.length; k++) {
      long[] hashes = data[k];
      int n = hashes.length / 4;
      long[] ids = TestHashes.sequentialIds(n, 1000L * k);
      Segment built = Segment.build(hashes.clone(), ids.clone(), n, null);
      assertThat(built.directoryEntryBytes(0)).isEqualTo(entryBytes[k]);
      Path saved = dir.resolve("form" + k + ".snap");
      HammingSnapshot.write(saved, List.of(new HammingSnapshot.Part(built, built.words, built.ids,
          n, new long[(n + 63) / 64])));
      assertThat(Files.size(saved)).as("the tables are stored").isGreaterThan(80L * n);
      HammingSnapshot.Loaded loaded = HammingSnapshot.read(saved);
      assertThat(loaded.segments()).hasSize(1);
      Segment segment = loaded.segments().get(0);
      assertThat(segment.layout.count).isEqualTo(built.layout.count);
      for (int t = 0; t < segment.layout.count; t++) {
        assertThat(segment.directoryEntryBytes(t)).isEqualTo(built.directoryEntryBytes(t));
      }
      for (int radius : new int[] {0, 8, 31, 40}) {
        for (int i = 0; i < 12; i++) {
          Hash256 q = TestHashes.hash(TestHashes.flip(random,
              TestHashes.row(hashes, random.nextInt(n)), random.nextInt(radius + 2)));
          assertThat(SegmentExactnessTest.collect(segment, q, radius))
              .as("form %d radius %d", entryBytes[k], radius)
              .isEqualTo(TestHashes.bruteForce(hashes, ids, n, q, radius));
        }
      }
    }
  }

  @Test
  void segmentsKeepTheirTablesAndRemovedRowsStayRemoved() throws IOException {
    int n = 50_000;
    long[] hashes = TestHashes.randomWords(random, n);
    long[] ids = TestHashes.sequentialIds(n, 0);
    Path saved = dir.resolve("big.snap");
    try (HammingIndex big = HammingIndex.build(hashes.clone(), ids.clone())) {
      for (int i = 0; i < 6000; i++) {
        big.add(TestHashes.hash(TestHashes.flip(random, TestHashes.row(hashes, i), 3)), n + i);
      }
      big.writeSnapshot(saved);
      assertThat(Files.size(saved)).as("the large segment's tables are stored").isGreaterThan(80L * n);
      try (HammingIndex loaded = HammingIndex.readSnapshot(saved)) {
        assertThat(loaded.size()).isEqualTo(big.size());
        assertThat(loaded.segmentCount()).isEqualTo(big.segmentCount());
        for (Hash256 q : TestHashes.queries(random, hashes, n, 60, 31)) {
          assertThat(loaded.search(q, 31)).isEqualTo(big.search(q, 31));
        }
      }
      // A removal in the large segment: its rows are written without the removed one, and its
      // tables are built again on load.
      assertThat(big.remove(Hash256.fromWords(hashes, 10), 10)).isEqualTo(1);
      big.writeSnapshot(saved);
      assertThat(Files.size(saved)).isLessThan(60L * (n + 6000));
      try (HammingIndex loaded = HammingIndex.readSnapshot(saved)) {
        assertThat(loaded.size()).isEqualTo(n + 6000 - 1);
        assertThat(loaded.search(Hash256.fromWords(hashes, 10), 0)).isEmpty();
        for (Hash256 q : TestHashes.queries(random, hashes, n, 60, 31)) {
          assertThat(loaded.search(q, 31)).isEqualTo(big.search(q, 31));
        }
      }
    }
  }

  @Test
  void damageToTheStructureIsReportedAsAChecksumMismatch() throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[28] ^= 0x40; // the first part's form
    Files.write(file, bytes);
    assertThatThrownBy(() -> HammingIndex.readSnapshot(file))
        .isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining("checksum mismatch")
        .hasMessageContaining("is not one this build writes");
  }

  @Test
  void tablesThatReachOutsideTheRowsAreRefusedEvenWithAMatchingChecksum() throws IOException {
    int n = 40_000;
    long[] hashes = TestHashes.randomWords(random, n);
    Path saved = dir.resolve("tables.snap");
    try (HammingIndex big = HammingIndex.build(hashes, TestHashes.sequentialIds(n, 0))) {
      big.writeSnapshot(saved);
    }
    byte[] good = Files.readAllBytes(saved);
    // The last posting of the last table (just before the checksum) names a row past the end.
    byte[] bytes = good.clone();
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length - 12, -1);
    Files.write(saved, sealed(bytes));
    assertThatThrownBy(() -> HammingIndex.readSnapshot(saved))
        .isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining("do not fit its rows")
        .hasMessageContaining("names row")
        .hasMessageContaining("the checksum matches");
    // A directory group near the end that starts past the rows: the first table's last group
    // but one (after the header, the part count, form, rows, hashes, ids, the substring count,
    // the layout, the table's entry size and block bits, and its block starts).
    bytes = good.clone();
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int layoutStart = 24 + 4 + 8 + 40 * n;
    int m = buffer.getInt(layoutStart);
    int groups = 1 << buffer.getInt(layoutStart + 4 + 8);
    int table = layoutStart + 4 + 16 * m;
    assertThat(buffer.getInt(table)).as("one-byte directory entries").isEqualTo(1);
    int blockBits = buffer.getInt(table + 4);
    int offsets = table + 8 + 4 * ((groups >>> blockBits) + 1);
    bytes[offsets + groups - 1] = (byte) 0xff;
    Files.write(saved, sealed(bytes));
    assertThatThrownBy(() -> HammingIndex.readSnapshot(saved))
        .isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining("do not fit its rows")
        .hasMessageContaining("directory block " + ((groups - 1) >>> blockBits) + " reaches past the rows");
    // A layout whose substrings do not cover the hash: the first width is one bit short.
    bytes = good.clone();
    int firstWidth = layoutStart + 4 + 4;
    buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putInt(firstWidth, buffer.getInt(firstWidth) - 1);
    Files.write(saved, sealed(bytes));
    assertThatThrownBy(() -> HammingIndex.readSnapshot(saved))
        .isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining("layout is impossible")
        .hasMessageContaining("the checksum matches")
        .hasMessageNotContaining("mismatch");
  }

  /** A copy of {@code bytes} with the checksum over everything before the last eight bytes. */
  private static byte[] sealed(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 8);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(bytes.length - 8, crc.getValue());
    return bytes;
  }

  @Test
  void otherKindIsReportedAsUnsupported() throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 2);
    Files.write(file, bytes);
    assertThatThrownBy(() -> HammingIndex.readSnapshot(file))
        .isInstanceOf(UnsupportedSnapshotException.class)
        .hasMessageContaining("exact byte-signal index");
  }

  @Test
  void countThatDisagreesWithLengthIsReported() throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(16, buffer.getLong(16) + 1);
    Files.write(file, bytes);
    assertThatThrownBy(() -> HammingIndex.readSnapshot(file))
        .isInstanceOf(CorruptSnapshotException.class)
        .hasMessageContaining("header promises");
  }

  @Test
  void emptyIndexRoundTrips() throws IOException {
    Path empty = dir.resolve("empty.snap");
    try (HammingIndex nothing = new HammingIndex()) {
      nothing.writeSnapshot(empty);
    }
    try (HammingIndex loaded = HammingIndex.readSnapshot(empty)) {
      assertThat(loaded.size()).isZero();
      assertThat(loaded.search(Hash256.fromHex("0".repeat(64)), 256)).isEqualTo(List.of());
    }
  }

  @Test
  void rewritingReplacesTheFileAtomically() throws IOException {
    index.add(Hash256.fromHex("a".repeat(64)), 7);
    index.writeSnapshot(file);
    try (HammingIndex loaded = HammingIndex.readSnapshot(file)) {
      assertThat(loaded.search(Hash256.fromHex("a".repeat(64)), 0)).contains(new Match(7, 0));
    }
  }
}
