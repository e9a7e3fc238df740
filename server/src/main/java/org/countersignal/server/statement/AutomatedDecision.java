package org.countersignal.server.statement;

/** How far the decision was taken by automated means ({@code automated_decision}), in the Transparency Database's words. */
public enum AutomatedDecision {
  /** A rule acted on a match with no person involved. */
  AUTOMATED_DECISION_FULLY,
  /** A rule proposed it and a reviewer confirmed it, or a rule acted on what a reviewer confirmed. */
  AUTOMATED_DECISION_PARTIALLY,
  /** A person decided: a reviewer on a report, an operator on an order or a hijacked account. */
  AUTOMATED_DECISION_NOT_AUTOMATED
}
