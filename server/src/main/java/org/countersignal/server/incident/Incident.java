package org.countersignal.server.incident;

import java.util.List;

/**
 * An incident as stored and returned.
 *
 * @param bankId its bank, which holds its hashes, URLs and texts; null for a proposal not yet accepted
 * @param sharing how far its bank's entries travel ({@code red} keeps them here; otherwise every
 *     peer that takes incidents gets them)
 * @param origin for an incident a peer shared: the publisher's instance id; null for one declared here
 * @param originId the publisher's id of it
 * @param viaExchangeId the exchange of that publisher it arrived through
 */
public record Incident(
    long id,
    String name,
    String kind,
    String level,
    String region,
    String description,
    String status,
    String startedAt,
    String declaredAt,
    String closedAt,
    String updatedAt,
    Long bankId,
    String sharing,
    List<String> labels,
    String origin,
    Long originId,
    Long viaExchangeId) {

  public IncidentStatus state() {
    return IncidentStatus.fromWire(status);
  }

  /** Whether a peer declared it. */
  public boolean received() {
    return origin != null;
  }
}
