package org.countersignal.server.auth;

/** The caller of one request: which key it used and that key's role. */
public record Principal(long keyId, Role role) {}
