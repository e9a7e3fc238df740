package org.countersignal.signals.text;

/**
 * The fixed parameters of the text signal. Changing any of them changes every signal, so they
 * are versioned together ({@link #VERSION} is written into the signal's text form).
 * docs/TEXT.md explains each choice.
 */
public final class MinHashParameters {

  /** Text form version; bump when any parameter or the normalisation changes. */
  public static final int VERSION = 2;
  /** Words per shingle. */
  public static final int SHINGLE_WORDS = 3;
  /** MinHash values per sketch. */
  public static final int SLOTS = 64;
  /** LSH bands; {@code BANDS * ROWS == SLOTS}. */
  public static final int BANDS = 16;
  /** MinHash values per band. */
  public static final int ROWS = 4;
  /** Shingles per block: the step of query chunks. */
  public static final int BLOCK = 16;
  /** Blocks per chunk: a chunk covers {@code BLOCK * CHUNK_BLOCKS} = 128 shingles. */
  public static final int CHUNK_BLOCKS = 8;
  /** Blocks between the starts of chunks kept in a signal: chunks overlap by half. */
  public static final int SIGNAL_STEP_BLOCKS = 4;

  private MinHashParameters() {}
}
