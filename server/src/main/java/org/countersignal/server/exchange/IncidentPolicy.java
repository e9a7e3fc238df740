package org.countersignal.server.exchange;

import java.util.Locale;

/** What an exchange does with the crisis incidents its source shares (for kinds that share them). */
public enum IncidentPolicy {
  /** Not asked for: the source's incidents never reach this instance. */
  IGNORE,
  /** Each arrives as a proposal that a coordinator here accepts or declines. */
  PROPOSE,
  /** Each is accepted at once: its entries match as soon as they are fetched. */
  ACCEPT;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static IncidentPolicy fromWire(String text) {
    for (IncidentPolicy policy : values()) {
      if (text != null && policy.wire().equalsIgnoreCase(text.strip())) {
        return policy;
      }
    }
    return null;
  }
}
