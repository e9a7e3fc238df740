package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;
import static org.countersignal.server.auth.Role.COORDINATOR;
import static org.countersignal.server.auth.Role.CURATOR;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.countersignal.server.RequestException;
import org.countersignal.server.match.MatchHit;
import org.countersignal.server.rules.RuleChanges;
import org.countersignal.server.rules.RuleInput;
import org.countersignal.server.rules.Rules;
import org.countersignal.server.rules.Trigger;

/**
 * {@code /api/v1/rules}: curators and admins write the rules that turn matches into actions,
 * auditors read them, and {@code POST /rules/evaluate} shows which rules a given match would fire
 * without acting on anything.
 */
final class RuleRoutes {

  /** Body of the dry run: hits as {@code /match} returns them, and what rules see besides. */
  record EvaluateRequest(List<MatchHit> hits, String contentType, Integer accountViolations, String trigger) {}

  private static final int MAX_HITS = 1_000;

  private final Rules rules;
  private final RequestBodies bodies;

  RuleRoutes(Rules rules, RequestBodies bodies) {
    this.rules = rules;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/rules", ctx -> ctx.json(Map.of("items", rules.list())), ADMIN, CURATOR, AUDITOR, COORDINATOR);
    routes.get("/api/v1/rules/{id}", ctx -> ctx.json(rules.get(RequestBodies.id(ctx, "id"))), ADMIN, CURATOR, AUDITOR, COORDINATOR);
    routes.post("/api/v1/rules", this::create, ADMIN, CURATOR);
    routes.patch("/api/v1/rules/{id}", this::update, ADMIN, CURATOR);
    routes.delete("/api/v1/rules/{id}", this::delete, ADMIN, CURATOR);
    routes.post("/api/v1/rules/evaluate", this::evaluate, ADMIN, CURATOR);
  }

  private void create(Context ctx) {
    RuleChanges request = bodies.json(ctx, RuleChanges.class);
    ctx.status(201).json(rules.create(Authenticator.principal(ctx), request));
  }

  private void update(Context ctx) {
    long id = RequestBodies.id(ctx, "id");
    RuleChanges request = bodies.json(ctx, RuleChanges.class);
    ctx.json(rules.update(Authenticator.principal(ctx), id, request));
  }

  private void delete(Context ctx) {
    rules.delete(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"));
    ctx.status(204);
  }

  private void evaluate(Context ctx) {
    EvaluateRequest request = bodies.json(ctx, EvaluateRequest.class);
    List<MatchHit> hits = request.hits() == null ? List.of() : request.hits();
    if (hits.size() > MAX_HITS) {
      throw RequestException.invalid("hits", "at most " + MAX_HITS + " hits");
    }
    for (int i = 0; i < hits.size(); i++) {
      if (hits.get(i) == null) {
        throw RequestException.invalid("hits[" + i + "]", "a hit, not null");
      }
      if (hits.get(i).distance() < 0) {
        throw RequestException.invalid("hits[" + i + "].distance", "a distance is 0 or more");
      }
    }
    int violations = request.accountViolations() == null ? 0 : request.accountViolations();
    if (violations < 0) {
      throw RequestException.invalid("account_violations", "0 or more");
    }
    RuleInput input = new RuleInput(hits, Rules.contentType(request.contentType(), "content_type"), violations);
    ctx.json(Map.of("firings", rules.evaluate(input, trigger(request.trigger()))));
  }

  private static Trigger trigger(String given) {
    if (given == null) {
      return Trigger.MATCH;
    }
    return switch (given.strip().toLowerCase(Locale.ROOT)) {
      case "match" -> Trigger.MATCH;
      case "violation" -> Trigger.VIOLATION;
      default -> throw RequestException.invalid("trigger", "match or violation, not '" + given + "'");
    };
  }
}
