package org.countersignal.server.stream;

/** One sampled frame of a livestream: its PDQ hash (hex), quality (0-100, or -1 when not known) and position in seconds. */
public record Frame(String pdq, int quality, double atSeconds) {}
