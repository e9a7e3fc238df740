package org.countersignal.server.review;

/**
 * The decision an appeal is against: a reviewer's confirmation in a case, or a rule's removal
 * taken without review. A reviewer deciding the appeal needs it beside the user's statement.
 *
 * @param caseId the case a reviewer confirmed the content in, or null for a rule's removal
 * @param decidedBy the reviewer's key, or null for a rule's removal
 * @param ruleName the rule that removed the content, or null when a reviewer decided
 * @param outcome what was decided: the case's outcome, or the rule's action
 * @param policy the policy the reviewer named, or null
 */
public record AppealedDecision(Source source, Long caseId, Long decidedBy, String ruleName, String decidedAt, String outcome,
    String reason, String policy) {

  /** Who took the decision. */
  public enum Source {
    REVIEW,
    RULE
  }
}
