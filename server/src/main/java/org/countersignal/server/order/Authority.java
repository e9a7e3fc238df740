package org.countersignal.server.order;

/** A competent authority on the operator's list: orders are taken in only from an active one. */
public record Authority(long id, String name, String memberState, String contact, boolean active, String createdAt, String updatedAt) {}
