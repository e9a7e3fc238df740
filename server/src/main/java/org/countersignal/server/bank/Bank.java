package org.countersignal.server.bank;

import java.util.List;
import java.util.Map;

/**
 * A bank as stored and returned. {@code thresholds}: signal type to largest matching distance;
 * {@code follows}: the exchange whose entries fill it, null for a local bank.
 */
public record Bank(
    long id,
    String name,
    String description,
    List<String> labels,
    List<String> entities,
    Map<String, Integer> thresholds,
    boolean enabled,
    String createdAt,
    String updatedAt,
    String follows) {}
