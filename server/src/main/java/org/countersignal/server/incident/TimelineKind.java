package org.countersignal.server.incident;

import java.util.Locale;

/** What one event of an incident's timeline records. */
public enum TimelineKind {
  DECLARED,
  PROPOSED,
  ACCEPTED,
  DECLINED,
  CHANGED,
  LEVEL_CHANGED,
  STATUS_CHANGED,
  CLOSED,
  ENTRY_ADDED,
  ENTRY_REMOVED,
  FIRST_MATCH,
  FIRST_BLOCK,
  FIRST_MATCH_ON_PEER,
  VARIANT_FOUND,
  PUBLISHER_CHANGED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TimelineKind fromWire(String text) {
    for (TimelineKind kind : values()) {
      if (kind.wireName().equalsIgnoreCase(text)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("no timeline kind " + text);
  }
}
