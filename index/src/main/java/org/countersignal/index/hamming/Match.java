package org.countersignal.index.hamming;

/** One stored entry found by a lookup: its id and its Hamming distance from the query. */
public record Match(long id, int distance) implements Comparable<Match> {

  /** Orders by distance, then id, so that results print in a stable order. */
  @Override
  public int compareTo(Match other) {
    int byDistance = Integer.compare(distance, other.distance);
    return byDistance != 0 ? byDistance : Long.compare(id, other.id);
  }
}
