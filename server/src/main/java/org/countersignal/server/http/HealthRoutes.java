package org.countersignal.server.http;

import io.javalin.config.RoutesConfig;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@code /health/live} (the process answers) and {@code /health/ready} (it can serve matches). */
final class HealthRoutes {

  private final BooleanSupplier indexesLoaded;
  private final BooleanSupplier databaseReachable;

  HealthRoutes(BooleanSupplier indexesLoaded, BooleanSupplier databaseReachable) {
    this.indexesLoaded = indexesLoaded;
    this.databaseReachable = databaseReachable;
  }

  void register(RoutesConfig routes) {
    routes.get("/health/live", ctx -> ctx.json(Map.of("status", "up")));
    routes.get("/health/ready", ctx -> {
      boolean indexes = indexesLoaded.getAsBoolean();
      boolean database = databaseReachable.getAsBoolean();
      boolean ready = indexes && database;
      ctx.status(ready ? 200 : 503).json(Map.of(
          "status", ready ? "ready" : "not_ready",
          "indexes_loaded", indexes,
          "database", database ? "up" : "down"));
    });
  }
}
