package org.countersignal.index.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes a snapshot to a temporary file beside the target, then moves it into place
 * atomically in {@link #commit()}; if anything fails or {@link #close()} comes first, the
 * temporary file is deleted and the target is untouched.
 */
public final class SnapshotWriter implements AutoCloseable {

  private static final int BUFFER_BYTES = 1 << 22;

  private final Path target;
  private final Path temp;
  private final FileChannel channel;
  private final ByteBuffer buffer =
      ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  private final CRC32C crc = new CRC32C();
  private boolean committed;

  public SnapshotWriter(Path target, int kind, long count) throws IOException {
    this.target = target.toAbsolutePath();
    Path dir = this.target.getParent();
    this.temp = Files.createTempFile(dir, "." + this.target.getFileName(), ".tmp");
    this.channel = FileChannel.open(temp, StandardOpenOption.WRITE);
    putLong(SnapshotFormat.MAGIC);
    putInt(SnapshotFormat.currentVersion(kind));
    putInt(kind);
    putLong(count);
  }

  public void putLong(long value) throws IOException {
    room(8);
    buffer.putLong(value);
  }

  public void putInt(int value) throws IOException {
    room(4);
    buffer.putInt(value);
  }

  public void putShort(short value) throws IOException {
    room(2);
    buffer.putShort(value);
  }

  public void putBytes(byte[] bytes) throws IOException {
    int offset = 0;
    while (offset < bytes.length) {
      if (!buffer.hasRemaining()) {
        flush();
      }
      int n = Math.min(buffer.remaining(), bytes.length - offset);
      buffer.put(bytes, offset, n);
      offset += n;
    }
  }

  /** Writes {@code length} longs from {@code values} starting at {@code offset}. */
  public void putLongs(long[] values, int offset, int length) throws IOException {
    while (length > 0) {
      if (buffer.remaining() < 8) {
        flush();
      }
      int n = Math.min(buffer.remaining() / 8, length);
      buffer.asLongBuffer().put(values, offset, n);
      buffer.position(buffer.position() + n * 8);
      offset += n;
      length -= n;
    }
  }

  /** Writes {@code length} ints from {@code values} starting at {@code offset}. */
  public void putInts(int[] values, int offset, int length) throws IOException {
    while (length > 0) {
      if (buffer.remaining() < 4) {
        flush();
      }
      int n = Math.min(buffer.remaining() / 4, length);
      buffer.asIntBuffer().put(values, offset, n);
      buffer.position(buffer.position() + n * 4);
      offset += n;
      length -= n;
    }
  }

  /** Writes {@code length} chars from {@code values} starting at {@code offset}. */
  public void putChars(char[] values, int offset, int length) throws IOException {
    while (length > 0) {
      if (buffer.remaining() < 2) {
        flush();
      }
      int n = Math.min(buffer.remaining() / 2, length);
      buffer.asCharBuffer().put(values, offset, n);
      buffer.position(buffer.position() + n * 2);
      offset += n;
      length -= n;
    }
  }

  /** Writes the checksum, forces the file to disk and moves it over the target. */
  public void commit() throws IOException {
    flush();
    ByteBuffer trailer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    trailer.putLong(crc.getValue()).flip();
    while (trailer.hasRemaining()) {
      channel.write(trailer);
    }
    channel.force(true);
    channel.close();
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    committed = true;
  }

  @Override
  public void close() throws IOException {
    if (!committed) {
      channel.close();
      Files.deleteIfExists(temp);
    }
  }

  private void room(int bytes) throws IOException {
    if (buffer.remaining() < bytes) {
      flush();
    }
  }

  private void flush() throws IOException {
    buffer.flip();
    crc.update(buffer.duplicate());
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    buffer.clear();
  }
}
