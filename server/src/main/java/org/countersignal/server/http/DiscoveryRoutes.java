package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;
import static org.countersignal.server.auth.Role.COORDINATOR;
import static org.countersignal.server.auth.Role.CURATOR;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.countersignal.server.discovery.Discovery;
import org.countersignal.server.discovery.DiscoverySettings;
import org.countersignal.server.discovery.Proposal;
import org.countersignal.server.discovery.Proposals;

/**
 * Variant discovery: its settings, for admins to turn it on and tune it, and its proposals, for
 * curators to bank or reject ({@link Discovery}).
 */
final class DiscoveryRoutes {

  /** Body of the reject route. */
  record Rejection(String reason) {}

  private final Discovery discovery;
  private final RequestBodies bodies;

  DiscoveryRoutes(Discovery discovery, RequestBodies bodies) {
    this.discovery = discovery;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/discovery/settings", ctx -> ctx.json(discovery.settings()), ADMIN, CURATOR, AUDITOR);
    routes.patch("/api/v1/discovery/settings", ctx -> ctx.json(discovery.change(Authenticator.principal(ctx),
        bodies.json(ctx, DiscoverySettings.Change.class))), ADMIN);
    routes.post("/api/v1/discovery/run", ctx -> ctx.json(discovery.run(true)), ADMIN);
    routes.get("/api/v1/proposals", this::list, ADMIN, CURATOR, COORDINATOR, AUDITOR);
    routes.get("/api/v1/proposals/{id}", ctx -> ctx.json(discovery.proposals().get(RequestBodies.id(ctx, "id"))),
        ADMIN, CURATOR, COORDINATOR, AUDITOR);
    routes.post("/api/v1/proposals/{id}/accept", ctx -> ctx.json(discovery.proposals().accept(Authenticator.principal(ctx),
        RequestBodies.id(ctx, "id"), bodies.json(ctx, Proposals.Acceptance.class))), ADMIN, CURATOR);
    routes.post("/api/v1/proposals/{id}/reject", ctx -> ctx.json(discovery.proposals().reject(Authenticator.principal(ctx),
        RequestBodies.id(ctx, "id"), bodies.json(ctx, Rejection.class).reason())), ADMIN, CURATOR);
  }

  private void list(Context ctx) {
    int limit = (int) RequestBodies.longParam(ctx, "limit", 100, 1, 500);
    String before = ctx.queryParam("before");
    Long beforeId = before == null ? null : RequestBodies.longParam(ctx, "before", 0, 1, Long.MAX_VALUE);
    List<Proposal> page = discovery.proposals().list(ctx.queryParam("state"), ctx.queryParam("kind"), beforeId, limit);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page);
    body.put("next_before", page.size() == limit ? page.getLast().id() : null);
    ctx.json(body);
  }
}
