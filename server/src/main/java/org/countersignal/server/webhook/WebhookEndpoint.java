package org.countersignal.server.webhook;

import java.util.List;

/** An endpoint as the API shows it and the audit log records it: never its secret. */
public record WebhookEndpoint(
    long id, String url, String description, List<String> eventTypes, boolean enabled, String createdAt, String updatedAt) {

  /** Whether an event of {@code type} goes to this endpoint (disabled or not). */
  boolean subscribesTo(String type) {
    return eventTypes.contains(WebhookService.ALL_EVENTS) || eventTypes.contains(type);
  }
}
