package org.countersignal.server.incident;

import java.util.Map;

/**
 * One event of an incident's timeline.
 *
 * @param actorKeyId the key that made the change; null for what the service saw itself
 * @param peer the peer it is about (a first match reported by a peer), or null
 * @param detail what the event says, by name (the level before and after, the signal added)
 */
public record TimelineEvent(String at, String kind, Long actorKeyId, String peer, Map<String, Object> detail) {}
