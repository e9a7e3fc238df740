package org.countersignal.server.order;

/** The content was removed or disabled: how, which submission it is when known, and a note. */
public record RemovalRequest(String action, Long submissionId, String note) {}
