package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.countersignal.server.RequestException;
import org.countersignal.server.statement.StatementExport;
import org.countersignal.server.statement.Statements;
import org.countersignal.server.store.Clock;

/**
 * Statements of reasons (DSA Art. 17) in the DSA Transparency Database's format: one per
 * decision, report case or order that restricted something, and every statement of a period as
 * JSON lines or CSV, written as they are read. Admins and auditors read them (a coordinator's
 * orders are only part of them); the platform forwards them to the Commission itself.
 */
final class StatementRoutes {

  private final Statements statements;

  StatementRoutes(Statements statements) {
    this.statements = statements;
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/decisions/{id}/statement-of-reasons", ctx -> ctx.json(statements.forDecision(RequestBodies.id(ctx, "id"))),
        ADMIN, AUDITOR);
    routes.get("/api/v1/cases/{id}/statement-of-reasons", ctx -> ctx.json(statements.forReportCase(RequestBodies.id(ctx, "id"))),
        ADMIN, AUDITOR);
    routes.get("/api/v1/orders/{id}/statement-of-reasons", ctx -> ctx.json(statements.forOrder(RequestBodies.id(ctx, "id"))),
        ADMIN, AUDITOR);
    routes.get("/api/v1/statements-of-reasons", this::export, ADMIN, AUDITOR);
  }

  private void export(Context ctx) throws java.io.IOException {
    OffsetDateTime from = time(ctx, "from");
    OffsetDateTime to = time(ctx, "to");
    StatementExport.Format format = StatementExport.Format.parse(ctx.queryParam("format"));
    if (!from.isBefore(to)) {
      throw RequestException.invalid("to", "the period's end must come after its start");
    }
    ctx.contentType(format.mediaType());
    ctx.header("Content-Disposition", "attachment; filename=\"statements-of-reasons." + format.name().toLowerCase(java.util.Locale.ROOT) + "\"");
    try (StatementExport export = new StatementExport(format, ctx.outputStream())) {
      statements.export(from, to, export);
    }
  }

  /** A day ({@code 2026-01-01}, from its start in UTC) or a time with its offset ({@code 2026-01-01T12:00:00Z}). */
  private static OffsetDateTime time(Context ctx, String name) {
    String text = ctx.queryParam(name);
    if (text == null || text.isBlank()) {
      throw new RequestException(RequestException.Kind.MALFORMED, name,
          "query parameter '" + name + "' is required: a day (2026-01-01) or a time with its offset (2026-01-01T00:00:00Z)");
    }
    try {
      return Clock.dayOrTime(text);
    } catch (DateTimeParseException e) {
      throw new RequestException(RequestException.Kind.MALFORMED, name,
          "query parameter '" + name + "' must be a day (2026-01-01) or a time with its offset (2026-01-01T00:00:00Z), got '" + text + "'");
    }
  }
}
