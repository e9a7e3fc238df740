package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;
import static org.countersignal.server.auth.Role.CURATOR;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.countersignal.server.flood.Flood;
import org.countersignal.server.flood.FloodGuard;

/** The flood guard's held entries, for curators to release or disable ({@link FloodGuard}). */
final class FloodRoutes {

  /** Body of the release and disable routes. */
  record Decision(String reason) {}

  private final FloodGuard floods;
  private final RequestBodies bodies;

  FloodRoutes(FloodGuard floods, RequestBodies bodies) {
    this.floods = floods;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/floods", this::list, ADMIN, CURATOR, AUDITOR);
    routes.get("/api/v1/floods/{id}", ctx -> ctx.json(floods.get(RequestBodies.id(ctx, "id"))), ADMIN, CURATOR, AUDITOR);
    routes.post("/api/v1/floods/{id}/release", ctx -> ctx.json(floods.release(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"),
        bodies.json(ctx, Decision.class).reason())), ADMIN, CURATOR);
    routes.post("/api/v1/floods/{id}/disable", ctx -> ctx.json(floods.disable(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"),
        bodies.json(ctx, Decision.class).reason())), ADMIN, CURATOR);
  }

  private void list(Context ctx) {
    int limit = (int) RequestBodies.longParam(ctx, "limit", 100, 1, 500);
    String before = ctx.queryParam("before");
    Long beforeId = before == null ? null : RequestBodies.longParam(ctx, "before", 0, 1, Long.MAX_VALUE);
    List<Flood> page = floods.list(ctx.queryParam("state"), beforeId, limit);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page);
    body.put("next_before", page.size() == limit ? page.getLast().id() : null);
    ctx.json(body);
  }
}
