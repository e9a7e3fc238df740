package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;
import static org.countersignal.server.auth.Role.CURATOR;
import static org.countersignal.server.auth.Role.PEER;

import io.javalin.config.RoutesConfig;
import java.time.Duration;
import java.util.Map;
import org.countersignal.server.federation.Feeds;

/**
 * {@code /api/v1/feeds} and {@code /api/v1/federation/key}: admins publish banks as feeds and add
 * and remove their peers; auditors read them; a peer's key reads its feeds' signed pages.
 */
final class FeedRoutes {

  /** A peer to add: its name. */
  record PeerRequest(String name) {}

  private final Feeds feeds;
  private final RequestBodies bodies;

  FeedRoutes(Feeds feeds, RequestBodies bodies) {
    this.feeds = feeds;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/federation/key", ctx -> ctx.json(Map.of("algorithm", "Ed25519", "public_key", feeds.publicKey(),
        "instance_id", feeds.instanceId())), ADMIN, CURATOR, AUDITOR);
    routes.post("/api/v1/federation/key/rotate", ctx -> ctx.json(Map.of("algorithm", "Ed25519",
        "public_key", feeds.rotateKey(Authenticator.principal(ctx)), "instance_id", feeds.instanceId())), ADMIN);
    routes.post("/api/v1/feeds", ctx -> ctx.status(201)
        .json(feeds.create(Authenticator.principal(ctx), bodies.json(ctx, Feeds.FeedRequest.class))), ADMIN);
    routes.get("/api/v1/feeds", ctx -> ctx.json(Map.of("items", feeds.list())), ADMIN, AUDITOR);
    routes.get("/api/v1/feeds/{id}", ctx -> ctx.json(feeds.get(RequestBodies.id(ctx, "id"))), ADMIN, AUDITOR);
    routes.delete("/api/v1/feeds/{id}", ctx -> {
      feeds.delete(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"));
      ctx.status(204);
    }, ADMIN);
    routes.post("/api/v1/feeds/{id}/peers", ctx -> ctx.status(201).json(feeds.addPeer(Authenticator.principal(ctx),
        RequestBodies.id(ctx, "id"), bodies.json(ctx, PeerRequest.class).name())), ADMIN);
    routes.delete("/api/v1/feeds/{id}/peers/{name}", ctx -> {
      feeds.removePeer(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"), ctx.pathParam("name"));
      ctx.status(204);
    }, ADMIN);
    routes.get("/api/v1/feeds/{name}/pages", ctx -> ctx.json(feeds.page(Authenticator.principal(ctx), ctx.pathParam("name"),
        RequestBodies.longParam(ctx, "after", 0, 0, Long.MAX_VALUE),
        (int) RequestBodies.longParam(ctx, "limit", Feeds.DEFAULT_PAGE, 1, Feeds.MAX_PAGE))), ADMIN, PEER);
    routes.get("/api/v1/feeds/{name}/updates", ctx -> ctx.json(feeds.awaitUpdates(Authenticator.principal(ctx), ctx.pathParam("name"),
        RequestBodies.longParam(ctx, "after", 0, 0, Long.MAX_VALUE),
        Duration.ofSeconds(RequestBodies.longParam(ctx, "wait", 0, 0, Feeds.MAX_WAIT.toSeconds())),
        ctx.queryParam("incidents_after") == null ? null : RequestBodies.longParam(ctx, "incidents_after", 0, 0, Long.MAX_VALUE))),
        ADMIN, PEER);
  }
}
