package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;
import static org.countersignal.server.auth.Role.COORDINATOR;
import static org.countersignal.server.auth.Role.CURATOR;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.countersignal.server.RequestException;
import org.countersignal.server.bank.EntryFilter;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.bank.NewEntry;
import org.countersignal.signals.vpdq.VpdqText;

/**
 * Entries of banks: added by precomputed signals, listed and searched, disabled as false
 * positives, enabled, deleted.
 */
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
    routes.post("/api/v1/banks/{id}/entries", this::create, ADMIN, CURATOR, COORDINATOR);
    routes.get("/api/v1/banks/{id}/entries", ctx -> list(ctx, RequestBodies.id(ctx, "id")), ADMIN, CURATOR, AUDITOR, COORDINATOR);
    routes.get("/api/v1/entries", ctx -> list(ctx, null), ADMIN, CURATOR, AUDITOR);
    routes.get("/api/v1/entries/{id}", ctx -> ctx.json(entries.get(RequestBodies.id(ctx, "id"))), ADMIN, CURATOR, AUDITOR, COORDINATOR);
    routes.get("/api/v1/entries/{id}/frames", ctx -> ctx.contentType("text/plain; charset=utf-8")
        .result(VpdqText.format(entries.frames(RequestBodies.id(ctx, "id")))), ADMIN, CURATOR, AUDITOR);
    // An entry shows a long value (a text's sketches) by its identity; this is the value itself, which export writes.
    routes.get("/api/v1/entries/{id}/values/{type}", ctx -> ctx.contentType("text/plain; charset=utf-8")
        .result(entries.wholeValue(RequestBodies.id(ctx, "id"), ctx.pathParam("type"))), ADMIN, CURATOR, AUDITOR);
    routes.post("/api/v1/entries/{id}/disable", this::disable, ADMIN, CURATOR, COORDINATOR);
    routes.post("/api/v1/entries/{id}/enable", this::enable, ADMIN, CURATOR, COORDINATOR);
    routes.delete("/api/v1/entries/{id}", this::delete, ADMIN, CURATOR, COORDINATOR);
  }

  private void create(Context ctx) {
    long bankId = RequestBodies.id(ctx, "id");
    NewEntry request = bodies.json(ctx, NewEntry.class);
    ctx.status(201).json(entries.create(Authenticator.principal(ctx), bankId, request));
  }

  /** A page of entries, of one bank or of all, filtered by the query parameters given. */
  private void list(Context ctx, Long bankId) {
    long after = RequestBodies.longParam(ctx, "after", 0, 0, Long.MAX_VALUE);
    int limit = (int) RequestBodies.longParam(ctx, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
    EntryFilter filter = new EntryFilter(bankId, blankToNull(ctx.queryParam("label")), blankToNull(ctx.queryParam("entity")),
        booleanParam(ctx, "enabled"), blankToNull(ctx.queryParam("signal_type")), blankToNull(ctx.queryParam("signal")));
    ctx.json(entries.search(filter, after, limit));
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  private static Boolean booleanParam(Context ctx, String name) {
    String text = ctx.queryParam(name);
    if (text == null || text.isBlank()) {
      return null;
    }
    return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new RequestException(RequestException.Kind.MALFORMED, name, "query parameter '" + name + "' is true or false");
    };
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
