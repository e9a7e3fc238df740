package org.countersignal.server.incident.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How an incident spread, counted in spans of time ({@link Granularity}: hours for an incident up
 * to 14 days long, days up to 400, weeks beyond) from its start (the earlier of {@code started_at}
 * and {@code declared_at}, or the first thing counted if that came earlier), floored to the span,
 * to the span holding its end (its closing, or now while it is open). What came after the end (its
 * entries go on matching once it is closed) is not counted.
 *
 * @param bucket the length of each span: {@code hour}, {@code day} or {@code week}
 * @param from the start of the first span
 * @param to the end of what is counted: the closing, or the time the figures were read
 * @param matches uploads here (recorded submissions) that matched the incident's bank, by the time they were submitted
 * @param uploadsStopped those of them removed, by the time they were removed
 * @param peerMatches matches peers reported, summed over every peer
 * @param secondsToFirstBlock from the declaration to the first upload stopped here; null if none was
 * @param entriesBySignalType the signals the incident's bank holds now, by type
 * @param entries the entries the bank holds now
 * @param variants distinct contents that matched at a distance above 0 (edited copies)
 */
public record IncidentFigures(
    long incidentId,
    String bucket,
    String from,
    String to,
    List<Bucket> buckets,
    List<Peer> peers,
    long matches,
    long uploadsStopped,
    long peerMatches,
    String firstMatchAt,
    String firstBlockAt,
    Long secondsToFirstBlock,
    Map<String, Long> entriesBySignalType,
    long entries,
    long variants) {

  /** One span: its start, and what was counted in it; {@code peerMatches} names only the peers that reported some. */
  public record Bucket(String start, long matches, long uploadsStopped, Map<String, Long> peerMatches) {}

  /** One peer's reports: its total, the first span it reported matches in, and its busiest span (the first of equals). */
  public record Peer(String peer, long matches, String firstReported, String busiest) {}

  /**
   * What the database holds, read by {@link FigureReader}: counts by the hour (each key an hour's
   * start, UTC), the times of the first match and first block, and the bank's contents.
   */
  record Raw(Instant declared, Instant started, Instant end, SortedMap<Instant, Long> matches, SortedMap<Instant, Long> stopped,
      Map<String, SortedMap<Instant, Long>> peers, Instant firstMatch, Instant firstBlock, Map<String, Long> entriesBySignalType,
      long entries, long variants) {}

  /** Puts the hourly counts of {@code raw} into spans. */
  static IncidentFigures of(long incidentId, Raw raw) {
    Instant start = raw.declared().isBefore(raw.started()) ? raw.declared() : raw.started();
    for (SortedMap<Instant, Long> hours : allHours(raw)) {
      if (!hours.isEmpty() && hours.firstKey().isBefore(start)) {
        start = hours.firstKey();
      }
    }
    Instant end = raw.end().isBefore(start) ? start : raw.end();
    Granularity unit = Granularity.spanning(Granularity.HOUR.floor(start), end);
    Instant first = unit.floor(start);
    Instant last = unit.floor(end);
    List<Instant> starts = new ArrayList<>();
    for (Instant at = first; !at.isAfter(last); at = unit.next(at)) {
      starts.add(at);
    }
    long[] matches = spread(raw.matches(), starts, unit, end);
    long[] stopped = spread(raw.stopped(), starts, unit, end);
    Map<String, long[]> byPeer = new TreeMap<>();
    raw.peers().forEach((peer, hours) -> byPeer.put(peer, spread(hours, starts, unit, end)));

    List<Bucket> buckets = new ArrayList<>(starts.size());
    for (int i = 0; i < starts.size(); i++) {
      Map<String, Long> peers = new TreeMap<>();
      for (Map.Entry<String, long[]> peer : byPeer.entrySet()) {
        if (peer.getValue()[i] > 0) {
          peers.put(peer.getKey(), peer.getValue()[i]);
        }
      }
      buckets.add(new Bucket(starts.get(i).toString(), matches[i], stopped[i], peers));
    }
    List<Peer> peers = new ArrayList<>();
    long peerTotal = 0;
    for (Map.Entry<String, long[]> peer : byPeer.entrySet()) {
      long[] counts = peer.getValue();
      long total = 0;
      int firstIndex = -1;
      int busiest = -1;
      for (int i = 0; i < counts.length; i++) {
        total += counts[i];
        if (counts[i] > 0 && firstIndex < 0) {
          firstIndex = i;
        }
        if (counts[i] > 0 && (busiest < 0 || counts[i] > counts[busiest])) {
          busiest = i;
        }
      }
      if (total > 0) {
        peers.add(new Peer(peer.getKey(), total, starts.get(firstIndex).toString(), starts.get(busiest).toString()));
        peerTotal += total;
      }
    }
    peers.sort(Comparator.comparingLong(Peer::matches).reversed().thenComparing(Peer::peer));
    Long toFirstBlock = raw.firstBlock() == null ? null
        // A block before the declaration (a peer's incident accepted late) is no time at all.
        : Math.max(0, Duration.between(raw.declared(), raw.firstBlock()).getSeconds());
    return new IncidentFigures(incidentId, unit.wireName(), first.toString(), end.toString(), buckets, peers, sum(matches), sum(stopped),
        peerTotal, text(raw.firstMatch()), text(raw.firstBlock()), toFirstBlock, new TreeMap<>(raw.entriesBySignalType()), raw.entries(),
        raw.variants());
  }

  private static List<SortedMap<Instant, Long>> allHours(Raw raw) {
    List<SortedMap<Instant, Long>> all = new ArrayList<>(List.of(raw.matches(), raw.stopped()));
    all.addAll(raw.peers().values());
    return all;
  }

  /** Hourly counts summed into the spans starting at {@code starts}; hours after {@code end} are left out. */
  private static long[] spread(SortedMap<Instant, Long> hours, List<Instant> starts, Granularity unit, Instant end) {
    long[] counts = new long[starts.size()];
    Instant first = starts.getFirst();
    for (Map.Entry<Instant, Long> hour : hours.entrySet()) {
      Instant at = hour.getKey();
      if (at.isAfter(end) || at.isBefore(first)) {
        continue;
      }
      int index = index(starts, unit.floor(at));
      if (index >= 0) {
        counts[index] += hour.getValue();
      }
    }
    return counts;
  }

  private static int index(List<Instant> starts, Instant start) {
    int index = java.util.Collections.binarySearch(starts, start);
    return index >= 0 ? index : -1;
  }

  private static long sum(long[] counts) {
    long total = 0;
    for (long count : counts) {
      total += count;
    }
    return total;
  }

  private static String text(Instant time) {
    return time == null ? null : time.toString();
  }
}
