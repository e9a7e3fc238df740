package org.countersignal.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.server.auth.Role;
import org.countersignal.server.flood.Flood;
import org.countersignal.server.flood.FloodGuard;
import org.countersignal.server.flood.FloodState;

/**
 * {@code /console/floods}: the entries the flood guard held back from automatic action, and what
 * curators decided about them, as through {@code /api/v1/floods}. Admins and curators release a
 * held entry or disable it, with a reason; auditors read. Every decision goes through
 * {@link FloodGuard}, which checks it and audits it, so one taken here leaves the same record as
 * one taken through the API.
 */
public final class FloodPages {

  /** Who may read floods (as {@code GET /api/v1/floods}). */
  static final Set<Role> READERS = Set.of(Role.ADMIN, Role.CURATOR, Role.AUDITOR);
  /** Who may release or disable a held entry (as the API's {@code POST}s). */
  static final Set<Role> ACTORS = Set.of(Role.ADMIN, Role.CURATOR);
  /** As many held entries as the guard lists at once: each waits for a decision, so none may drop off the page. */
  static final int HELD_LENGTH = 500;
  /** Decided floods shown, newest first: enough to see what colleagues decided lately. */
  static final int DECIDED_LENGTH = 100;

  private final Console console;
  private final FloodGuard floods;

  public FloodPages(Console console, FloodGuard floods) {
    this.console = console;
    this.floods = floods;
  }

  void register(RoutesConfig routes, ConsoleRoutes console) {
    routes.get("/console/floods", console.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, READERS);
      Shown shown = shown();
      ctx.html(Templates.render("floods", FloodViews.page(viewer, shown.held(), shown.decided(), shown.actors(), floods.settings(),
          outcome(ctx, shown.decided()), false, FloodViews.Entered.NONE)));
    }));
    routes.post("/console/floods/{id}/release", console.action((ctx, viewer) -> decide(ctx, viewer, FloodViews.Decision.RELEASE)));
    routes.post("/console/floods/{id}/disable", console.action((ctx, viewer) -> decide(ctx, viewer, FloodViews.Decision.DISABLE)));
  }

  /** Releases or disables the held entry, then back to the list; a refusal is shown above it with the reason typed. */
  private void decide(Context ctx, Viewer viewer, FloodViews.Decision decision) {
    ConsoleRoutes.requireRole(viewer, ACTORS);
    long id = ConsoleRoutes.pathId(ctx, "id", "flood");
    String reason = ctx.formParam("reason");
    try {
      if (decision == FloodViews.Decision.RELEASE) {
        floods.release(viewer.principal(), id, reason);
      } else {
        floods.disable(viewer.principal(), id, reason);
      }
      // After a POST, a redirect: reloading the page then does not send the decision twice.
      ctx.redirect("/console/floods?" + decision.to().wireName() + "=" + id, HttpStatus.SEE_OTHER);
    } catch (RequestException e) {
      Shown shown = shown();
      ctx.status(e.kind().status()).html(Templates.render("floods", FloodViews.page(viewer, shown.held(), shown.decided(), shown.actors(),
          floods.settings(), e.getMessage(), true, new FloodViews.Entered(decision, id, Objects.requireNonNullElse(reason, "")))));
    }
  }

  /** The floods a page shows, and the names of who decided them. */
  private record Shown(List<Flood> held, List<Flood> decided, Map<Long, String> actors) {}

  private Shown shown() {
    List<Flood> held = floods.list(FloodState.HELD.wireName(), null, HELD_LENGTH);
    List<Flood> decided = new ArrayList<>(floods.list(FloodState.RELEASED.wireName(), null, DECIDED_LENGTH));
    decided.addAll(floods.list(FloodState.DISABLED.wireName(), null, DECIDED_LENGTH));
    decided.sort(Comparator.comparingLong(Flood::id).reversed());
    List<Flood> newest = List.copyOf(decided.subList(0, Math.min(decided.size(), DECIDED_LENGTH)));
    Set<Long> keys = new HashSet<>();
    newest.stream().map(Flood::resolvedBy).filter(Objects::nonNull).forEach(keys::add);
    return new Shown(held, newest, console.actorNames(keys));
  }

  /**
   * The message after a decision, from the address it redirected to. Only a state's name and an
   * id are taken from there, and only a flood that is in that state is spoken of, so a link
   * someone sends cannot put words of theirs, or a decision nobody took, on the page.
   */
  private String outcome(Context ctx, List<Flood> decided) {
    for (FloodState state : List.of(FloodState.RELEASED, FloodState.DISABLED)) {
      String id = ctx.queryParam(state.wireName());
      if (id == null || !id.matches("[0-9]{1,18}")) {
        continue;
      }
      long number = Long.parseLong(id);
      return decided.stream().filter(f -> f.id() == number && f.state().equals(state.wireName())).findFirst()
          .map(f -> FloodViews.outcome(f, floods.settings())).orElse(null);
    }
    return null;
  }
}
