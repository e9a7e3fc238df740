package org.countersignal.server.order;

import java.util.Locale;

/** What was done to the content an order names (Art. 3(3)): removed, or access to it disabled in every Member State. */
public enum OrderAction {
  REMOVED,
  DISABLED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The action named {@code text} (any case), or null. */
  public static OrderAction fromWire(String text) {
    for (OrderAction action : values()) {
      if (text != null && action.wireName().equalsIgnoreCase(text.strip())) {
        return action;
      }
    }
    return null;
  }
}
