package org.countersignal.signals.text;

import static org.countersignal.signals.text.MinHashParameters.BANDS;
import static org.countersignal.signals.text.MinHashParameters.ROWS;
import static org.countersignal.signals.text.MinHashParameters.SLOTS;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Near-duplicate index of text signals: MinHash sketches bucketed by LSH banding
 * ({@link MinHashParameters#BANDS} bands of {@link MinHashParameters#ROWS} slots), so a lookup
 * touches only the chunks that share at least one whole band with a query chunk, whatever the
 * number of banked documents. Candidates are then verified on the full sketch against the
 * threshold. Exact matches of the normalised text are found through a hash map.
 *
 * <p>Memory: one open-addressing table of 8-byte entries (36 bits of band key, 28 bits of chunk
 * number) at load ≤ 0.7, so about 16 × 8 / 0.7 ≈ 180 bytes per chunk, plus 128 bytes per chunk for
 * verification. Adds and lookups must not run concurrently; lookups may run
 * concurrently with each other.
 */
public final class TextIndex {

  /** The closest sketch pair found for one banked document. */
  public record Match(int document, int distance) {}

  private final Map<ByteBuffer, int[]> exact = new HashMap<>();
  private char[] sketches = new char[1024 * SLOTS];
  private int[] chunkDocument = new int[1024];
  private int chunks;
  private int documents;

  /** Chunk numbers take the low 28 bits of an entry (+1, so that 0 marks an empty slot). */
  private static final int CHUNK_BITS = 28;
  private static final long CHUNK_MASK = (1L << CHUNK_BITS) - 1;
  private static final int MAX_CHUNKS = (int) CHUNK_MASK - 1;

  private long[] table = new long[1 << 12];
  private int used;

  /** Adds a document's signal; returns its document number (0, 1, 2, ...). */
  public int add(TextSignal signal) {
    int document = documents++;
    exact.merge(ByteBuffer.wrap(signal.normalizedSha256().clone()), new int[] {document}, TextIndex::concat);
    if (signal.whole() == null) {
      return document;
    }
    addChunk(document, signal.whole());
    for (MinHashSketch chunk : signal.chunks()) {
      if (!chunk.equals(signal.whole())) {
        addChunk(document, chunk);
      }
    }
    return document;
  }

  public int documents() {
    return documents;
  }

  public int chunks() {
    return chunks;
  }

  /** Approximate heap bytes held by the index, for capacity planning. */
  public long approximateBytes() {
    return (long) table.length * 8 + (long) sketches.length * 2 + (long) chunkDocument.length * 4
        + exact.size() * 120L;
  }

  private void addChunk(int document, MinHashSketch sketch) {
    if (chunks >= MAX_CHUNKS) {
      throw new IllegalStateException("text index is full (" + MAX_CHUNKS + " chunks); split the bank into shards");
    }
    if (chunks == chunkDocument.length) {
      chunkDocument = Arrays.copyOf(chunkDocument, chunks * 2);
      sketches = Arrays.copyOf(sketches, chunks * 2 * SLOTS);
    }
    System.arraycopy(sketch.slots(), 0, sketches, chunks * SLOTS, SLOTS);
    chunkDocument[chunks] = document;
    int chunk = chunks++;
    if ((used + BANDS) * 10L > table.length * 7L) {
      grow();
    }
    for (int band = 0; band < BANDS; band++) {
      insert(bandKey(sketch.slots(), band), chunk + 1);
    }
  }

  private void insert(long key, int value) {
    int mask = table.length - 1;
    int slot = home(key, mask);
    while (table[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    table[slot] = (key & ~CHUNK_MASK) | value;
    used++;
  }

  /** The slot a key starts probing at: the same high key bits that the entry keeps. */
  private static int home(long key, int mask) {
    return (int) (key >>> CHUNK_BITS) & mask;
  }

  private void grow() {
    long[] old = table;
    table = new long[old.length * 2];
    used = 0;
    for (long entry : old) {
      if (entry != 0) {
        insert(entry & ~CHUNK_MASK, (int) (entry & CHUNK_MASK));
      }
    }
  }

  static long bandKey(char[] slots, int band) {
    long packed = band;
    for (int r = 0; r < ROWS; r++) {
      packed = (packed << 16) | slots[band * ROWS + r];
    }
    // The band number is folded in so equal values in different bands never collide.
    return Mix.mix64(packed ^ ((long) band << 58) ^ 0x5851F42D4C957F2DL);
  }

  /**
   * Documents whose closest sketch pair differs in at most {@code threshold} slots (0 for an
   * identical normalised text), best distance per document, closest first.
   */
  public List<Match> lookup(TextSketcher.Query query, int threshold) {
    Map<Integer, Integer> best = new HashMap<>();
    int[] same = exact.get(ByteBuffer.wrap(query.normalizedSha256()));
    if (same != null) {
      for (int document : same) {
        best.put(document, 0);
      }
    }
    if (query.whole() != null) {
      probe(query.whole(), threshold, best);
      for (MinHashSketch chunk : query.chunks()) {
        probe(chunk, threshold, best);
      }
    }
    List<Match> matches = new ArrayList<>(best.size());
    best.forEach((document, distance) -> matches.add(new Match(document, distance)));
    matches.sort((a, b) -> a.distance != b.distance
        ? Integer.compare(a.distance, b.distance) : Integer.compare(a.document, b.document));
    return matches;
  }

  private void probe(MinHashSketch sketch, int threshold, Map<Integer, Integer> best) {
    char[] slots = sketch.slots();
    int mask = table.length - 1;
    for (int band = 0; band < BANDS; band++) {
      long key = bandKey(slots, band) & ~CHUNK_MASK;
      for (int slot = home(key, mask); table[slot] != 0; slot = (slot + 1) & mask) {
        if ((table[slot] & ~CHUNK_MASK) != key) {
          continue;
        }
        int chunk = (int) (table[slot] & CHUNK_MASK) - 1;
        int distance = MinHashSketch.distance(slots, 0, sketches, chunk * SLOTS);
        if (distance <= threshold) {
          best.merge(chunkDocument[chunk], distance, Math::min);
        }
      }
    }
  }

  private static int[] concat(int[] a, int[] b) {
    int[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
