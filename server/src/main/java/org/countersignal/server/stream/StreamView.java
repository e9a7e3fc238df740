package org.countersignal.server.stream;

import java.util.List;

/**
 * A livestream as the API shows it. {@code externalId} and {@code account} are the platform's
 * names for the stream and its streamer; {@code banks} null means every enabled bank.
 */
public record StreamView(
    long id,
    String externalId,
    String account,
    List<Long> banks,
    int windowSeconds,
    String state,
    long frames,
    Double lastSeconds,
    String openedAt,
    String closedAt,
    List<StreamAlert> alerts) {}
