package org.countersignal.server.action;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One decision about a submission: the action, whether it is taken or waits for review, and
 * what made it (a rule, a reviewer, an appeal or a takeover response).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecisionView(
    long id, String action, DecisionState state, DecisionSource source, Long ruleId, String ruleName, Long actorKeyId, String reason,
    String eventId, String createdAt) {}
