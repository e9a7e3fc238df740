package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;
import static org.countersignal.server.auth.Role.COORDINATOR;
import static org.countersignal.server.auth.Role.CURATOR;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.countersignal.server.incident.report.DebriefHtml;
import org.countersignal.server.incident.report.DebriefPdf;
import org.countersignal.server.incident.report.Debriefs;
import org.countersignal.server.incident.report.SpreadCharts;

/**
 * An incident's figures, charts and debrief, for whoever reads incidents. A closed incident is
 * reported as it stood when it was closed; one still open as a draft from what is known now.
 */
final class IncidentReportRoutes {

  private final Debriefs debriefs;

  IncidentReportRoutes(Debriefs debriefs) {
    this.debriefs = debriefs;
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/incidents/{id}/figures", ctx -> ctx.json(debriefs.figures(id(ctx))), ADMIN, COORDINATOR, CURATOR, AUDITOR);
    routes.get("/api/v1/incidents/{id}/charts/matches.png", ctx -> png(ctx, SpreadCharts.matchesPng(debriefs.figures(id(ctx)))),
        ADMIN, COORDINATOR, CURATOR, AUDITOR);
    routes.get("/api/v1/incidents/{id}/charts/peers.png", ctx -> png(ctx, SpreadCharts.peersPng(debriefs.figures(id(ctx)))),
        ADMIN, COORDINATOR, CURATOR, AUDITOR);
    routes.get("/api/v1/incidents/{id}/debrief", ctx -> ctx.json(debriefs.debrief(id(ctx))), ADMIN, COORDINATOR, CURATOR, AUDITOR);
    routes.get("/api/v1/incidents/{id}/debrief.html", ctx -> {
      String page = DebriefHtml.render(debriefs.debrief(id(ctx)));
      ctx.header("Content-Security-Policy", DebriefHtml.POLICY);
      ctx.contentType("text/html; charset=utf-8").result(page);
    }, ADMIN, COORDINATOR, CURATOR, AUDITOR);
    routes.get("/api/v1/incidents/{id}/debrief.pdf", ctx -> {
      long id = id(ctx);
      byte[] pdf = DebriefPdf.render(debriefs.debrief(id));
      ctx.header("Content-Disposition", DebriefPdf.attachment(id));
      ctx.contentType("application/pdf").result(pdf);
    }, ADMIN, COORDINATOR, CURATOR, AUDITOR);
  }

  private static long id(Context ctx) {
    return RequestBodies.id(ctx, "id");
  }

  private static void png(Context ctx, byte[] image) {
    ctx.contentType("image/png").result(image);
  }
}
