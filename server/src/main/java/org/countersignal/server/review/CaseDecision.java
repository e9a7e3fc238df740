package org.countersignal.server.review;

/**
 * A reviewer's decision on a case. {@code outcome}: confirm, reject or escalate for a match case;
 * uphold or reinstate for an appeal. Every decision carries a reason. Confirm names the policy
 * broken and may add the content's signals to a bank; reject says whether the bank entry was a
 * false positive or the content is benign.
 */
public record CaseDecision(String outcome, String reason, String policy, Long addToBank, String rejectAs) {

  public static final String CONFIRM = "confirm";
  public static final String REJECT = "reject";
  public static final String ESCALATE = "escalate";
  public static final String UPHOLD = "uphold";
  public static final String REINSTATE = "reinstate";
  public static final String FALSE_POSITIVE = "false_positive";
  public static final String BENIGN = "benign";
}
