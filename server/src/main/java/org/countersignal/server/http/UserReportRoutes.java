package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;
import static org.countersignal.server.auth.Role.MATCHER;
import static org.countersignal.server.auth.Role.REVIEWER;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.countersignal.server.userreport.NewReport;
import org.countersignal.server.userreport.UserReports;

/**
 * {@code /api/v1/reports}: the platform (its integration key, role {@code matcher}) relays the
 * reports its users and trusted flaggers make, and reads back what became of them; reviewers and
 * auditors read reports, and a report case's reports and campaign flag
 * ({@code /api/v1/cases/{id}/reports}). Reviewers decide report cases as any other case.
 */
final class UserReportRoutes {

  private static final int DEFAULT_PAGE = 50;
  private static final int MAX_PAGE = 500;

  private final UserReports reports;
  private final RequestBodies bodies;

  UserReportRoutes(UserReports reports, RequestBodies bodies) {
    this.reports = reports;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.post("/api/v1/reports", ctx -> ctx.status(201)
        .json(reports.receive(Authenticator.principal(ctx), bodies.json(ctx, NewReport.class))), ADMIN, MATCHER);
    routes.get("/api/v1/reports", ctx -> ctx.json(Map.of("items", reports.list(caseId(ctx), ctx.queryParam("reporter_id"),
        ctx.queryParam("content_id"), (int) RequestBodies.longParam(ctx, "limit", DEFAULT_PAGE, 1, MAX_PAGE)))), ADMIN, MATCHER, REVIEWER, AUDITOR);
    routes.get("/api/v1/reports/{id}", ctx -> ctx.json(reports.get(RequestBodies.id(ctx, "id"))), ADMIN, MATCHER, REVIEWER, AUDITOR);
    routes.get("/api/v1/cases/{id}/reports", ctx -> ctx.json(reports.forCase(RequestBodies.id(ctx, "id"))), ADMIN, REVIEWER, AUDITOR);
  }

  private static Long caseId(Context ctx) {
    return ctx.queryParam("case_id") == null ? null : RequestBodies.longParam(ctx, "case_id", 0, 1, Long.MAX_VALUE);
  }
}
