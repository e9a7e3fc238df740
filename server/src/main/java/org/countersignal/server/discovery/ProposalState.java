package org.countersignal.server.discovery;

import java.util.Locale;

/**
 * Where a proposal stands. {@code open}: waiting for a curator; {@code accepted}: its signal was
 * banked (and so shared wherever its bank is); {@code rejected}: not what the banks are for, and
 * not proposed again.
 */
public enum ProposalState {
  OPEN,
  ACCEPTED,
  REJECTED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The state named {@code text} (any case), or null. */
  public static ProposalState fromWire(String text) {
    if (text == null) {
      return null;
    }
    for (ProposalState state : values()) {
      if (state.wireName().equalsIgnoreCase(text.strip())) {
        return state;
      }
    }
    return null;
  }
}
