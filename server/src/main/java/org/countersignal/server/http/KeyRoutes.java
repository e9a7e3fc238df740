package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.countersignal.server.RequestException;
import org.countersignal.server.auth.ApiKeys;
import org.countersignal.server.auth.Role;

/** {@code /api/v1/keys}: admins make and revoke keys; auditors may list them (never the secrets). */
final class KeyRoutes {

  /** Body of POST /keys. */
  record NewKey(String role, String name) {}

  private final ApiKeys keys;
  private final RequestBodies bodies;

  KeyRoutes(ApiKeys keys, RequestBodies bodies) {
    this.keys = keys;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.post("/api/v1/keys", this::create, ADMIN);
    routes.get("/api/v1/keys", ctx -> ctx.json(Map.of("items", keys.list())), ADMIN, AUDITOR);
    routes.delete("/api/v1/keys/{id}", this::revoke, ADMIN);
  }

  private void create(Context ctx) {
    NewKey request = bodies.json(ctx, NewKey.class);
    Role role = Role.fromWire(request.role());
    if (role == null) {
      throw RequestException.invalid("role", "one of admin, curator, matcher, auditor, reviewer");
    }
    String name = request.name() == null ? null : request.name().strip();
    if (name != null && name.length() > 200) {
      throw RequestException.invalid("name", "at most 200 characters");
    }
    ctx.status(201).json(keys.create(Authenticator.principal(ctx), role, name));
  }

  private void revoke(Context ctx) {
    keys.revoke(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"));
    ctx.status(204);
  }
}
