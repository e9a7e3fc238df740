package org.countersignal.server.match;

import java.util.List;

/**
 * One match: the query signal {@code query} of type {@code signalType} is within the bank's
 * threshold of entry {@code entryId}. Labels are the entry's joined with its bank's.
 */
public record MatchHit(
    long bankId,
    String bankName,
    long entryId,
    String signalType,
    String query,
    int distance,
    int threshold,
    List<String> labels,
    List<String> entities) {}
