package org.countersignal.server.action;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** What became of a match the platform submitted: the record kept, the decisions, and the review case if one was opened. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Outcome(long submissionId, String contentId, SubmissionStatus status, List<DecisionView> decisions, Long caseId) {}
