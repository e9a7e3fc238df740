package org.countersignal.server.order;

/**
 * A removal order as it is taken in. {@code receivedAt} is when it reached the provider (the
 * clock runs from then); unset, now.
 */
public record OrderIntake(Long authorityId, String reference, String contentUrl, String contentId, String reasons, String receivedAt,
    Boolean threatToLife, Boolean notifyProvider) {}
