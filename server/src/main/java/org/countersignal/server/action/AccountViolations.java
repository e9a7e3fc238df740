package org.countersignal.server.action;

import org.jdbi.v3.core.Handle;

/**
 * Confirmed violations of an account: its submissions a reviewer found violating, or that were
 * actioned and whose removal was taken. Rules that escalate against repeat posters (a suspension
 * recommendation after a number of violations) count with this, so every place agrees on what a
 * violation is.
 */
public final class AccountViolations {

  /**
   * The condition on a submission row aliased {@code s}; shared with the account history so its
   * count and this one never drift apart.
   */
  public static final String CONFIRMED = """
      (s.status = %s
       OR (s.status = %s AND EXISTS (
             SELECT 1 FROM decisions d
             WHERE d.submission_id = s.id AND d.action = 'remove' AND d.state = %s)))"""
      .formatted(SubmissionStatus.VIOLATING.sql(), SubmissionStatus.ACTIONED.sql(), DecisionState.TAKEN.sql());

  private AccountViolations() {}

  /**
   * Counts in the caller's transaction, so a rule deciding about a new submission sees what that
   * transaction wrote. An absent or null account has no violations.
   */
  public static int confirmedViolations(Handle h, String accountId) {
    if (accountId == null) {
      return 0;
    }
    return h.createQuery("SELECT COUNT(*) FROM submissions s WHERE s.account_id = :account AND " + CONFIRMED)
        .bind("account", accountId)
        .mapTo(Integer.class)
        .one();
  }
}
