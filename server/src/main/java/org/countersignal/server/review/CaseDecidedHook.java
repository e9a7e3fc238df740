package org.countersignal.server.review;

import org.jdbi.v3.core.Handle;

/**
 * Told of every case decision, in the decision's transaction (so what it records and the events
 * it sends commit with the decision or not at all). Packages that hang work on cases register
 * one with {@link ReviewQueue#onDecided}; the review package knows nothing of them.
 */
@FunctionalInterface
public interface CaseDecidedHook {

  /**
   * @param caseId the case decided
   * @param kind its kind
   * @param outcome {@code confirm}, {@code reject}, {@code escalate}, {@code uphold} or {@code reinstate}
   * @param rejectAs for a rejection, {@code false_positive} or {@code benign}; else null
   */
  void decided(Handle h, long caseId, CaseKind kind, String outcome, String rejectAs);
}
