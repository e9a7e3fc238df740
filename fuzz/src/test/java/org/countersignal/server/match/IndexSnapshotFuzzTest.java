package org.countersignal.server.match;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.countersignal.index.snapshot.SnapshotFormat;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.server.signal.ServerSignalType;
import org.countersignal.server.signal.SignalIndex;

/**
 * A damaged index snapshot file, read by each signal type's index reader as a starting server
 * reads its data directory ({@link MatchIndexes#restore}). A file that is not sound must be
 * refused with an {@link IOException} (the server then replays the change sequence); nothing else
 * may escape, and a refused file must leave no half-read index behind.
 *
 * <p>The first input byte picks the signal type; the second, when odd, gives the file a correct
 * checksum after the fuzzer has changed it, so that the readers' handling of a well-checksummed
 * but inconsistent payload is reached too (a snapshot written by a faulty build). The rest is
 * the file.
 */
class IndexSnapshotFuzzTest {

  private static final List<ServerSignalType> TYPES = new SignalCatalog().types().stream()
      .filter(type -> !type.name().equals("vpdq")) // reads its frames from the database, not a file
      .toList();
  private static final Path FILE = scratchFile();

  @FuzzTest(maxDuration = "5m")
  void readIndex(byte[] data) throws IOException {
    if (data.length < 2) {
      return;
    }
    ServerSignalType type = TYPES.get(Byte.toUnsignedInt(data[0]) % TYPES.size());
    byte[] file = Arrays.copyOfRange(data, 2, data.length);
    if ((data[1] & 1) != 0) {
      seal(file);
    }
    Files.write(FILE, file);
    try (SignalIndex index = type.readIndex(FILE)) {
      assertThat(index.size()).isNotNegative();
    } catch (IOException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  /** Puts the CRC-32C of everything before it into the last eight bytes, as SnapshotWriter does. */
  private static void seal(byte[] file) {
    int end = file.length - SnapshotFormat.TRAILER_BYTES;
    if (end < SnapshotFormat.HEADER_BYTES) {
      return;
    }
    CRC32C crc = new CRC32C();
    crc.update(file, 0, end);
    ByteBuffer.wrap(file, end, SnapshotFormat.TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(crc.getValue());
  }

  private static Path scratchFile() {
    try {
      Path dir = Files.createTempDirectory("countersignal-snapshot-fuzz");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve("index.snapshot");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
