package org.countersignal.server.match;

import java.util.Set;

/**
 * Told of the entries each match hit, so another package can count them (the flood guard). It
 * runs on every match that hits, so it must be cheap: no database, no waiting.
 */
@FunctionalInterface
public interface HitCounter {

  HitCounter NONE = entryIds -> {};

  /** One match hit these entries (each once, however many of the query's signals hit it). */
  void hit(Set<Long> entryIds);
}
