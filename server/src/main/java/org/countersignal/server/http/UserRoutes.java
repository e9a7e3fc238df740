package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.countersignal.server.RequestException;
import org.countersignal.server.auth.Role;
import org.countersignal.server.console.UserAccounts;

/** {@code /api/v1/users}: admins make and delete console users; auditors may list them. */
public final class UserRoutes {

  /** Body of POST /users. */
  record NewUser(String username, String password, String role) {}

  private final UserAccounts users;
  private final RequestBodies bodies;

  public UserRoutes(UserAccounts users, RequestBodies bodies) {
    this.users = users;
    this.bodies = bodies;
  }

  public void register(RoutesConfig routes) {
    routes.post("/api/v1/users", this::create, ADMIN);
    routes.get("/api/v1/users", ctx -> ctx.json(Map.of("items", users.list())), ADMIN, AUDITOR);
    routes.delete("/api/v1/users/{id}", this::delete, ADMIN);
  }

  private void create(Context ctx) {
    NewUser request = bodies.json(ctx, NewUser.class);
    Role role = Role.fromWire(request.role());
    if (request.role() == null || role == null) {
      throw RequestException.invalid("role", "one of admin, curator, auditor, reviewer, coordinator");
    }
    ctx.status(201).json(users.create(Authenticator.principal(ctx), request.username(), request.password(), role));
  }

  private void delete(Context ctx) {
    users.delete(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"));
    ctx.status(204);
  }
}
