package org.countersignal.server.bank;

import java.util.List;
import java.util.Map;

/**
 * The fields of a bank a request sets. For a new bank, null means "default"; for an update,
 * null means "unchanged", and {@code thresholds} are merged into the bank's.
 * {@code disableWhenDisputedBy}: 0 switches the setting off (stored and shown as null, never).
 * {@code purpose}: {@code match} (the default) or {@code negative} ({@link BankPurpose}).
 * {@code floodGuard}: on by default ({@link Bank#floodGuard}).
 */
public record BankChanges(
    String name,
    String description,
    List<String> labels,
    List<String> entities,
    Map<String, Integer> thresholds,
    Boolean enabled,
    String sharing,
    Integer disableWhenDisputedBy,
    String purpose,
    Boolean floodGuard) {

  public BankChanges(String name, String description, List<String> labels, List<String> entities, Map<String, Integer> thresholds,
      Boolean enabled) {
    this(name, description, labels, entities, thresholds, enabled, null, null, null, null);
  }
}
