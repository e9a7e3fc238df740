package org.countersignal.server.account;

import java.util.List;

/**
 * What an account posted in a takeover window and whom it amplified, and (with an action) what
 * was done about it.
 *
 * @param actioned submissions actioned by this call
 * @param alreadyActioned submissions that already had the action taken (by an earlier call, a
 *     rule or a reviewer) and were left as they were
 */
public record TakeoverResult(String account, String from, String to, String action, boolean dryRun,
    List<Post> posts, List<Amplified> amplified, int actioned, int alreadyActioned) {

  /** Outcomes of a post. */
  public static final String LISTED = "listed";
  public static final String ACTIONED = "actioned";
  public static final String ALREADY_ACTIONED = "already_actioned";

  /**
   * One submission of the account in the window.
   *
   * @param outcome {@code listed} (dry run), {@code actioned} or {@code already_actioned}
   * @param decisionId the decision that took the action: made now, or the earlier one
   * @param eventId the webhook event that told the platform (null for an earlier decision without one)
   */
  public record Post(long submissionId, String contentId, String contentType, String submittedAt, String status,
      String amplifies, String outcome, Long decisionId, String eventId) {}

  /** An account whose content the taken-over account shared or reposted in the window. */
  public record Amplified(String account, int posts, List<String> contentIds) {}
}
