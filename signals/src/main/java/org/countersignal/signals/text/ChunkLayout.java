package org.countersignal.signals.text;

import static org.countersignal.signals.text.MinHashParameters.BLOCK;
import static org.countersignal.signals.text.MinHashParameters.CHUNK_BLOCKS;
import static org.countersignal.signals.text.MinHashParameters.SHINGLE_WORDS;

/**
 * Where chunks lie, from the word count alone: chunks of {@link MinHashParameters#CHUNK_BLOCKS}
 * blocks start every {@code stepBlocks} blocks, plus one ending at the last block so the tail is
 * covered; a text no longer than one chunk has a single chunk, the whole text. The sketcher cuts
 * chunks with it and the index maps a matching chunk back to its words with it, so the two cannot
 * disagree.
 */
final class ChunkLayout {

  private ChunkLayout() {}

  static int shingles(int words) {
    return words == 0 ? 0 : Math.max(1, words - SHINGLE_WORDS + 1);
  }

  static int blocks(int words) {
    return (shingles(words) + BLOCK - 1) / BLOCK;
  }

  /** First block of each chunk of a text of {@code blocks} blocks. */
  static int[] startBlocks(int blocks, int stepBlocks) {
    if (blocks == 0) {
      return new int[0];
    }
    if (blocks <= CHUNK_BLOCKS) {
      return new int[] {0};
    }
    int regular = (blocks - CHUNK_BLOCKS) / stepBlocks + 1;
    boolean tail = (regular - 1) * stepBlocks + CHUNK_BLOCKS < blocks;
    int[] starts = new int[regular + (tail ? 1 : 0)];
    for (int i = 0; i < regular; i++) {
      starts[i] = i * stepBlocks;
    }
    if (tail) {
      starts[regular] = blocks - CHUNK_BLOCKS;
    }
    return starts;
  }

  /**
   * Words {@code [from, to)} of chunk {@code chunk} of a text of {@code words} words cut every
   * {@code stepBlocks} blocks: from its first shingle's first word to its last shingle's last word.
   * A chunk number past the layout (a signal parsed from a damaged text form) gives the tail.
   */
  static TextSpan words(int words, int chunk, int stepBlocks) {
    int blocks = blocks(words);
    if (blocks <= CHUNK_BLOCKS) {
      return new TextSpan(0, words);
    }
    int regular = (blocks - CHUNK_BLOCKS) / stepBlocks + 1;
    int startBlock = chunk >= 0 && chunk < regular ? chunk * stepBlocks : blocks - CHUNK_BLOCKS;
    int firstShingle = startBlock * BLOCK;
    int endShingle = Math.min((startBlock + CHUNK_BLOCKS) * BLOCK, shingles(words));
    return new TextSpan(firstShingle, Math.min(words, endShingle - 1 + SHINGLE_WORDS));
  }
}
