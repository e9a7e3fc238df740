package org.countersignal.server.match;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * A hit that a negative bank's entry cancelled: the query signal is also near content known to
 * be harmless, so the hit leads to no action. Answered beside the hits, so the caller sees what
 * would have matched and why it did not.
 *
 * @param cancelledBy the negative bank's entry nearest the query signal
 */
public record CancelledHit(@JsonUnwrapped MatchHit hit, By cancelledBy) {

  /** The negative bank's entry, and its distance from the query signal. */
  public record By(long bankId, String bankName, long entryId, int distance) {}
}
