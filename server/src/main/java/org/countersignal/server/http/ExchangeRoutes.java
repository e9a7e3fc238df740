package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;
import static org.countersignal.server.auth.Role.COORDINATOR;
import static org.countersignal.server.auth.Role.CURATOR;
import static org.countersignal.server.auth.Role.REVIEWER;

import io.javalin.config.RoutesConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.countersignal.server.RequestException;
import org.countersignal.server.exchange.ExchangeChanges;
import org.countersignal.server.exchange.Exchanges;
import org.countersignal.server.exchange.Opinion;
import org.countersignal.server.exchange.SignalKey;

/**
 * {@code /api/v1/exchanges}: admins configure exchanges (their credentials are shown to no one);
 * curators and auditors read them and their fetch status; curators ask for a fetch now and send
 * opinions back; reviewers may ask a source to verify signals.
 */
final class ExchangeRoutes {

  /** An opinion sent back: one signal, in our type names, and what we hold of it. */
  record OpinionRequest(String signalType, String signal, String opinion) {}

  /** Signals to verify, each {@code {"signal_type": ..., "signal": ...}}. */
  record VerifyRequest(List<SignalField> signals) {}

  record SignalField(String signalType, String signal) {}

  private static final int MAX_VERIFY = 100;

  private final Exchanges exchanges;
  private final RequestBodies bodies;

  ExchangeRoutes(Exchanges exchanges, RequestBodies bodies) {
    this.exchanges = exchanges;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    // Before /exchanges/{id}, which would otherwise take "kinds" for an id.
    routes.get("/api/v1/exchanges/kinds", ctx -> ctx.json(Map.of("items", exchanges.kinds())), ADMIN, CURATOR, AUDITOR);
    routes.post("/api/v1/exchanges", ctx -> ctx.status(201)
        .json(exchanges.create(Authenticator.principal(ctx), bodies.json(ctx, ExchangeChanges.class))), ADMIN);
    routes.get("/api/v1/exchanges", ctx -> ctx.json(Map.of("items", exchanges.list())), ADMIN, CURATOR, AUDITOR, COORDINATOR);
    routes.get("/api/v1/exchanges/{id}", ctx -> ctx.json(exchanges.get(RequestBodies.id(ctx, "id"))), ADMIN, CURATOR, AUDITOR, COORDINATOR);
    routes.patch("/api/v1/exchanges/{id}", ctx -> ctx.json(exchanges.update(Authenticator.principal(ctx),
        RequestBodies.id(ctx, "id"), bodies.json(ctx, ExchangeChanges.class))), ADMIN);
    routes.delete("/api/v1/exchanges/{id}", ctx -> {
      exchanges.delete(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"));
      ctx.status(204);
    }, ADMIN);
    routes.post("/api/v1/exchanges/{id}/fetch", ctx -> ctx.status(202)
        .json(exchanges.fetchNow(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"))), ADMIN, CURATOR);
    routes.post("/api/v1/exchanges/{id}/opinions", ctx -> {
      OpinionRequest request = bodies.json(ctx, OpinionRequest.class);
      exchanges.reportOpinion(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"), key(request.signalType(), request.signal(), "signal"),
          opinion(request.opinion()));
      ctx.status(204);
    }, ADMIN, CURATOR);
    routes.post("/api/v1/exchanges/{id}/verify", ctx -> {
      VerifyRequest request = bodies.json(ctx, VerifyRequest.class);
      if (request.signals() == null || request.signals().isEmpty() || request.signals().size() > MAX_VERIFY) {
        throw RequestException.invalid("signals", "1 to " + MAX_VERIFY + " signals, each {\"signal_type\": ..., \"signal\": ...}");
      }
      List<SignalKey> signals = new java.util.ArrayList<>();
      for (int i = 0; i < request.signals().size(); i++) {
        SignalField signal = request.signals().get(i);
        signals.add(key(signal == null ? null : signal.signalType(), signal == null ? null : signal.signal(), "signals[" + i + "]"));
      }
      ctx.json(Map.of("items", exchanges.verify(RequestBodies.id(ctx, "id"), signals)));
    }, ADMIN, CURATOR, REVIEWER);
  }

  private static SignalKey key(String type, String signal, String field) {
    if (type == null || type.isBlank() || signal == null || signal.isBlank() || signal.length() > 100_000) {
      throw RequestException.invalid(field, "a signal type and a signal");
    }
    return new SignalKey(type.strip(), signal.strip());
  }

  private static Opinion opinion(String text) {
    try {
      return Opinion.valueOf(text == null ? "" : text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw RequestException.invalid("opinion", "one of positive_class, negative_class, investigation_seed, disputed, saw_this_too");
    }
  }
}
