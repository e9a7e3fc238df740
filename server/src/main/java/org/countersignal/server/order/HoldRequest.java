package org.countersignal.server.order;

/** A longer preservation asked for by an authority or a court (Art. 6(2)): until when, and why. */
public record HoldRequest(String until, String reason) {}
