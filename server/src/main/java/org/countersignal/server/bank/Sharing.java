package org.countersignal.server.bank;

import java.util.Locale;

/**
 * How far a bank's entries may travel, in the Traffic Light Protocol's words, narrowest first:
 * {@code red} never leaves this instance, {@code amber} goes only to the named peers of a feed,
 * {@code green} may go on to those peers' own community (their peers), {@code clear} to anyone.
 */
public enum Sharing {
  RED,
  AMBER,
  GREEN,
  CLEAR;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The level named {@code text} (any case), or null. */
  public static Sharing fromWire(String text) {
    if (text == null) {
      return null;
    }
    for (Sharing level : values()) {
      if (level.wireName().equalsIgnoreCase(text.strip())) {
        return level;
      }
    }
    return null;
  }

  /** The narrower of the two. */
  public Sharing narrowest(Sharing other) {
    return other == null || compareTo(other) <= 0 ? this : other;
  }

  /** Whether entries received at this level may be passed on to another instance's peers. */
  public boolean mayBeReshared() {
    return compareTo(GREEN) >= 0;
  }
}
