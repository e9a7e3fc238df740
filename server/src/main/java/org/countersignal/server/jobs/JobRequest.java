package org.countersignal.server.jobs;

import java.util.List;
import org.countersignal.server.action.ContentInfo;
import org.countersignal.server.bank.NewEntry;

/**
 * What a caller asked of a video job.
 *
 * @param kind {@code hash} (signals only), {@code match} (signals and matches) or {@code bank}
 *     (the video becomes an entry of the one bank in {@code banks})
 * @param banks banks to match against (null for every enabled bank), or the bank to add to
 * @param secondsPerFrame 0 hashes every frame (as the reference does); otherwise one frame per that many seconds
 * @param entry for {@code bank}: the entry's labels, entities, note and provenance (its signals
 *     come from the video); null otherwise
 * @param content for {@code match}: what the platform said about the video (checked); the
 *     match is then kept as a submission and acted on; null for a plain lookup
 * @param record for a {@code match} without content details: whether a match that hits is kept
 *     and acted on all the same (the request asked, or its key records by default)
 */
public record JobRequest(JobKind kind, List<Long> banks, double secondsPerFrame, NewEntry entry, ContentInfo content,
    boolean record) {

  public JobRequest {
    if (kind == null) {
      throw new IllegalArgumentException("a job needs a kind");
    }
    if (kind == JobKind.BANK && (banks == null || banks.size() != 1 || entry == null)) {
      throw new IllegalArgumentException("a bank job names one bank and the entry's details");
    }
    banks = banks == null ? null : List.copyOf(banks);
  }

  public JobRequest(JobKind kind, List<Long> banks, double secondsPerFrame) {
    this(kind, banks, secondsPerFrame, null, null, false);
  }

  public JobRequest(JobKind kind, List<Long> banks, double secondsPerFrame, NewEntry entry) {
    this(kind, banks, secondsPerFrame, entry, null, false);
  }

  public JobRequest(JobKind kind, List<Long> banks, double secondsPerFrame, NewEntry entry, ContentInfo content) {
    this(kind, banks, secondsPerFrame, entry, content, false);
  }
}
