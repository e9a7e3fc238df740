package org.countersignal.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.countersignal.server.RequestException;
import org.countersignal.server.auth.Role;
import org.countersignal.server.bank.Entry;
import org.countersignal.server.bank.EntryPage;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.bank.NewEntry;
import org.countersignal.server.incident.Incident;
import org.countersignal.server.incident.IncidentChanges;
import org.countersignal.server.incident.Incidents;
import org.countersignal.server.incident.SharedIncidents;
import org.countersignal.server.incident.report.DebriefHtml;
import org.countersignal.server.incident.report.DebriefPdf;
import org.countersignal.server.incident.report.Debriefs;
import org.countersignal.server.incident.report.SpreadCharts;
import org.countersignal.server.incident.TimelineEvent;

/**
 * {@code /console/incidents}: crisis incidents, as through the API. Coordinators and admins
 * declare incidents and change their level and status; they, and curators, add hashes to an
 * incident's bank; curators and auditors read. Every change goes through {@link Incidents} or
 * {@link EntryService}, which check and audit it, and a refusal is shown on the page with what
 * was entered.
 */
public final class IncidentPages {

  /** Who may read incidents (as {@code GET /api/v1/incidents}). */
  static final Set<Role> READERS = Set.of(Role.ADMIN, Role.COORDINATOR, Role.CURATOR, Role.AUDITOR);
  /** Who may declare incidents and change them (as {@code POST} and {@code PATCH /api/v1/incidents}). */
  static final Set<Role> COORDINATORS = Set.of(Role.ADMIN, Role.COORDINATOR);
  /** Who may add entries to an incident's bank (as {@code POST /api/v1/banks/{id}/entries}). */
  static final Set<Role> ENTRY_WRITERS = Set.of(Role.ADMIN, Role.COORDINATOR, Role.CURATOR);
  private static final int ENTRIES_PAGE = 100;
  private static final Pattern ID = Pattern.compile("[0-9]{1,18}");

  private final Console console;
  private final Incidents incidents;
  private final SharedIncidents shared;
  private final EntryService entries;
  private final List<String> signalTypes;
  private final Debriefs debriefs;
  private final IncidentCharts charts;

  /**
   * @param shared accepts and declines what peers share; null: no exchanges here
   * @param signalTypes the signal types an entry may be added with, in the order the form offers them
   * @param debriefs draws incidents' charts and debriefs; null: the pages say they are not drawn here
   */
  public IncidentPages(Console console, Incidents incidents, SharedIncidents shared, EntryService entries, Collection<String> signalTypes,
      Debriefs debriefs) {
    this.console = console;
    this.incidents = incidents;
    this.shared = shared;
    this.entries = entries;
    this.signalTypes = List.copyOf(signalTypes);
    this.debriefs = debriefs;
    this.charts = debriefs == null ? IncidentCharts.NOT_DRAWN : IncidentCharts.LINKED;
  }

