package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;
import static org.countersignal.server.auth.Role.COORDINATOR;
import static org.countersignal.server.auth.Role.CURATOR;
import static org.countersignal.server.auth.Role.REVIEWER;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.countersignal.server.bank.BankChanges;
import org.countersignal.server.bank.BankService;

/** {@code /api/v1/banks}: curators and admins change banks; auditors read them too. */
final class BankRoutes {

  private final BankService banks;
  private final RequestBodies bodies;

  BankRoutes(BankService banks, RequestBodies bodies) {
    this.banks = banks;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.post("/api/v1/banks", this::create, ADMIN, CURATOR);
    routes.get("/api/v1/banks", ctx -> ctx.json(Map.of("items", banks.list())), ADMIN, CURATOR, AUDITOR, REVIEWER, COORDINATOR);
    routes.get("/api/v1/banks/{id}", ctx -> ctx.json(banks.get(RequestBodies.id(ctx, "id"))), ADMIN, CURATOR, AUDITOR, REVIEWER, COORDINATOR);
    routes.patch("/api/v1/banks/{id}", this::update, ADMIN, CURATOR);
    routes.delete("/api/v1/banks/{id}", this::delete, ADMIN, CURATOR);
  }

  private void create(Context ctx) {
    BankChanges request = bodies.json(ctx, BankChanges.class);
    ctx.status(201).json(banks.create(Authenticator.principal(ctx), request));
  }

  private void update(Context ctx) {
    long id = RequestBodies.id(ctx, "id");
    BankChanges request = bodies.json(ctx, BankChanges.class);
    ctx.json(banks.update(Authenticator.principal(ctx), id, request));
  }

  private void delete(Context ctx) {
    banks.delete(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"));
    ctx.status(204);
  }
}
