package org.countersignal.server.bank;

import java.util.List;
import java.util.Map;

/** A bank as stored and returned. {@code thresholds}: signal type to largest matching distance. */
public record Bank(
    long id,
    String name,
    String description,
    List<String> labels,
    List<String> entities,
    Map<String, Integer> thresholds,
    boolean enabled,
    String createdAt,
    String updatedAt) {}
