package org.countersignal.server.order;

import java.util.List;

/**
 * Art. 5(4): a provider that received two or more final removal orders in the last twelve months
 * is exposed to terrorist content, and must take specific measures. {@code orders} are those that count.
 */
public record Exposure(boolean exposed, int finalOrders, int threshold, String windowStart, String asOf, List<Counted> orders) {

  public record Counted(long id, String reference, String authority, String receivedAt, String finalAt) {}
}
