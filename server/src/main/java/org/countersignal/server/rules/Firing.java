package org.countersignal.server.rules;

/** A rule that fired. */
public record Firing(long ruleId, String ruleName, String action, boolean reviewFirst, int priority) {}
