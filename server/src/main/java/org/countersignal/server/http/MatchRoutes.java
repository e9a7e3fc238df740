package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.MATCHER;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import org.countersignal.server.match.MatchHit;
import org.countersignal.server.match.Matcher;
import org.countersignal.server.metrics.ServiceMetrics;
import org.countersignal.server.match.QueryParser;

/**
 * Matching by precomputed signals ({@code POST /api/v1/match}), for matchers and admins; content
 * (uploads and URLs) is hashed and matched by {@link ContentRoutes}.
 */
final class MatchRoutes {

  /** Body of POST /match. */
  record MatchRequest(Map<String, JsonNode> signals, List<Long> banks) {}

  private final Matcher matcher;
  private final QueryParser queries;
  private final RequestBodies bodies;
  private final ServiceMetrics metrics;

  MatchRoutes(Matcher matcher, QueryParser queries, RequestBodies bodies, ServiceMetrics metrics) {
    this.metrics = metrics;
    this.matcher = matcher;
    this.queries = queries;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.post("/api/v1/match", this::match, ADMIN, MATCHER);
  }

  private void match(Context ctx) {
    MatchRequest request = bodies.json(ctx, MatchRequest.class);
    List<Matcher.Query> list = queries.parse(request.signals());
    List<MatchHit> hits = matcher.match(list, request.banks());
    metrics.matched(list, hits);
    ctx.json(Map.of("matches", hits));
  }
}
