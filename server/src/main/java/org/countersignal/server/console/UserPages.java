package org.countersignal.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.countersignal.server.RequestException;
import org.countersignal.server.auth.Role;

/** {@code /console/users}: admins make and delete console users, as through the API; auditors see the list. */
final class UserPages {

  private final UserAccounts users;

  UserPages(UserAccounts users) {
    this.users = users;
  }

  void register(RoutesConfig routes, ConsoleRoutes console) {
    routes.get("/console/users", console.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, Role.ADMIN, Role.AUDITOR);
      String created = ctx.queryParam("created");
      ctx.html(Pages.users(viewer, users.list(), created == null ? null : "User " + created + " created.", false));
    }));
    routes.post("/console/users", console.action((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, Role.ADMIN);
      Role role = Role.fromWire(ctx.formParam("role"));
      try {
        User made = users.create(viewer.principal(), ctx.formParam("username"), ctx.formParam("password"), role);
        // After a POST, a redirect: reloading the page then does not make the user twice.
        ctx.redirect("/console/users?created=" + URLEncoder.encode(made.username(), StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
      } catch (RequestException e) {
        ctx.status(e.kind().status()).html(Pages.users(viewer, users.list(), e.getMessage(), true));
      }
    }));
    routes.post("/console/users/{id}/delete", console.action((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, Role.ADMIN);
      long id = ConsoleRoutes.pathId(ctx, "id", "user");
      try {
        users.delete(viewer.principal(), id);
        ctx.redirect("/console/users", HttpStatus.SEE_OTHER);
      } catch (RequestException e) {
        ctx.status(e.kind().status()).html(Pages.users(viewer, users.list(), e.getMessage(), true));
      }
    }));
  }
}
