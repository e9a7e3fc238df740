package org.countersignal.server.match;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One match: the query signal {@code query} of type {@code signalType} is within the bank's
 * threshold of entry {@code entryId}. Labels are the entry's joined with its bank's.
 * {@code variant}: which dihedral variant of an uploaded image matched, when variants were asked for.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MatchHit(
    long bankId,
    String bankName,
    long entryId,
    String signalType,
    String query,
    int distance,
    int threshold,
    String variant,
    List<String> labels,
    List<String> entities) {}
