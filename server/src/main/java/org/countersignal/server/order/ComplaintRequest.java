package org.countersignal.server.order;

/** A complaint as the platform passes it on: who complains (the platform's id of them) and what they say. */
public record ComplaintRequest(String complainant, String text) {}
