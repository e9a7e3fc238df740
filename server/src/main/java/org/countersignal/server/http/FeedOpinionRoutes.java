package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.PEER;

import io.javalin.config.RoutesConfig;
import org.countersignal.server.federation.FeedOpinions;

/**
 * {@code POST /api/v1/feeds/{name}/opinions}: a peer's key sends back what its instance holds of
 * the signals of a feed it follows (opinions and "seen" counts). Only peers, and each only to its
 * own feeds: to a peer, other feeds do not exist.
 */
final class FeedOpinionRoutes {

  private final FeedOpinions opinions;
  private final RequestBodies bodies;

  FeedOpinionRoutes(FeedOpinions opinions, RequestBodies bodies) {
    this.opinions = opinions;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.post("/api/v1/feeds/{name}/opinions", ctx -> ctx.json(opinions.receive(Authenticator.principal(ctx), ctx.pathParam("name"),
        bodies.json(ctx, FeedOpinions.Report.class))), PEER);
  }
}