  void register(RoutesConfig routes, ConsoleRoutes console) {
    routes.get("/console/incidents", console.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, READERS);
      String declared = idParam(ctx, "declared");
      listPage(ctx, viewer, declared == null ? null : "Incident " + declared + " declared.", false, null);
    }));
    routes.post("/console/incidents", console.action((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, COORDINATORS);
      try {
        Incident declared = incidents.declare(viewer.principal(), new IncidentChanges(ctx.formParam("name"), ctx.formParam("kind"),
            ctx.formParam("level"), ctx.formParam("region"), ctx.formParam("description"), null, FormFields.utcTime(ctx.formParam("started_at")),
            FormFields.blankToNull(ctx.formParam("sharing")), null));
        // After a POST, a redirect: reloading the page then does not declare the incident twice.
        ctx.redirect("/console/incidents?declared=" + declared.id(), HttpStatus.SEE_OTHER);
      } catch (RequestException e) {
        ctx.status(e.kind().status());
        listPage(ctx, viewer, e.getMessage(), true, IncidentHtml.Declaring.from(ctx));
      }
    }));
    routes.get("/console/incidents/{id}", console.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, READERS);
      detailPage(ctx, viewer, id(ctx), done(ctx), false, null);
    }));
    routes.get("/console/incidents/{id}/entries", console.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, READERS);
      Incident incident = incidents.get(id(ctx));
      long after = 0;
      String afterText = ctx.queryParam("after");
      if (afterText != null && ID.matcher(afterText).matches()) {
        after = Long.parseLong(afterText);
      }
      EntryPage page = incident.bankId() == null ? new EntryPage(List.of(), null) : entries.list(incident.bankId(), after, ENTRIES_PAGE);
      Set<Long> makers = new HashSet<>();
      page.items().stream().map(Entry::createdBy).filter(Objects::nonNull).forEach(makers::add);
      ctx.html(IncidentHtml.entries(viewer, incident, page, after, this.console.actorNames(makers)));
    }));
    routes.post("/console/incidents/{id}/level", console.action((ctx, viewer) -> change(ctx, viewer,
        new IncidentChanges(null, null, Objects.requireNonNullElse(ctx.formParam("level"), ""), null, null, null, null, null, null),
        "level")));
    routes.post("/console/incidents/{id}/status", console.action((ctx, viewer) -> change(ctx, viewer,
        new IncidentChanges(null, null, null, null, null, Objects.requireNonNullElse(ctx.formParam("status"), ""), null, null, null),
        "status")));
    if (shared != null) {
      routes.post("/console/incidents/{id}/accept", console.action((ctx, viewer) -> decide(ctx, viewer, true)));
      routes.post("/console/incidents/{id}/decline", console.action((ctx, viewer) -> decide(ctx, viewer, false)));
    }
    routes.post("/console/incidents/{id}/entries", console.action(this::addEntry));
    if (debriefs != null) {
      registerReport(routes, console);
    }
  }

  /** The charts the incident page shows and the debrief it links to, drawn as the API draws them. */
  private void registerReport(RoutesConfig routes, ConsoleRoutes console) {
    routes.get("/console/incidents/{id}/charts/matches.png", console.resource((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, READERS);
      ctx.contentType("image/png").result(SpreadCharts.matchesPng(debriefs.figures(id(ctx))));
    }));
    routes.get("/console/incidents/{id}/charts/peers.png", console.resource((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, READERS);
      ctx.contentType("image/png").result(SpreadCharts.peersPng(debriefs.figures(id(ctx))));
    }));
    routes.get("/console/incidents/{id}/debrief.html", console.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, READERS);
      String page = DebriefHtml.render(debriefs.debrief(id(ctx)));
      ctx.header("Content-Security-Policy", DebriefHtml.POLICY);
      ctx.contentType("text/html; charset=utf-8").result(page);
    }));
    routes.get("/console/incidents/{id}/debrief.pdf", console.resource((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, READERS);
      long id = id(ctx);
      byte[] pdf = DebriefPdf.render(debriefs.debrief(id));
      ctx.header("Content-Disposition", DebriefPdf.attachment(id));
      ctx.contentType("application/pdf").result(pdf);
    }));
  }

  private void change(Context ctx, Viewer viewer, IncidentChanges changes, String what) {
    ConsoleRoutes.requireRole(viewer, COORDINATORS);
    long id = id(ctx);
    try {
      incidents.update(viewer.principal(), id, changes);
      ctx.redirect("/console/incidents/" + id + "?changed=" + what, HttpStatus.SEE_OTHER);
    } catch (RequestException e) {
      refused(ctx, viewer, id, e, null);
    }
  }

  /** Accepts or declines a proposal a peer shared. */
  private void decide(Context ctx, Viewer viewer, boolean accept) {
    ConsoleRoutes.requireRole(viewer, COORDINATORS);
    long id = id(ctx);
    try {
      if (accept) {
        shared.accept(viewer.principal(), id);
      } else {
        shared.decline(viewer.principal(), id);
      }
      ctx.redirect("/console/incidents/" + id + "?changed=" + (accept ? "accepted" : "declined"), HttpStatus.SEE_OTHER);
    } catch (RequestException e) {
      refused(ctx, viewer, id, e, null);
    }
  }

  private void addEntry(Context ctx, Viewer viewer) {
    ConsoleRoutes.requireRole(viewer, ENTRY_WRITERS);
    long id = id(ctx);
    IncidentHtml.Hash entered = IncidentHtml.Hash.from(ctx);
    try {
      Incident incident = incidents.get(id);
      if (incident.bankId() == null) {
        throw new RequestException(RequestException.Kind.CONFLICT, "incident " + id + " has no bank until it is accepted");
      }
      if (entered.type() == null || entered.type().isBlank()) {
        throw RequestException.invalid("signal_type", "choose the signal type of the value");
      }
      Entry entry = entries.create(viewer.principal(), incident.bankId(),
          new NewEntry(Map.of(entered.type().strip(), Objects.requireNonNullElse(entered.value(), "")), null, null,
              FormFields.blankToNull(entered.note()), null));
      ctx.redirect("/console/incidents/" + id + "?added=" + entry.id(), HttpStatus.SEE_OTHER);
    } catch (RequestException e) {
      refused(ctx, viewer, id, e, entered);
    }
  }

  /** The incident page again with the refusal above it (an incident that does not exist is a page of its own). */
  private void refused(Context ctx, Viewer viewer, long id, RequestException e, IncidentHtml.Hash entered) {
    ctx.status(e.kind().status());
    detailPage(ctx, viewer, id, e.getMessage(), true, entered);
  }

  private void listPage(Context ctx, Viewer viewer, String message, boolean error, IncidentHtml.Declaring entered) {
    String status = FormFields.blankToNull(ctx.queryParam("status"));
    List<Incident> list = incidents.list(status);
    ctx.html(IncidentHtml.list(viewer, list, status, message, error, entered));
  }

  private void detailPage(Context ctx, Viewer viewer, long id, String message, boolean error, IncidentHtml.Hash entered) {
    Incident incident = incidents.get(id);
    List<TimelineEvent> timeline = incidents.timeline(id);
    Map<String, Long> makers = incident.bankId() == null ? Map.of() : console.entryMakers(incident.bankId());
    Set<Long> actors = new HashSet<>(makers.values());
    timeline.stream().map(TimelineEvent::actorKeyId).filter(Objects::nonNull).forEach(actors::add);
    long[] counts = incident.bankId() == null ? new long[2] : console.entryCounts(incident.bankId());
    ctx.html(IncidentHtml.detail(viewer, incident, counts, timeline, new IncidentHtml.Actors(console.actorNames(actors), makers), signalTypes,
        charts, message, error, entered));
  }

  /** The message for what the last change did, named in the address it redirected to. */
  private static String done(Context ctx) {
    String added = idParam(ctx, "added");
    if (added != null) {
      return "Added to the incident's bank as entry " + added + ".";
    }
    return switch (Objects.requireNonNullElse(ctx.queryParam("changed"), "")) {
      case "level" -> "Level changed.";
      case "status" -> "Status changed.";
      case "accepted" -> "Accepted: its entries are fetched from its publisher now, ahead of other exchanges, and match as they arrive.";
      case "declined" -> "Declined: nothing of it will match here.";
      default -> null;
    };
  }

  private static String idParam(Context ctx, String name) {
    String value = ctx.queryParam(name);
    return value != null && ID.matcher(value).matches() ? value : null;
  }

  private static long id(Context ctx) {
    return ConsoleRoutes.pathId(ctx, "id", "incident");
  }
}
