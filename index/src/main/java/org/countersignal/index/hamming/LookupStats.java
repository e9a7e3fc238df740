package org.countersignal.index.hamming;

/**
 * How much work lookups did, to explain what they cost: a lookup's time is mostly cache misses
 * on directory groups, postings and candidates' hashes, so these counts show why one set of
 * hashes is slower to search than another (for instance hashes that cluster, as frames of one
 * video do). Filled by {@link HammingIndex#search(Hash256, int, MatchSink, LookupStats)} and
 * summed over every lookup given the same object. Not thread-safe: one per thread.
 */
public final class LookupStats {

  long lookups;
  long rowsScanned;
  long directoryProbes;
  long postingsRead;
  long candidatesVerified;
  long matches;

  /** Lookups counted. */
  public long lookups() {
    return lookups;
  }

  /** Entries compared with the query one by one, in the append buffer and scanned segments. */
  public long rowsScanned() {
    return rowsScanned;
  }

  /** Directory groups looked up in the multi-index tables. */
  public long directoryProbes() {
    return directoryProbes;
  }

  /** Postings read in those groups. */
  public long postingsRead() {
    return postingsRead;
  }

  /**
   * Postings whose substring lay within the table's probe radius, so that the entry's whole
   * hash was read and compared (once per table that found it).
   */
  public long candidatesVerified() {
    return candidatesVerified;
  }

  /** Entries reported. */
  public long matches() {
    return matches;
  }

  public void reset() {
    lookups = rowsScanned = directoryProbes = postingsRead = candidatesVerified = matches = 0;
  }
}
