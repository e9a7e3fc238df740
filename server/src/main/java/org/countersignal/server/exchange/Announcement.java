package org.countersignal.server.exchange;

/**
 * What a wait on a source ({@link SignalExchange#awaitUpdates}) heard before it answered.
 *
 * @param updates the source has updates after the checkpoint the wait was given
 * @param incidents the crisis incidents the source shares with this instance changed
 */
public record Announcement(boolean updates, boolean incidents) {

  /** The wait ran out with nothing new. */
  public static final Announcement NOTHING = new Announcement(false, false);
}
