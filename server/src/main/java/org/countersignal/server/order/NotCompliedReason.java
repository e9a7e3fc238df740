package org.countersignal.server.order;

import java.util.Locale;

/** Why a provider may not comply with a removal order: the cases of Art. 3(7) and 3(8). */
public enum NotCompliedReason {
  /** Art. 3(7): force majeure, not attributable to the provider. Comply once it ceases. */
  FORCE_MAJEURE,
  /** Art. 3(7): de facto technical impossibility, not attributable to the provider. Comply once it ceases. */
  TECHNICAL_IMPOSSIBILITY,
  /** Art. 3(8): the order contains manifest errors. Ask the authority for clarification. */
  MANIFEST_ERRORS,
  /** Art. 3(8): the order does not contain sufficient information to execute it. Ask the authority for clarification. */
  MISSING_INFORMATION;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The reason named {@code text} (any case), or null. */
  public static NotCompliedReason fromWire(String text) {
    for (NotCompliedReason reason : values()) {
      if (text != null && reason.wireName().equalsIgnoreCase(text.strip())) {
        return reason;
      }
    }
    return null;
  }

  /** The article of the regulation that allows it. */
  public String article() {
    return this == FORCE_MAJEURE || this == TECHNICAL_IMPOSSIBILITY ? "3(7)" : "3(8)";
  }
}
