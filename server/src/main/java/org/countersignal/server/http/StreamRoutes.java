package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.MATCHER;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.countersignal.server.RequestException;
import org.countersignal.server.stream.Frame;
import org.countersignal.server.stream.Streams;
import org.countersignal.signals.pdq.PdqSignal;

/**
 * Livestreams ({@link Streams}): a platform opens a stream, sends its sampled frames as PDQ
 * hashes or as pictures, and closes it; alerts come back in the answer to the frames that raised
 * them, and as webhook events. A stream is seen and fed only by the key that opened it, and admins.
 */
final class StreamRoutes {

  static final String IMAGE_FRAME_PATH = "/api/v1/streams/{id}/frames/image";

  /** One frame as sent: without {@code quality} the hash is taken as it comes. */
  record FrameRequest(String pdq, Integer quality, Double atSeconds) {}

  record FramesRequest(List<FrameRequest> frames) {}

  private final Streams streams;
  private final ContentRoutes content;
  private final RequestBodies bodies;

  StreamRoutes(Streams streams, ContentRoutes content, RequestBodies bodies) {
    this.streams = streams;
    this.content = content;
    this.bodies = bodies;
  }

  /** A frame sent as a picture may be as large as an uploaded image. */
  void limitBodies(BodyLimits limits, long maxImageBytes) {
    limits.route("POST", IMAGE_FRAME_PATH, maxImageBytes);
  }

  void register(RoutesConfig routes) {
    routes.post("/api/v1/streams", ctx -> ctx.status(201).json(streams.open(Authenticator.principal(ctx),
        bodies.json(ctx, Streams.NewStream.class))), ADMIN, MATCHER);
    routes.get("/api/v1/streams", ctx -> ctx.json(Map.of("items", streams.list(Authenticator.principal(ctx), ctx.queryParam("state"),
        (int) RequestBodies.longParam(ctx, "limit", 100, 1, 500)))), ADMIN, MATCHER);
    routes.get("/api/v1/streams/{id}", ctx -> ctx.json(streams.get(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"))),
        ADMIN, MATCHER);
    routes.post("/api/v1/streams/{id}/frames", this::frames, ADMIN, MATCHER);
    routes.post(IMAGE_FRAME_PATH, this::imageFrame, ADMIN, MATCHER);
    routes.post("/api/v1/streams/{id}/close", ctx -> ctx.json(streams.close(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"))),
        ADMIN, MATCHER);
  }

  private void frames(Context ctx) {
    long id = RequestBodies.id(ctx, "id");
    FramesRequest request = bodies.json(ctx, FramesRequest.class);
    List<Frame> frames = new ArrayList<>();
    if (request.frames() != null) {
      for (int i = 0; i < request.frames().size(); i++) {
        FrameRequest f = request.frames().get(i);
        if (f == null || f.atSeconds() == null) {
          throw RequestException.invalid("frames[" + i + "].at_seconds", "is required: the frame's position in seconds from the start");
        }
        frames.add(new Frame(f.pdq(), f.quality() == null ? PdqSignal.UNKNOWN_QUALITY : f.quality(), f.atSeconds()));
      }
    }
    ctx.json(streams.frames(Authenticator.principal(ctx), id, request.frames() == null ? null : frames));
  }

  /** {@code ?at_seconds=}: one frame as a picture, hashed here. */
  private void imageFrame(Context ctx) throws IOException {
    long id = RequestBodies.id(ctx, "id");
    String at = ctx.queryParam("at_seconds");
    double atSeconds;
    try {
      atSeconds = Double.parseDouble(at == null ? "" : at);
    } catch (NumberFormatException e) {
      throw RequestException.invalid("at_seconds", "is required: the frame's position in seconds from the start");
    }
    streams.requireOpen(Authenticator.principal(ctx), id);
    PdqSignal pdq = content.framePdq(ctx);
    ctx.json(streams.frames(Authenticator.principal(ctx), id, List.of(new Frame(pdq.hash().toHex(), pdq.quality(), atSeconds))));
  }
}
