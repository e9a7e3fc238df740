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
import org.countersignal.index.snapshot.CorruptSnapshotException;
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
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 2);
    Files.write(file, bytes);
    assertThatThrownBy(() -> HammingIndex.readSnapshot(file))
        .isInstanceOf(UnsupportedSnapshotException.class)
        .hasMessageContaining("version 2");
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
