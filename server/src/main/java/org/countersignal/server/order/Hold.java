package org.countersignal.server.order;

/** A preservation hold: the content (by id, and the submission when known) is kept until {@code heldUntil}. */
public record Hold(long id, String contentId, Long submissionId, String heldFrom, String heldUntil, String reason, boolean active) {}
