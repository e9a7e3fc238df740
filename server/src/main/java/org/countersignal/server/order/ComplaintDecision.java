package org.countersignal.server.order;

/** A complaint decided: {@code upheld} (the content is reinstated) or {@code rejected}, with the reason told to the complainant. */
public record ComplaintDecision(String outcome, String reason) {}
