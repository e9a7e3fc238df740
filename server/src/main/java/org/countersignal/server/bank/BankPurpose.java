package org.countersignal.server.bank;

import java.util.Locale;

/**
 * What a bank's entries are for. {@code match}: content to find, whose matches are hits.
 * {@code negative}: content known to be harmless (a flag, a logo, a news photo that resembles
 * banked material); a query near one of its entries has its hits from other banks cancelled,
 * so a common benign image does not set off the rules. A negative bank's entries are never hits.
 */
public enum BankPurpose {
  MATCH,
  NEGATIVE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The purpose named {@code text} (any case), or null. */
  public static BankPurpose fromWire(String text) {
    if (text == null) {
      return null;
    }
    for (BankPurpose purpose : values()) {
      if (purpose.wireName().equalsIgnoreCase(text.strip())) {
        return purpose;
      }
    }
    return null;
  }
}
