package org.countersignal.server.review;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An appeal against a removal. {@code hoursToDecision}: from filing to decision, or to now while
 * open; {@code overdue}: open past its deadline (two weeks by default).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AppealView(
    long id,
    long submissionId,
    String contentId,
    String statement,
    String status,
    String createdAt,
    String dueAt,
    String decidedAt,
    Long decidedBy,
    String reason,
    Long caseId,
    double hoursToDecision,
    boolean overdue) {}
