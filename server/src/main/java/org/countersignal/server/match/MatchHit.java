package org.countersignal.server.match;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One match: the query signal {@code query} of type {@code signalType} is within the bank's
 * threshold of entry {@code entryId}. Labels are the entry's joined with its bank's.
 * {@code variant}: which dihedral variant of an uploaded image matched, when variants were asked for.
 * {@code part}: what the hit covers, for types that say more than a distance (which part of a
 * banked text matched, and how much of the query); absent otherwise.
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
    List<String> entities,
    java.util.Map<String, Object> part) {

  /** A hit that says no more than its distance. */
  public MatchHit(long bankId, String bankName, long entryId, String signalType, String query, int distance, int threshold,
      String variant, List<String> labels, List<String> entities) {
    this(bankId, bankName, entryId, signalType, query, distance, threshold, variant, labels, entities, null);
  }

  /** This hit with {@code part} in place of what it had. */
  public MatchHit withPart(java.util.Map<String, Object> part) {
    return new MatchHit(bankId, bankName, entryId, signalType, query, distance, threshold, variant, labels, entities, part);
  }
}
