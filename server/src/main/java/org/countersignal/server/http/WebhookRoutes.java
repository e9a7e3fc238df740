package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;
import org.countersignal.server.webhook.WebhookChanges;
import org.countersignal.server.webhook.WebhookService;

/**
 * {@code /api/v1/webhooks}: admins manage the endpoints events are POSTed to, and replay dead
 * deliveries; auditors may list deliveries. Secrets appear only in the answers to create and
 * rotate-secret.
 */
final class WebhookRoutes {

  private final WebhookService webhooks;
  private final RequestBodies bodies;

  WebhookRoutes(WebhookService webhooks, RequestBodies bodies) {
    this.webhooks = webhooks;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    // Before /webhooks/{id}, which would otherwise take "deliveries" for an id.
    routes.get("/api/v1/webhooks/deliveries", this::deliveries, ADMIN, AUDITOR);
    routes.post("/api/v1/webhooks/deliveries/{id}/replay",
        ctx -> ctx.json(webhooks.replay(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"))), ADMIN);
    routes.post("/api/v1/webhooks", ctx -> ctx.status(201)
        .json(webhooks.create(Authenticator.principal(ctx), bodies.json(ctx, WebhookChanges.class))), ADMIN);
    routes.get("/api/v1/webhooks", ctx -> ctx.json(Map.of("items", webhooks.list())), ADMIN);
    routes.get("/api/v1/webhooks/{id}", ctx -> ctx.json(webhooks.get(RequestBodies.id(ctx, "id"))), ADMIN);
    routes.patch("/api/v1/webhooks/{id}", ctx -> ctx.json(webhooks.update(Authenticator.principal(ctx),
        RequestBodies.id(ctx, "id"), bodies.json(ctx, WebhookChanges.class))), ADMIN);
    routes.delete("/api/v1/webhooks/{id}", ctx -> {
      webhooks.delete(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"));
      ctx.status(204);
    }, ADMIN);
    routes.post("/api/v1/webhooks/{id}/rotate-secret",
        ctx -> ctx.json(webhooks.rotateSecret(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"))), ADMIN);
    routes.post("/api/v1/webhooks/{id}/test", ctx -> ctx.status(202)
        .json(Map.of("event_id", webhooks.sendTest(Authenticator.principal(ctx), RequestBodies.id(ctx, "id")))), ADMIN);
  }

  private void deliveries(Context ctx) {
    String status = ctx.queryParam("status");
    String endpointText = ctx.queryParam("endpoint");
    Long endpoint = endpointText == null || endpointText.isBlank()
        ? null : RequestBodies.longParam(ctx, "endpoint", 0, 1, Long.MAX_VALUE);
    long after = RequestBodies.longParam(ctx, "after", 0, 0, Long.MAX_VALUE);
    int limit = (int) RequestBodies.longParam(ctx, "limit", EntryRoutes.DEFAULT_PAGE, 1, EntryRoutes.MAX_PAGE);
    var page = webhooks.deliveries(status == null || status.isBlank() ? null : status.strip(), endpoint, after, limit);
    Map<String, Object> body = new HashMap<>();
    body.put("items", page.items());
    body.put("next_after", page.nextAfter());
    ctx.json(body);
  }
}
