package org.countersignal.server.rules;

/**
 * Body of a rule create or update. On update a field left out (null) keeps its value; a
 * {@code conditions} object given replaces the conditions as a whole.
 */
public record RuleChanges(
    String name,
    String description,
    Boolean enabled,
    Integer priority,
    String action,
    Boolean reviewFirst,
    Conditions conditions) {}
