package org.countersignal.server.review;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A line of the review queue. {@code overdue}: an appeal past its decision deadline. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaseSummary(
    long id,
    String kind,
    String status,
    int priority,
    long submissionId,
    String contentId,
    String account,
    String contentType,
    List<String> labels,
    Integer bestDistance,
    Long claimedBy,
    String leaseUntil,
    String createdAt,
    String dueAt,
    boolean overdue) {

  CaseSummary withMatches(List<String> matchedLabels, Integer closest) {
    return new CaseSummary(id, kind, status, priority, submissionId, contentId, account, contentType, matchedLabels, closest,
        claimedBy, leaseUntil, createdAt, dueAt, overdue);
  }
}
