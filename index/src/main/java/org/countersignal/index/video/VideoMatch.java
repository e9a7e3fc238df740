package org.countersignal.index.video;

/**
 * A bank video that matched: the share of the query's and of the bank video's unique frames that
 * found a match, and the stretch of the bank video (first to last matched frame) that the query
 * covers.
 */
public record VideoMatch(long videoId, double queryMatchedPercent, double bankMatchedPercent,
    double bankFromSeconds, double bankToSeconds) {}
