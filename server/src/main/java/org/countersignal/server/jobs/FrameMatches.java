package org.countersignal.server.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.countersignal.server.match.MatchHit;
import org.countersignal.signals.vpdq.VpdqFrame;

/**
 * Turns the hits of a video's frames against image banks into one match per bank entry, with
 * where in the video it appears: a known image shown for ten seconds is one match with one
 * segment, not three hundred frame hits.
 */
final class FrameMatches {

  private FrameMatches() {}

  /** A stretch of the video in which the entry's image appears. */
  record Segment(double startSeconds, double endSeconds) {}

  /** One bank entry found in the video's frames. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record VideoHit(
      long bankId,
      String bankName,
      long entryId,
      String signalType,
      int distance,
      int threshold,
      int frames,
      List<Segment> segments,
      List<String> labels,
      List<String> entities) {}

  /**
   * @param hits the matcher's hits for the distinct frame hashes (their {@code query} is the hash)
   * @param framesByHash the frames of each distinct hash
   * @param gapSeconds frames further apart than this start a new segment
   */
  static List<VideoHit> group(List<MatchHit> hits, Map<String, List<VpdqFrame>> framesByHash, double gapSeconds) {
    Map<Long, List<MatchHit>> byEntry = new LinkedHashMap<>();
    for (MatchHit hit : hits) {
      byEntry.computeIfAbsent(hit.entryId(), id -> new ArrayList<>()).add(hit);
    }
    List<VideoHit> out = new ArrayList<>();
    for (List<MatchHit> entryHits : byEntry.values()) {
      MatchHit best = entryHits.stream().min(Comparator.comparingInt(MatchHit::distance)).orElseThrow();
      TreeSet<Double> times = new TreeSet<>();
      for (MatchHit hit : entryHits) {
        for (VpdqFrame frame : framesByHash.getOrDefault(hit.query(), List.of())) {
          times.add(frame.seconds());
        }
      }
      out.add(new VideoHit(best.bankId(), best.bankName(), best.entryId(), best.signalType(), best.distance(),
          best.threshold(), times.size(), segments(times, gapSeconds), best.labels(), best.entities()));
    }
    out.sort(Comparator.comparingInt(VideoHit::distance).thenComparingLong(VideoHit::entryId));
    return out;
  }

  static List<Segment> segments(TreeSet<Double> times, double gapSeconds) {
    List<Segment> segments = new ArrayList<>();
    Double start = null;
    double last = 0;
    for (double t : times) {
      if (start == null) {
        start = t;
      } else if (t - last > gapSeconds) {
        segments.add(new Segment(start, last));
        start = t;
      }
      last = t;
    }
    if (start != null) {
      segments.add(new Segment(start, last));
    }
    return segments;
  }
}
