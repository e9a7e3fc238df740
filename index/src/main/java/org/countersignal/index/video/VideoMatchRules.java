package org.countersignal.index.video;

/**
 * When a query video matches a bank video: frames of quality below {@code minQuality} are left
 * out, frames match within {@code maxDistance} bits, and at least {@code minBankPercent} of the
 * bank video's unique frames and {@code minQueryPercent} of the query's must find a match.
 */
public record VideoMatchRules(int minQuality, int maxDistance, double minBankPercent, double minQueryPercent) {

  /** The reference vPDQ rules. */
  public static final VideoMatchRules DEFAULT = new VideoMatchRules(50, 31, 80, 0);
}
