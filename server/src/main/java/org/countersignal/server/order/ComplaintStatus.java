package org.countersignal.server.order;

import java.util.Locale;

/** Where a content provider's complaint about a removal stands (Art. 10). */
public enum ComplaintStatus {
  /** Filed, to be decided without undue delay. */
  OPEN,
  /** Well-founded: the content is reinstated, and the complainant and the authority told. */
  UPHELD,
  /** Not well-founded: the removal stands; the complainant is told why. */
  REJECTED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status named {@code text} (any case), or null. */
  public static ComplaintStatus fromWire(String text) {
    for (ComplaintStatus status : values()) {
      if (text != null && status.wireName().equalsIgnoreCase(text.strip())) {
        return status;
      }
    }
    return null;
  }
}
