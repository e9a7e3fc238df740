package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;
import static org.countersignal.server.auth.Role.COORDINATOR;
import static org.countersignal.server.auth.Role.CURATOR;
import static org.countersignal.server.auth.Role.PEER;

import io.javalin.config.RoutesConfig;
import java.util.Map;
import org.countersignal.server.incident.IncidentChanges;
import org.countersignal.server.incident.Incidents;
import org.countersignal.server.incident.SharedIncidents;

/**
 * {@code /api/v1/incidents}: coordinators and admins declare incidents and change them; curators
 * and auditors read them. An incident's entries are its bank's ({@code /api/v1/banks/{bank_id}/entries}),
 * which coordinators may fill.
 */
final class IncidentRoutes {

  private final Incidents incidents;
  private final SharedIncidents shared;
  private final RequestBodies bodies;

  /** @param shared incidents between instances; null: none (a server without exchanges) */
  IncidentRoutes(Incidents incidents, SharedIncidents shared, RequestBodies bodies) {
    this.incidents = incidents;
    this.shared = shared;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.post("/api/v1/incidents", ctx -> ctx.status(201)
        .json(incidents.declare(Authenticator.principal(ctx), bodies.json(ctx, IncidentChanges.class))), ADMIN, COORDINATOR);
    routes.get("/api/v1/incidents", ctx -> ctx.json(Map.of("items", incidents.list(ctx.queryParam("status")))),
        ADMIN, COORDINATOR, CURATOR, AUDITOR);
    routes.get("/api/v1/incidents/{id}", ctx -> ctx.json(incidents.get(RequestBodies.id(ctx, "id"))), ADMIN, COORDINATOR, CURATOR, AUDITOR);
    routes.patch("/api/v1/incidents/{id}", ctx -> ctx.json(incidents.update(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"),
        bodies.json(ctx, IncidentChanges.class))), ADMIN, COORDINATOR);
    routes.get("/api/v1/incidents/{id}/timeline", ctx -> ctx.json(Map.of("items", incidents.timeline(RequestBodies.id(ctx, "id")))),
        ADMIN, COORDINATOR, CURATOR, AUDITOR);
    if (shared != null) {
      routes.post("/api/v1/incidents/{id}/accept", ctx -> ctx.json(shared.accept(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"))),
          ADMIN, COORDINATOR);
      routes.post("/api/v1/incidents/{id}/decline", ctx -> ctx.json(shared.decline(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"))),
          ADMIN, COORDINATOR);
      routes.get("/api/v1/federation/incidents", ctx -> ctx.json(shared.publishedTo(Authenticator.principal(ctx))), ADMIN, PEER);
    }
  }
}
