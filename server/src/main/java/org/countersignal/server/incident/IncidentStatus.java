package org.countersignal.server.incident;

import java.util.Locale;

/**
 * Where an incident stands. One declared here starts {@link #ACTIVE}; one a peer shared starts
 * {@link #PROPOSED} until a coordinator accepts it (it becomes active) or declines it.
 */
public enum IncidentStatus {
  /** Shared by a peer, waiting for a coordinator here. Its entries do not match yet. */
  PROPOSED,
  /** Content is spreading: matches are acted on as the incident's rules say. */
  ACTIVE,
  /** Upload attempts have died down; the incident is watched before it is closed. */
  MONITORING,
  /** Over; its debrief is written. Its entries go on matching. */
  CLOSED,
  /** A proposal a coordinator here turned down: nothing of it matches. */
  DECLINED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status named {@code text} (any case), or null. */
  public static IncidentStatus fromWire(String text) {
    for (IncidentStatus status : values()) {
      if (text != null && status.wireName().equalsIgnoreCase(text.strip())) {
        return status;
      }
    }
    return null;
  }

  /** Whether a coordinator may move an incident from this status to {@code next}. */
  public boolean mayBecome(IncidentStatus next) {
    return switch (this) {
      case PROPOSED -> false; // accepted or declined, not set
      case ACTIVE, MONITORING -> next == ACTIVE || next == MONITORING || next == CLOSED;
      case CLOSED -> next == ACTIVE || next == MONITORING; // reopened: copies resurfaced
      case DECLINED -> false;
    };
  }
}
