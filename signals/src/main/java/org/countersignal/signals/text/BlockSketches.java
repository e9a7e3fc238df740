package org.countersignal.signals.text;

import static org.countersignal.signals.text.MinHashParameters.BLOCK;
import static org.countersignal.signals.text.MinHashParameters.CHUNK_BLOCKS;
import static org.countersignal.signals.text.MinHashParameters.SLOTS;

import java.util.ArrayList;
import java.util.List;

/**
 * MinHash minima per block of {@link MinHashParameters#BLOCK} consecutive shingles. A chunk's
 * sketch is the slot-wise minimum of its blocks' minima, so overlapping chunks at any step cost one
 * pass over the shingles plus a few comparisons per chunk, instead of re-hashing every shingle
 * once per chunk that contains it.
 */
final class BlockSketches {

  /** Multiply-shift hash family: slot i hashes x to the top 31 bits of {@code A[i]*x + B[i]}. */
  private static final long[] A = new long[SLOTS];
  private static final long[] B = new long[SLOTS];

  static {
    long seed = 0x436f756e74657273L; // fixed forever: the signal depends on it
    for (int i = 0; i < SLOTS; i++) {
      seed = Mix.mix64(seed + 0x9E3779B97F4A7C15L);
      A[i] = seed | 1L;
      seed = Mix.mix64(seed + 0x9E3779B97F4A7C15L);
      B[i] = seed;
    }
  }

  private final int blocks;
  private final int[] minima;

  BlockSketches(long[] shingles) {
    this.blocks = (shingles.length + BLOCK - 1) / BLOCK;
    this.minima = new int[blocks * SLOTS];
    java.util.Arrays.fill(minima, Integer.MAX_VALUE);
    for (int s = 0; s < shingles.length; s++) {
      long x = shingles[s];
      int base = (s / BLOCK) * SLOTS;
      // Branch-free, so the compiler can run the slots in vector lanes.
      for (int i = 0; i < SLOTS; i++) {
        minima[base + i] = Math.min(minima[base + i], (int) ((A[i] * x + B[i]) >>> 33));
      }
    }
  }

  int blocks() {
    return blocks;
  }

  /** Sketch of the shingles in blocks {@code [from, to)}. */
  MinHashSketch sketch(int from, int to) {
    // Block by block over all slots, so the compiler can run the slots in vector lanes.
    int[] min = new int[SLOTS];
    System.arraycopy(minima, from * SLOTS, min, 0, SLOTS);
    for (int b = from + 1; b < to; b++) {
      int base = b * SLOTS;
      for (int i = 0; i < SLOTS; i++) {
        min[i] = Math.min(min[i], minima[base + i]);
      }
    }
    char[] slots = new char[SLOTS];
    for (int i = 0; i < SLOTS; i++) {
      slots[i] = (char) min[i];
    }
    return new MinHashSketch(slots);
  }

  MinHashSketch whole() {
    return sketch(0, blocks);
  }

  /** Chunk sketches at the given step, laid out by {@link ChunkLayout}; empty text has none. */
  List<MinHashSketch> chunks(int stepBlocks) {
    int[] starts = ChunkLayout.startBlocks(blocks, stepBlocks);
    List<MinHashSketch> chunks = new ArrayList<>(starts.length);
    for (int start : starts) {
      chunks.add(sketch(start, Math.min(blocks, start + CHUNK_BLOCKS)));
    }
    return chunks;
  }
}
