package org.countersignal.server.order;

/** An order not complied with: the reason the regulation allows, and the reply sent to the authority. */
public record NotCompliedRequest(String reason, String reply) {}
