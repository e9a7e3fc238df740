package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;
import static org.countersignal.server.auth.Role.REVIEWER;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.countersignal.server.account.Accounts;
import org.countersignal.server.account.TakeoverRequest;

/**
 * {@code GET /api/v1/accounts/{account}}: an account's history and counts, for the people who
 * decide about it (admins and reviewers) and those who check them (auditors).
 * {@code POST /api/v1/accounts/{account}/takeover}: what a hijacked account posted and amplified
 * in a window, actioned on request; admins and reviewers, because it acts on content as a review does.
 */
final class AccountRoutes {

  private final Accounts accounts;
  private final RequestBodies bodies;

  AccountRoutes(Accounts accounts, RequestBodies bodies) {
    this.accounts = accounts;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/accounts/{account}", this::history, ADMIN, REVIEWER, AUDITOR);
    routes.post("/api/v1/accounts/{account}/takeover", this::takeover, ADMIN, REVIEWER);
  }

  private void history(Context ctx) {
    int limit = (int) RequestBodies.longParam(ctx, "limit", EntryRoutes.DEFAULT_PAGE, 1, EntryRoutes.MAX_PAGE);
    long before = RequestBodies.longParam(ctx, "before", 0, 1, Long.MAX_VALUE);
    ctx.json(accounts.history().history(ctx.pathParam("account"), limit, before == 0 ? null : before));
  }

  private void takeover(Context ctx) {
    TakeoverRequest request = bodies.json(ctx, TakeoverRequest.class);
    ctx.json(accounts.takeover().respond(ctx.pathParam("account"), request, Authenticator.principal(ctx)));
  }
}
