package org.countersignal.server.console;

import io.javalin.config.RoutesConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.countersignal.server.auth.Role;
import org.countersignal.server.stream.StreamState;
import org.countersignal.server.stream.StreamView;
import org.countersignal.server.stream.Streams;

/**
 * {@code /console/streams}: the livestreams platforms send frames of, whichever key opened them,
 * and the alerts each raised. Read only: an alert was already answered to the platform and sent
 * as a webhook event, and stopping or reviewing the stream is the platform's. Moderators and
 * crisis coordinators watch it, with admins and auditors; curators keep the banks and do not.
 * The matcher keys that open streams cannot sign in to the console at all.
 */
public final class StreamPages {

  /** Who may watch the streams. */
  static final Set<Role> READERS = Set.of(Role.ADMIN, Role.REVIEWER, Role.AUDITOR, Role.COORDINATOR);
  /** Streams shown at once: every open one on a busy platform, with room for those that ended lately. */
  static final int LENGTH = 200;

  private final Streams streams;

  public StreamPages(Streams streams) {
    this.streams = streams;
  }

  void register(RoutesConfig routes, ConsoleRoutes console) {
    routes.get("/console/streams", console.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, READERS);
      String state = ctx.queryParam("state");
      String filter = state == null || state.isBlank() ? null : state.strip();
      ctx.html(Templates.render("streams", StreamViews.page(viewer, shown(filter), filter)));
    }));
  }

  /** The streams in {@code state}, or without one the open streams and then those closed lately, newest first in each. */
  private List<StreamView> shown(String state) {
    if (state != null) {
      return streams.recent(state, LENGTH);
    }
    List<StreamView> out = new ArrayList<>(streams.recent(StreamState.OPEN.wireName(), LENGTH));
    if (out.size() < LENGTH) {
      // A stream closed between the two reads is in both: it is shown once, among the open ones.
      Set<Long> open = new HashSet<>();
      out.forEach(s -> open.add(s.id()));
      streams.recent(StreamState.CLOSED.wireName(), LENGTH - out.size()).stream().filter(s -> !open.contains(s.id())).forEach(out::add);
    }
    return out;
  }
}
