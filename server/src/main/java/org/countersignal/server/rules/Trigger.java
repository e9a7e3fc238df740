package org.countersignal.server.rules;

/**
 * When rules are evaluated: on a match, or after a confirmed violation of an account (then only
 * rules with {@code min_account_violations} are considered).
 */
public enum Trigger {
  MATCH,
  VIOLATION
}
