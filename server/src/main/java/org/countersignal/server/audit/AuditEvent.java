package org.countersignal.server.audit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One row of the audit log as the API returns it.
 *
 * @param seal the number of the seal that covers it in the audit chain; null until it is sealed
 */
public record AuditEvent(
    long id,
    String occurredAt,
    Long actorKeyId,
    String action,
    String targetType,
    String targetId,
    JsonNode before,
    JsonNode after,
    Long seal) {}
