package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.CURATOR;
import static org.countersignal.server.auth.Role.MATCHER;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.countersignal.server.RequestException;
import org.countersignal.server.jobs.VideoJobs;
import org.countersignal.signals.vpdq.VpdqText;

/**
 * Polling video jobs: {@code GET /api/v1/jobs/{id}} for the state and result, and
 * {@code GET /api/v1/jobs/{id}/frames} for the frame hashes in the reference text format
 * ({@code frame,quality,pdq,seconds} a line). A job is visible to the key that asked for it and
 * to admins; to anyone else it does not exist. Every role that can start a job may poll one:
 * matchers hash and match videos, curators bank them.
 */
final class JobRoutes {

  private final VideoJobs jobs;

  JobRoutes(VideoJobs jobs) {
    this.jobs = jobs;
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/jobs/{id}", this::job, ADMIN, MATCHER, CURATOR);
    routes.get("/api/v1/jobs/{id}/frames", this::frames, ADMIN, MATCHER, CURATOR);
  }

  private void job(Context ctx) {
    long id = RequestBodies.id(ctx, "id");
    ctx.json(jobs.find(id, Authenticator.principal(ctx)).orElseThrow(() -> RequestException.notFound("job", id)));
  }

  private void frames(Context ctx) {
    long id = RequestBodies.id(ctx, "id");
    var frames = jobs.frames(id, Authenticator.principal(ctx))
        .orElseThrow(() -> RequestException.notFound("finished job with frame hashes", id));
    ctx.contentType("text/plain; charset=utf-8").result(VpdqText.format(frames));
  }
}
