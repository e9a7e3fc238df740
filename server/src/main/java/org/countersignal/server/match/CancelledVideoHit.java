package org.countersignal.server.match;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** A video hit that a negative bank's video cancelled ({@link CancelledHit} for videos). */
public record CancelledVideoHit(@JsonUnwrapped VideoHit hit, CancelledHit.By cancelledBy) {}
