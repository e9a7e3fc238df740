package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;
import static org.countersignal.server.auth.Role.MATCHER;
import static org.countersignal.server.auth.Role.REVIEWER;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.countersignal.server.RequestException;
import org.countersignal.server.action.Submissions;
import org.countersignal.server.review.Appeals;
import org.countersignal.server.review.CaseDecision;
import org.countersignal.server.review.ReviewQueue;

/**
 * The review queue's cases, appeals, and the submissions behind them. Reviewers (and admins)
 * claim and decide; auditors read; the platform's matcher keys file appeals and read what was
 * decided about their content.
 */
final class ReviewRoutes {

  /** Body of POST /appeals. */
  record AppealRequest(String contentId, String statement) {}

  private static final int DEFAULT_PAGE = 50;
  private static final int MAX_PAGE = 500;

  private final ReviewQueue queue;
  private final Appeals appeals;
  private final Submissions submissions;
  private final RequestBodies bodies;

  ReviewRoutes(ReviewQueue queue, Appeals appeals, Submissions submissions, RequestBodies bodies) {
    this.queue = queue;
    this.appeals = appeals;
    this.submissions = submissions;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/cases", ctx -> ctx.json(Map.of("items", queue.queue(limit(ctx)))), ADMIN, REVIEWER, AUDITOR);
    routes.get("/api/v1/cases/{id}", ctx -> ctx.json(queue.get(RequestBodies.id(ctx, "id"))), ADMIN, REVIEWER, AUDITOR);
    routes.post("/api/v1/cases/{id}/claim", ctx -> ctx.json(queue.claim(RequestBodies.id(ctx, "id"), Authenticator.principal(ctx))),
        ADMIN, REVIEWER);
    routes.post("/api/v1/cases/{id}/release", ctx -> ctx.json(queue.release(RequestBodies.id(ctx, "id"), Authenticator.principal(ctx))),
        ADMIN, REVIEWER);
    routes.post("/api/v1/cases/{id}/decision", this::decide, ADMIN, REVIEWER);
    routes.post("/api/v1/appeals", this::appeal, ADMIN, MATCHER);
    routes.get("/api/v1/appeals", ctx -> ctx.json(Map.of("items", appeals.list(ctx.queryParam("status"), limit(ctx)))),
        ADMIN, REVIEWER, AUDITOR);
    routes.get("/api/v1/appeals/{id}", ctx -> ctx.json(appeals.get(RequestBodies.id(ctx, "id"))), ADMIN, REVIEWER, AUDITOR);
    routes.get("/api/v1/submissions", this::byContent, ADMIN, MATCHER, REVIEWER, AUDITOR);
    routes.get("/api/v1/submissions/{id}", ctx -> ctx.json(submissions.get(RequestBodies.id(ctx, "id"))), ADMIN, MATCHER, REVIEWER, AUDITOR);
    routes.get("/api/v1/submissions/{id}/media", this::media, ADMIN, REVIEWER);
  }

  private void decide(Context ctx) {
    ctx.json(queue.decide(RequestBodies.id(ctx, "id"), Authenticator.principal(ctx), bodies.json(ctx, CaseDecision.class)));
  }

  private void appeal(Context ctx) {
    AppealRequest request = bodies.json(ctx, AppealRequest.class);
    ctx.status(201).json(appeals.file(Authenticator.principal(ctx), request.contentId(), request.statement()));
  }

  private void byContent(Context ctx) {
    String contentId = ctx.queryParam("content_id");
    if (contentId == null || contentId.isBlank()) {
      throw RequestException.invalid("content_id", "give the content id to look up");
    }
    ctx.json(Map.of("items", submissions.byContentId(contentId.strip())));
  }

  /** The content bytes as sent, never sniffed into something else by the browser. */
  private void media(Context ctx) {
    long id = RequestBodies.id(ctx, "id");
    var media = queue.media(id).orElseThrow(() -> RequestException.notFound("media of submission", id));
    ctx.header("X-Content-Type-Options", "nosniff")
        .header("Content-Disposition", "attachment")
        .header("Cache-Control", "private, no-store")
        .contentType(media.mediaType() == null ? "application/octet-stream" : media.mediaType())
        .result(media.bytes());
  }

  private static int limit(Context ctx) {
    return (int) RequestBodies.longParam(ctx, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
  }
}
