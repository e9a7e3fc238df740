package org.countersignal.server.order;

/** The hour starts again for an order not complied with: from when the reason ceased or the clarification came (unset: now). */
public record ClockRestart(String from, String note) {}
