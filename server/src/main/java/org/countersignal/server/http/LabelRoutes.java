package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;
import static org.countersignal.server.auth.Role.COORDINATOR;
import static org.countersignal.server.auth.Role.CURATOR;
import static org.countersignal.server.auth.Role.MATCHER;
import static org.countersignal.server.auth.Role.REVIEWER;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.countersignal.server.bank.LabelTaxonomy;

/**
 * The label taxonomy: every role reads it (labels come back on matches); admins add labels and
 * change their descriptions, since the taxonomy is the platform's policy.
 */
final class LabelRoutes {

  /** Body of POST /labels and PATCH /labels/{name}. */
  record LabelRequest(String name, String description) {}

  private final LabelTaxonomy taxonomy;
  private final RequestBodies bodies;

  LabelRoutes(LabelTaxonomy taxonomy, RequestBodies bodies) {
    this.taxonomy = taxonomy;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/labels", ctx -> ctx.json(Map.of("labels", taxonomy.list())), ADMIN, CURATOR, MATCHER, AUDITOR, REVIEWER, COORDINATOR);
    routes.post("/api/v1/labels", this::create, ADMIN);
    routes.patch("/api/v1/labels/{name}", this::update, ADMIN);
  }

  private void create(Context ctx) {
    LabelRequest request = bodies.json(ctx, LabelRequest.class);
    ctx.status(201).json(taxonomy.create(Authenticator.principal(ctx), request.name(), request.description()));
  }

  private void update(Context ctx) {
    LabelRequest request = bodies.json(ctx, LabelRequest.class);
    ctx.json(taxonomy.update(Authenticator.principal(ctx), ctx.pathParam("name"), request.description()));
  }
}
