package org.countersignal.server.order;

import java.util.List;

/**
 * A removal order as the API shows it. The hour runs from {@code clockStartedAt} (its receipt, or
 * when a reason not to comply ceased) to {@code dueAt}; {@code secondsLeft} counts down to {@code dueAt} while the
 * order is received (negative once overdue) and is null after; {@code actedInTime} says whether
 * the content was removed or disabled within the hour.
 */
public record RemovalOrder(long id, AuthorityName authority, String reference, String contentUrl, String contentId, String reasons,
    boolean threatToLife, boolean notifyProvider, String state, String receivedAt, String clockStartedAt, String dueAt, Long secondsLeft, boolean overdue,
    String action, String actedAt, Boolean actedInTime, Long submissionId, String actionNote, String notCompliedReason, String reply,
    String notCompliedAt, String finalAt, String reinstatedAt, OrderDocument document, List<Hold> holds, List<Complaint> complaints,
    String updatedAt) {

  /** The issuing authority, as named on the list. */
  public record AuthorityName(long id, String name, String memberState) {}
}
