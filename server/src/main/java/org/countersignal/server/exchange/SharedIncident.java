package org.countersignal.server.exchange;

/**
 * A crisis incident a source shares, as it describes it: its id there, its facts, and the feed of
 * its entries ({@code feed}), which an exchange of the same source follows once it is accepted.
 *
 * @param origin the id of the instance that declared it
 * @param sharing how far its entries may travel on from here (a {@code Sharing} level's name)
 */
public record SharedIncident(
    String origin,
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
    String feed,
    String sharing) {}
