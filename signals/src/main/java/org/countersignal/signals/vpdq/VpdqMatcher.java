package org.countersignal.signals.vpdq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.countersignal.signals.pdq.PdqHash;

/**
 * Compares two videos as bags of frames: order and timing are ignored, so clips, sub-sequences
 * and re-timed copies still match. Exhaustive over both frame lists; for one query against many
 * videos, the index gathers candidates first.
 */
public final class VpdqMatcher {

  private VpdqMatcher() {}

  /** Unique good-quality frames, keyed by hash, each with the times it appears at. */
  static Map<PdqHash, List<Double>> uniqueFrames(VpdqSignal signal, int minQuality) {
    Map<PdqHash, List<Double>> unique = new LinkedHashMap<>();
    for (VpdqFrame frame : signal.frames()) {
      if (frame.quality() >= minQuality) {
        unique.computeIfAbsent(frame.hash(), h -> new ArrayList<>(1)).add(frame.seconds());
      }
    }
    return unique;
  }

  public static VpdqComparison compare(VpdqSignal query, VpdqSignal bank, VpdqMatchOptions options) {
    Map<PdqHash, List<Double>> queryFrames = uniqueFrames(query, options.minQuality());
    Map<PdqHash, List<Double>> bankFrames = uniqueFrames(bank, options.minQuality());
    if (queryFrames.isEmpty() || bankFrames.isEmpty()) {
      return VpdqComparison.NONE;
    }
    List<PdqHash> queryHashes = List.copyOf(queryFrames.keySet());
    boolean[] queryMatched = new boolean[queryHashes.size()];
    int bankMatched = 0;
    double from = Double.POSITIVE_INFINITY;
    double to = Double.NEGATIVE_INFINITY;
    for (Map.Entry<PdqHash, List<Double>> bankFrame : bankFrames.entrySet()) {
      boolean hit = false;
      for (int q = 0; q < queryHashes.size(); q++) {
        if (queryHashes.get(q).distance(bankFrame.getKey()) <= options.maxDistance()) {
          queryMatched[q] = true;
          hit = true;
        }
      }
      if (hit) {
        bankMatched++;
        for (double seconds : bankFrame.getValue()) {
          from = Math.min(from, seconds);
          to = Math.max(to, seconds);
        }
      }
    }
    int queryMatchedCount = 0;
    for (boolean matched : queryMatched) {
      queryMatchedCount += matched ? 1 : 0;
    }
    return decide(queryMatchedCount, queryHashes.size(), bankMatched, bankFrames.size(), from, to, options);
  }

  /** Turns frame counts into percentages and a verdict. */
  private static VpdqComparison decide(
      int queryMatched, int queryUnique, int bankMatched, int bankUnique,
      double bankFromSeconds, double bankToSeconds, VpdqMatchOptions options) {
    if (queryUnique == 0 || bankUnique == 0) {
      return VpdqComparison.NONE;
    }
    double queryPercent = 100.0 * queryMatched / queryUnique;
    double bankPercent = 100.0 * bankMatched / bankUnique;
    boolean any = bankMatched > 0;
    boolean matched = any && bankPercent >= options.minBankPercent() && queryPercent >= options.minQueryPercent();
    return new VpdqComparison(
        queryPercent, bankPercent, matched, any ? bankFromSeconds : 0, any ? bankToSeconds : 0);
  }
}
