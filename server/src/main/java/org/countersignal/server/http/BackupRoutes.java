package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;

import io.javalin.config.RoutesConfig;
import java.util.Map;
import org.countersignal.server.backup.Backups;

/** {@code POST /api/v1/backups} makes a backup of the embedded database while it runs; {@code GET} lists them. Admins only. */
final class BackupRoutes {

  private final Backups backups;

  BackupRoutes(Backups backups) {
    this.backups = backups;
  }

  void register(RoutesConfig routes) {
    routes.post("/api/v1/backups", ctx -> ctx.status(201).json(backups.make(Authenticator.principal(ctx))), ADMIN);
    routes.get("/api/v1/backups", ctx -> ctx.json(Map.of("items", backups.list())), ADMIN);
  }
}
