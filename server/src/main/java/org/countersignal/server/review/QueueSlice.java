package org.countersignal.server.review;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One page of the queue under a filter.
 *
 * @param total how many open cases the filter matches in all
 * @param preceding how many of them come before this page's first case
 * @param now the time the page was read at, which its overdue marks and ages are measured from
 */
public record QueueSlice(List<CaseSummary> cases, long total, long preceding, OffsetDateTime now) {

  public boolean hasPrevious() {
    return !cases.isEmpty() && preceding > 0;
  }

  public boolean hasNext() {
    return !cases.isEmpty() && preceding + cases.size() < total;
  }
}
