package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;
import static org.countersignal.server.auth.Role.CURATOR;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.bank.NewEntry;

/** Entries of banks: added by precomputed signals, disabled as false positives, enabled, deleted. */
final class EntryRoutes {

  /** Body of POST /entries/{id}/disable. */
  record Disable(String reason, String until) {}

  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;

  private final EntryService entries;
  private final RequestBodies bodies;

  EntryRoutes(EntryService entries, RequestBodies bodies) {
    this.entries = entries;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.post("/api/v1/banks/{id}/entries", this::create, ADMIN, CURATOR);
    routes.get("/api/v1/banks/{id}/entries", this::list, ADMIN, CURATOR, AUDITOR);
    routes.get("/api/v1/entries/{id}", ctx -> ctx.json(entries.get(RequestBodies.id(ctx, "id"))), ADMIN, CURATOR, AUDITOR);
    routes.post("/api/v1/entries/{id}/disable", this::disable, ADMIN, CURATOR);
    routes.post("/api/v1/entries/{id}/enable", this::enable, ADMIN, CURATOR);
    routes.delete("/api/v1/entries/{id}", this::delete, ADMIN, CURATOR);
  }

  private void create(Context ctx) {
    long bankId = RequestBodies.id(ctx, "id");
    NewEntry request = bodies.json(ctx, NewEntry.class);
    ctx.status(201).json(entries.create(Authenticator.principal(ctx), bankId, request));
  }

  private void list(Context ctx) {
    long bankId = RequestBodies.id(ctx, "id");
    long after = RequestBodies.longParam(ctx, "after", 0, 0, Long.MAX_VALUE);
    int limit = (int) RequestBodies.longParam(ctx, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
    ctx.json(entries.list(bankId, after, limit));
  }

  private void disable(Context ctx) {
    long id = RequestBodies.id(ctx, "id");
    Disable request = bodies.json(ctx, Disable.class);
    ctx.json(entries.disable(Authenticator.principal(ctx), id, request.reason(), request.until()));
  }

  private void enable(Context ctx) {
    ctx.json(entries.enable(Authenticator.principal(ctx), RequestBodies.id(ctx, "id")));
  }

  private void delete(Context ctx) {
    entries.delete(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"));
    ctx.status(204);
  }
}
