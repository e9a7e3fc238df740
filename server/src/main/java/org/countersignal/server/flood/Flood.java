package org.countersignal.server.flood;

/**
 * One time the flood guard held an entry: its hits in the hour before ({@code matches}) against
 * its mean hits an hour before that ({@code baseline}), and what a curator then decided.
 */
public record Flood(
    long id,
    long entryId,
    long bankId,
    String bankName,
    String state,
    long matches,
    double baseline,
    String heldAt,
    String resolvedAt,
    Long resolvedBy,
    String reason) {}
