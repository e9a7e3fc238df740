package org.countersignal.signals.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The documents of a {@link TextIndex} by the SHA-256 of their normalised text, held in primitive
 * arrays rather than a map of objects: a million banked documents would otherwise be four million
 * small objects that every full collection walks. Each document's digest (four longs), an
 * open-addressing table from the digest's first long to the newest document that starts with it,
 * and per document the previous one with the same first long.
 */
final class ExactTexts {

  private long[] digests = new long[4 * 1024];
  private int[] previous = new int[1024];
  private int[] table = new int[1 << 11];
  private int heads;

  /** Files document {@code document}, the next number, under its digest. */
  void add(int document, byte[] sha256) {
    if (document == previous.length) {
      previous = Arrays.copyOf(previous, document * 2);
      digests = Arrays.copyOf(digests, document * 2 * 4);
    }
    ByteBuffer digest = ByteBuffer.wrap(sha256);
    for (int i = 0; i < 4; i++) {
      digests[document * 4 + i] = digest.getLong(i * 8);
    }
    if ((heads + 1) * 2L > table.length) {
      grow();
    }
    int slot = find(digests[document * 4]);
    previous[document] = table[slot] - 1;
    if (table[slot] == 0) {
      heads++;
    }
    table[slot] = document + 1;
  }

  /** The documents whose normalised text has this digest, newest first. */
  void forEach(byte[] sha256, IntConsumer sink) {
    ByteBuffer digest = ByteBuffer.wrap(sha256);
    long first = digest.getLong(0);
    for (int document = table[find(first)] - 1; document >= 0; document = previous[document]) {
      if (digests[document * 4 + 1] == digest.getLong(8) && digests[document * 4 + 2] == digest.getLong(16)
          && digests[document * 4 + 3] == digest.getLong(24)) {
        sink.accept(document);
      }
    }
  }

  void writeTo(IndexData.Sink out, int documents) throws IOException {
    IndexData.putLongs(out, digests, documents * 4);
    IndexData.putInts(out, previous, documents);
    IndexData.putInts(out, table, table.length);
  }

  /**
   * Digests written by {@link #writeTo}, checked to chain only to earlier documents and to leave
   * the table the free half {@link #add} keeps, or a look-up would never end.
   */
  static ExactTexts readFrom(IndexData.Source in, int documents) throws IOException {
    ExactTexts exact = new ExactTexts();
    int capacity = Math.max(1024, documents);
    exact.digests = IndexData.getLongs(in, capacity * 4);
    exact.previous = IndexData.getInts(in, capacity);
    exact.table = IndexData.getInts(in, 0);
    for (int i = 0; i < documents; i++) {
      if (exact.previous[i] < -1 || exact.previous[i] >= i) {
        throw new IOException("damaged text index: document " + i + " follows " + exact.previous[i]);
      }
    }
    for (int head : exact.table) {
      if (IndexData.checked(head, documents, "exact head") != 0) {
        exact.heads++;
      }
    }
    if (Integer.bitCount(exact.table.length) != 1 || exact.heads * 2L > exact.table.length) {
      throw new IOException("damaged text index: exact table of " + exact.table.length + " slots for " + exact.heads);
    }
    return exact;
  }

  long bytes() {
    return (long) digests.length * 8 + (long) previous.length * 4 + (long) table.length * 4;
  }

  /** The slot holding the chain of {@code first}, or the empty slot where it would go. */
  private int find(long first) {
    int mask = table.length - 1;
    int slot = (int) Mix.mix64(first) & mask;
    while (table[slot] != 0 && digests[(table[slot] - 1) * 4] != first) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private void grow() {
    int[] old = table;
    table = new int[old.length * 2];
    for (int head : old) {
      if (head != 0) {
        table[find(digests[(head - 1) * 4])] = head;
      }
    }
  }
}
