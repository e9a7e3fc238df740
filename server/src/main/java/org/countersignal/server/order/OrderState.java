package org.countersignal.server.order;

import java.util.Locale;

/**
 * Where a removal order stands. It arrives {@link #RECEIVED} with its one-hour clock running; the
 * content is then removed or disabled ({@link #ACTED}), or the order is not complied with for a
 * reason the regulation allows ({@link #NOT_COMPLIED}). An order not complied with may still be
 * acted on once the reason ceases (Art. 3(7)) or the authority has clarified it (Art. 3(8)), or
 * received again with its hour running from then.
 */
public enum OrderState {
  /** Taken in; the clock runs until the content is removed or disabled. */
  RECEIVED,
  /** The content was removed or access to it disabled. */
  ACTED,
  /** Not complied with, for one of the reasons the regulation allows, told to the authority. */
  NOT_COMPLIED,
  /** Acted on, then reinstated because the content provider's complaint was upheld (Art. 10). */
  REINSTATED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The state named {@code text} (any case), or null. */
  public static OrderState fromWire(String text) {
    for (OrderState state : values()) {
      if (text != null && state.wireName().equalsIgnoreCase(text.strip())) {
        return state;
      }
    }
    return null;
  }

  /** Whether an order in this state may become {@code next}. */
  public boolean mayBecome(OrderState next) {
    return switch (this) {
      case RECEIVED -> next == ACTED || next == NOT_COMPLIED;
      case NOT_COMPLIED -> next == ACTED || next == RECEIVED; // its clock started again
      case ACTED -> next == REINSTATED; // a complaint upheld
      case REINSTATED -> false;
    };
  }
}
