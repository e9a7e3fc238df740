package org.countersignal.server.console;

import org.countersignal.server.order.OrderState;
import org.countersignal.server.order.RemovalOrder;

/**
 * Where an order's hour stands, as read on the server when the page was made: the time left, or
 * how long it is overdue, while it runs; after, whether the content was acted on within it.
 *
 * @param span the time left or overdue as a person on call reads it; null once the hour no longer runs
 */
record OrderClock(Reading reading, String span) {

  enum Reading { LEFT, OVERDUE, STOPPED, NOT_ACTED, IN_TIME, LATE }

  static OrderClock of(RemovalOrder order) {
    if (order.secondsLeft() != null) {
      long left = order.secondsLeft();
      return order.overdue() ? new OrderClock(Reading.OVERDUE, span(-left)) : new OrderClock(Reading.LEFT, span(left));
    }
    if (OrderState.fromWire(order.state()) == OrderState.NOT_COMPLIED) {
      return new OrderClock(Reading.STOPPED, null);
    }
    if (order.actedInTime() == null) {
      return new OrderClock(Reading.NOT_ACTED, null);
    }
    return new OrderClock(order.actedInTime() ? Reading.IN_TIME : Reading.LATE, null);
  }

  /** Minutes and seconds within the hour, coarser past it. */
  static String span(long seconds) {
    long s = Math.max(0, seconds);
    if (s >= 86_400) {
      return s / 86_400 + " d " + s % 86_400 / 3600 + " h";
    }
    if (s >= 3600) {
      return s / 3600 + " h " + s % 3600 / 60 + " min";
    }
    return s / 60 + " min " + String.format("%02d", s % 60) + " s";
  }
}
