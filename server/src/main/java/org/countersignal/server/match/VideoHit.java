package org.countersignal.server.match;

import java.util.List;

/**
 * A banked video the query video matches: the shares of the query's and of the bank video's
 * distinct good frames that found a match (in %), the bank's rules they were held to (frame
 * distance and the least shares), and the stretch of the bank video the query covers. Labels are the entry's joined with its bank's.
 */
public record VideoHit(
    long bankId,
    String bankName,
    long entryId,
    String signalType,
    double queryMatchedPercent,
    double bankMatchedPercent,
    int frameThreshold,
    int minBankMatchedPercent,
    int minQueryMatchedPercent,
    Segment bankSegment,
    List<String> labels,
    List<String> entities) {

  /** From the first to the last matched frame of the bank video, in seconds. */
  public record Segment(double startSeconds, double endSeconds) {}
}
