package org.countersignal.server.exchange;

import java.util.Locale;

/** How far matches against an exchange's entries are acted on: the poisoning guard. */
public enum Trust {
  /** Every match against the exchange's entries waits for a reviewer, whatever the rules say: new sources start here. */
  REVIEW,
  /** Matches are acted on as the rules say, as for local banks. */
  TRUSTED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Trust fromWire(String text) {
    for (Trust trust : values()) {
      if (trust.wire().equalsIgnoreCase(text.strip())) {
        return trust;
      }
    }
    return null;
  }
}
