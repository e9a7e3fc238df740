package org.countersignal.server.auth;

/**
 * A stored API key as lists show it: never the secret, only its first characters.
 *
 * @param rateLimit the key's own rate, or null when it has its role's default
 * @param recordMatches whether its lookups are recorded when they hit and the request does not
 *     say (null: not recorded, the service's default)
 * @param expiresAt when it stops working, or null when it never does
 * @param status whether it works now
 */
public record ApiKey(long id, String keyPrefix, String role, String name, String createdAt, Long createdBy, String revokedAt,
    RateLimit rateLimit, Boolean recordMatches, String expiresAt, KeyStatus status) {}
