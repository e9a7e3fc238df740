package org.countersignal.server.statement;

/** The ground a restriction rests on, in the Transparency Database's words ({@code decision_ground}). */
public enum DecisionGround {
  /** Illegal under a law the statement names (the TCO Regulation, a national law). */
  DECISION_GROUND_ILLEGAL_CONTENT,
  /** Against the platform's terms and conditions. */
  DECISION_GROUND_INCOMPATIBLE_CONTENT;

  /** The ground an operator's {@code statement-ground} names: {@code illegal} or {@code terms}. */
  static DecisionGround fromSetting(String text) {
    return switch (text.strip()) {
      case "illegal" -> DECISION_GROUND_ILLEGAL_CONTENT;
      case "terms" -> DECISION_GROUND_INCOMPATIBLE_CONTENT;
      default -> throw new IllegalArgumentException("statement-ground is 'illegal' or 'terms', got: " + text);
    };
  }
}
