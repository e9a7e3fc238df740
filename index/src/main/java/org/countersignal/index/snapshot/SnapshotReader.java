package org.countersignal.index.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads a snapshot written by {@link SnapshotWriter}, checksumming every byte as it goes.
 * Callers read the payload into private arrays, then call {@link #finish()}, which throws
 * unless the payload ended exactly where the checksum starts and the checksum matches; only
 * then may they build an index from the arrays.
 */
public final class SnapshotReader implements AutoCloseable {

  private static final int BUFFER_BYTES = 1 << 22;

  private final Path file;
  private final FileChannel channel;
  private final long payloadEnd;
  private final ByteBuffer buffer =
      ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  private final CRC32C crc = new CRC32C();
  private long readFromChannel;
  private final long count;
  private final int version;

  /** Opens a snapshot and checks its header: magic, kind, and a version this build reads. */
  public SnapshotReader(Path file, int expectedKind) throws IOException {
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      long fileSize = channel.size();
      if (fileSize < SnapshotFormat.HEADER_BYTES + SnapshotFormat.TRAILER_BYTES) {
        throw new CorruptSnapshotException(
            file + ": truncated snapshot (" + fileSize + " bytes, shorter than header and checksum)");
      }
      this.payloadEnd = fileSize - SnapshotFormat.TRAILER_BYTES;
      buffer.limit(0);
      long magic = getLong();
      if (magic != SnapshotFormat.MAGIC) {
        throw new CorruptSnapshotException(file + ": not a Countersignal index snapshot (bad magic)");
      }
      int version = getInt();
      int kind = getInt();
      if (kind != expectedKind) {
        throw new UnsupportedSnapshotException(file + ": snapshot holds a "
            + SnapshotFormat.kindName(kind) + ", expected a " + SnapshotFormat.kindName(expectedKind));
      }
      int newest = SnapshotFormat.currentVersion(kind);
      if (version < 1 || version > newest) {
        throw new UnsupportedSnapshotException(file + ": snapshot format version " + version
            + " of a " + SnapshotFormat.kindName(kind) + " is not supported (this build reads "
            + (newest == 1 ? "version 1" : "versions 1 to " + newest) + ")");
      }
      this.version = version;
      this.count = getLong();
      if (count < 0) {
        throw new CorruptSnapshotException(file + ": negative entry count " + count);
      }
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  public long count() {
    return count;
  }

  /** The payload's format version, 1 to {@link SnapshotFormat#currentVersion} of the kind. */
  public int version() {
    return version;
  }

  /** Bytes between the header and the checksum. */
  public long payloadBytes() {
    return payloadEnd - SnapshotFormat.HEADER_BYTES;
  }

  /** Payload bytes not read yet. */
  public long remaining() {
    return payloadEnd - readFromChannel + buffer.remaining();
  }

  public Path file() {
    return file;
  }

  public long getLong() throws IOException {
    need(8);
    return buffer.getLong();
  }

  public int getInt() throws IOException {
    need(4);
    return buffer.getInt();
  }

  public short getShort() throws IOException {
    need(2);
    return buffer.getShort();
  }

  public void getBytes(byte[] into) throws IOException {
    getBytes(into, 0, into.length);
  }

  /** Reads {@code length} bytes into {@code into} starting at {@code offset}. */
  public void getBytes(byte[] into, int offset, int length) throws IOException {
    while (length > 0) {
      if (!buffer.hasRemaining()) {
        need(1);
      }
      int n = Math.min(buffer.remaining(), length);
      buffer.get(into, offset, n);
      offset += n;
      length -= n;
    }
  }

  /** Reads {@code length} longs into {@code into} starting at {@code offset}. */
  public void getLongs(long[] into, int offset, int length) throws IOException {
    while (length > 0) {
      if (buffer.remaining() < 8) {
        need(8);
      }
      int n = Math.min(buffer.remaining() / 8, length);
      buffer.asLongBuffer().get(into, offset, n);
      buffer.position(buffer.position() + n * 8);
      offset += n;
      length -= n;
    }
  }

  /** Reads {@code length} ints into {@code into} starting at {@code offset}. */
  public void getInts(int[] into, int offset, int length) throws IOException {
    while (length > 0) {
      if (buffer.remaining() < 4) {
        need(4);
      }
      int n = Math.min(buffer.remaining() / 4, length);
      buffer.asIntBuffer().get(into, offset, n);
      buffer.position(buffer.position() + n * 4);
      offset += n;
      length -= n;
    }
  }

  /** Reads {@code length} chars into {@code into} starting at {@code offset}. */
  public void getChars(char[] into, int offset, int length) throws IOException {
    while (length > 0) {
      if (buffer.remaining() < 2) {
        need(2);
      }
      int n = Math.min(buffer.remaining() / 2, length);
      buffer.asCharBuffer().get(into, offset, n);
      buffer.position(buffer.position() + n * 2);
      offset += n;
      length -= n;
    }
  }

  /** Checks that the payload was read exactly and that the checksum matches. */
  public void finish() throws IOException {
    if (buffer.hasRemaining() || readFromChannel != payloadEnd) {
      throw new CorruptSnapshotException(file + ": snapshot has "
          + remaining() + " unexpected bytes before its checksum");
    }
    long stored = storedChecksum();
    if (stored != crc.getValue()) {
      throw new CorruptSnapshotException(String.format(
          "%s: snapshot checksum mismatch (stored %08x, computed %08x): the file is corrupt",
          file, stored, crc.getValue()));
    }
  }

  /**
   * The exception for a payload that makes no sense ({@code detail} says how), found before the
   * checksum could be verified. The rest of the file is checksummed first: a damaged file is
   * reported as such, and only a file whose checksum matches (written so by a faulty build) by
   * {@code detail} alone.
   */
  public CorruptSnapshotException inconsistent(String detail) throws IOException {
    buffer.position(buffer.limit());
    while (readFromChannel < payloadEnd) {
      buffer.clear();
      buffer.limit((int) Math.min(buffer.capacity(), payloadEnd - readFromChannel));
      int n = channel.read(buffer, readFromChannel);
      if (n < 0) {
        break;
      }
      buffer.flip();
      crc.update(buffer);
      readFromChannel += n;
    }
    buffer.limit(0);
    long stored = storedChecksum();
    if (stored != crc.getValue()) {
      return new CorruptSnapshotException(String.format(
          "%s: snapshot checksum mismatch (stored %08x, computed %08x): the file is corrupt (%s)",
          file, stored, crc.getValue(), detail));
    }
    return new CorruptSnapshotException(file + ": " + detail
        + " (the checksum matches: the file was written so)");
  }

  private long storedChecksum() throws IOException {
    ByteBuffer trailer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    while (trailer.hasRemaining()) {
      if (channel.read(trailer, payloadEnd + trailer.position()) < 0) {
        throw new CorruptSnapshotException(file + ": truncated snapshot (checksum missing)");
      }
    }
    return trailer.flip().getLong();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** Makes at least {@code bytes} bytes available in the buffer, reading (and checksumming) more. */
  private void need(int bytes) throws IOException {
    if (buffer.remaining() >= bytes) {
      return;
    }
    buffer.compact();
    while (buffer.position() < bytes) {
      long left = payloadEnd - readFromChannel;
      if (left <= 0) {
        buffer.flip();
        throw new CorruptSnapshotException(file + ": truncated snapshot (payload ends early)");
      }
      int start = buffer.position();
      if (buffer.remaining() > left) {
        buffer.limit(start + (int) left);
      }
      int n = channel.read(buffer, readFromChannel);
      buffer.limit(buffer.capacity());
      if (n < 0) {
        throw new CorruptSnapshotException(file + ": truncated snapshot (end of file)");
      }
      ByteBuffer fresh = buffer.duplicate();
      fresh.position(start).limit(start + n);
      crc.update(fresh);
      readFromChannel += n;
    }
    buffer.flip();
  }
}
