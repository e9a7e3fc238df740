package org.countersignal.server.order;

/** What an admin gives to add an authority to the list or change it; null fields are left as they are. */
public record AuthorityChanges(String name, String memberState, String contact, Boolean active) {}
