package org.countersignal.index.hamming;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses which segments to merge next. Segments are grouped into tiers by size (tier k holds
 * sizes from base * factor^k up to base * factor^(k+1)); when a tier holds {@code factor}
 * segments they are merged into one of the next tier. Every entry is therefore copied about
 * log_factor(n / base) times over its life, and the number of segments stays near
 * (factor - 1) * log_factor(n / base). A segment that is more than half removed entries is
 * rewritten on its own to reclaim the space.
 */
final class MergePolicy {

  private MergePolicy() {}

  static Segment[] pick(Segment[] segments, int factor, int base) {
    for (Segment segment : segments) {
      if (segment.liveCount() * 2 < segment.size) {
        return new Segment[] {segment};
      }
    }
    List<List<Segment>> tiers = new ArrayList<>();
    for (Segment segment : segments) {
      int tier = tierOf(segment.size, factor, base);
      while (tiers.size() <= tier) {
        tiers.add(new ArrayList<>());
      }
      List<Segment> members = tiers.get(tier);
      members.add(segment);
      if (members.size() == factor) {
        return members.toArray(new Segment[0]);
      }
    }
    return null;
  }

  static int tierOf(int size, int factor, int base) {
    int tier = 0;
    long limit = (long) base * factor;
    while (size >= limit) {
      tier++;
      limit *= factor;
    }
    return tier;
  }
}
