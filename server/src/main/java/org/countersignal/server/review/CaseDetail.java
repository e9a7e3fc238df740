package org.countersignal.server.review;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.countersignal.server.action.SubmissionView;

/**
 * A case with everything a reviewer needs: the submission (metadata, matches, decisions), the
 * claim, the appeal for an appeal case, and the decision once made. A rejected case says which
 * rejection it was ({@code rejectAs}: false_positive or benign), since a platform treats the two
 * differently.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaseDetail(
    long id,
    String kind,
    String status,
    int priority,
    Long claimedBy,
    String leaseUntil,
    Long excludedReviewer,
    String createdAt,
    SubmissionView submission,
    AppealView appeal,
    String outcome,
    String rejectAs,
    String reason,
    String policy,
    Long decidedBy,
    String decidedAt,
    Long addedEntryId) {

  CaseDetail withAddedEntry(Long entryId) {
    return new CaseDetail(id, kind, status, priority, claimedBy, leaseUntil, excludedReviewer, createdAt, submission, appeal, outcome,
        rejectAs, reason, policy, decidedBy, decidedAt, entryId);
  }
}
