package org.countersignal.index.hamming;

/** Receives matches without allocating a {@link Match} per result; used on the hot path. */
@FunctionalInterface
public interface MatchSink {
  void accept(long id, int distance);
}
