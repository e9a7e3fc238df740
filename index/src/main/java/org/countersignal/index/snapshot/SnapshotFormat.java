package org.countersignal.index.snapshot;

/**
 * The container shared by all index snapshots (little-endian throughout):
 *
 * <pre>
 *   offset  size  field
 *        0     8  magic "CSIXSNAP"
 *        8     4  format version of the payload's kind (see {@link #currentVersion})
 *       12     4  kind: 1 = 256-bit Hamming index, 2 = exact byte-signal index
 *       16     8  entry count
 *       24     …  payload, defined by the kind
 *    end-8     8  CRC32C of every byte before it, zero-extended to 8 bytes
 * </pre>
 *
 * The checksum is verified before a loaded index is returned, and a file whose length does not
 * match what the header promises is rejected as truncated before its payload is read.
 *
 * <p>Each kind's payload has its own version: a reader accepts every version of its kind from 1
 * up to the current one, so a newer build still loads what an older one wrote.
 */
public final class SnapshotFormat {

  public static final long MAGIC = 0x50414E5358495343L; // "CSIXSNAP" read little-endian
  public static final int HEADER_BYTES = 24;
  public static final int TRAILER_BYTES = 8;

  public static final int KIND_HAMMING_256 = 1;
  public static final int KIND_EXACT_BYTES = 2;
  public static final int KIND_TEXT_MINHASH = 3;

  /**
   * Hamming index payload versions: 1 holds hashes and ids only (tables rebuilt on load); 2 holds
   * each segment with its tables, so a load is a read.
   */
  public static final int HAMMING_256_VERSION = 2;

  private SnapshotFormat() {}

  /** The version this build writes for {@code kind}, and the newest it reads. */
  public static int currentVersion(int kind) {
    return kind == KIND_HAMMING_256 ? HAMMING_256_VERSION : 1;
  }

  static String kindName(int kind) {
    return switch (kind) {
      case KIND_HAMMING_256 -> "256-bit Hamming index";
      case KIND_EXACT_BYTES -> "exact byte-signal index";
      case KIND_TEXT_MINHASH -> "text MinHash index";
      default -> "unknown kind " + kind;
    };
  }
}
