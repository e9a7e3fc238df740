package org.countersignal.server.flood;

import java.util.Locale;

/**
 * Where a flood stands. {@code held}: the entry's hits lead to no automatic action until a
 * curator decides; {@code released}: the curator found the hits real (content spreading), and
 * the entry acts again; {@code disabled}: the curator found it a false positive and switched the
 * entry off.
 */
public enum FloodState {
  HELD,
  RELEASED,
  DISABLED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The state named {@code text} (any case), or null. */
  public static FloodState fromWire(String text) {
    if (text == null) {
      return null;
    }
    for (FloodState state : values()) {
      if (state.wireName().equalsIgnoreCase(text.strip())) {
        return state;
      }
    }
    return null;
  }
}
