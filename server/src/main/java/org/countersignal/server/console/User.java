package org.countersignal.server.console;

/** A console user as lists show it: never the password or its hash. */
public record User(long id, String username, String role, long keyId, String createdAt, Long createdBy) {}
