package org.countersignal.server.exchange;

import java.util.List;

/**
 * One batch of a source's updates and the checkpoint after it (python-threatexchange's
 * {@code FetchDelta}). Updates apply in order; a later update of the same signal replaces an
 * earlier one, and a null record (a tombstone) removes the signal.
 */
public record FetchDelta<K extends Checkpoint>(List<Update> updates, K checkpoint) {

  public FetchDelta {
    updates = List.copyOf(updates);
    if (checkpoint == null) {
      throw new IllegalArgumentException("a batch needs the checkpoint after it");
    }
  }

  /**
   * One signal's new state at the source.
   *
   * @param record what the source says of it, or null when the source deleted it
   */
  public record Update(SignalKey key, SourceRecord record) {

    public static Update deleted(SignalKey key) {
      return new Update(key, null);
    }

    public boolean isDeletion() {
      return record == null;
    }
  }

  /**
   * A record the source sent that no signal can be made of (an unknown type, a malformed hash): it
   * is counted and reported in the exchange's status, and the rest of the batch applies.
   */
  public static Update malformed(String type, String signal, String problem) {
    return new Update(new SignalKey(type, signal), SourceRecord.malformed(problem));
  }
}
