package org.countersignal.server.webhook;

/** One event's delivery to one endpoint, as the API lists it. */
public record WebhookDelivery(
    long id, String eventId, String eventType, long endpointId, DeliveryStatus status, int attempts,
    String nextAttemptAt, Integer lastStatus, String lastError, String createdAt, String deliveredAt) {}
