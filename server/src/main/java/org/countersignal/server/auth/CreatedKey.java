package org.countersignal.server.auth;

/** A key just made: the only moment the secret {@code key} exists outside its holder. */
public record CreatedKey(long id, String key, String keyPrefix, String role, String name, String createdAt, String expiresAt,
    KeyStatus status) {}
