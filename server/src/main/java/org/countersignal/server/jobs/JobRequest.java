package org.countersignal.server.jobs;

import java.util.List;

/**
 * What a caller asked of a video job.
 *
 * @param kind {@code hash} (signals only) or {@code match} (signals and matches)
 * @param banks banks to match against; null for every enabled bank
 * @param secondsPerFrame 0 hashes every frame (as the reference does); otherwise one frame per that many seconds
 */
public record JobRequest(String kind, List<Long> banks, double secondsPerFrame) {

  public static final String HASH = "hash";
  public static final String MATCH = "match";

  public JobRequest {
    if (!HASH.equals(kind) && !MATCH.equals(kind)) {
      throw new IllegalArgumentException("kind must be hash or match");
    }
    banks = banks == null ? null : List.copyOf(banks);
  }
}
