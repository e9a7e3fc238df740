package org.countersignal.server.webhook;

/**
 * An endpoint with its signing secret, answered when it is made and when its secret is rotated:
 * the only times the secret leaves the server.
 */
public record CreatedWebhook(
    long id, String url, String description, java.util.List<String> eventTypes, boolean enabled,
    String createdAt, String updatedAt, String secret) {

  static CreatedWebhook of(WebhookEndpoint endpoint, String secret) {
    return new CreatedWebhook(endpoint.id(), endpoint.url(), endpoint.description(), endpoint.eventTypes(),
        endpoint.enabled(), endpoint.createdAt(), endpoint.updatedAt(), secret);
  }
}
