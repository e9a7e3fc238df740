package org.countersignal.server.rules;

/** An action rule as stored and as the API shows it. Times are ISO-8601 UTC. */
public record Rule(
    long id,
    String name,
    String description,
    boolean enabled,
    int priority,
    String action,
    boolean reviewFirst,
    Conditions conditions,
    String createdAt,
    String updatedAt) {}
