package org.countersignal.signals.vpdq;

/**
 * How a query video compares with a bank video: the share of each one's unique, good-quality
 * frames that have a match in the other, whether that makes a match, and the stretch of the bank
 * video (first to last matched frame, in seconds) that the query covers.
 */
public record VpdqComparison(
    double queryMatchedPercent, double bankMatchedPercent, boolean matched,
    double bankFromSeconds, double bankToSeconds) {

  static final VpdqComparison NONE = new VpdqComparison(0, 0, false, 0, 0);
}
