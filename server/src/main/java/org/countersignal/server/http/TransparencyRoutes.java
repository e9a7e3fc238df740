package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.countersignal.server.RequestException;
import org.countersignal.server.transparency.DsaTemplate;
import org.countersignal.server.transparency.PublishRequest;
import org.countersignal.server.transparency.PublishedReport;
import org.countersignal.server.transparency.ReportCsv;
import org.countersignal.server.transparency.ReportHtml;
import org.countersignal.server.transparency.ReportPdf;
import org.countersignal.server.transparency.TransparencyReport;
import org.countersignal.server.transparency.TransparencyReports;

/**
 * Transparency reports: admins and auditors preview a period's figures; admins publish a report,
 * which is then frozen; both read published reports as JSON (the stored document, byte for byte,
 * with its SHA-256 in {@code Repr-Digest}), CSV, HTML and PDF, and verify them against the records.
 */
final class TransparencyRoutes {

  private final TransparencyReports reports;
  private final RequestBodies bodies;

  TransparencyRoutes(TransparencyReports reports, RequestBodies bodies) {
    this.reports = reports;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/transparency/preview", ctx -> ctx.json(preview(ctx)), ADMIN, AUDITOR);
    routes.get("/api/v1/transparency/preview.html", ctx -> html(ctx, preview(ctx)), ADMIN, AUDITOR);
    routes.post("/api/v1/transparency-reports", ctx -> {
      PublishedReport published = reports.publish(Authenticator.principal(ctx), bodies.json(ctx, PublishRequest.class));
      ctx.status(201).header("Location", "/api/v1/transparency-reports/" + published.id()).json(published);
    }, ADMIN);
    routes.get("/api/v1/transparency-reports", ctx -> ctx.json(Map.of("items", reports.list())), ADMIN, AUDITOR);
    routes.get("/api/v1/transparency-reports/{id}", ctx -> {
      PublishedReport published = reports.get(id(ctx));
      String document = reports.document(published.id());
      // RFC 9530: the digest of the bytes sent, which are the bytes the checksum was taken of.
      ctx.header("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(published.sha256())) + ":");
      ctx.contentType("application/json").result(document.getBytes(StandardCharsets.UTF_8));
    }, ADMIN, AUDITOR);
    routes.get("/api/v1/transparency-reports/{id}/report.csv", ctx -> {
      long id = id(ctx);
      ctx.header("Content-Disposition", "attachment; filename=\"transparency-report-" + id + ".csv\"");
      ctx.contentType("text/csv; charset=utf-8").result(ReportCsv.render(reports.report(id)));
    }, ADMIN, AUDITOR);
    routes.get("/api/v1/transparency-reports/{id}/report.html", ctx -> html(ctx, reports.report(id(ctx))), ADMIN, AUDITOR);
    routes.get("/api/v1/transparency-reports/{id}/report.pdf", ctx -> {
      long id = id(ctx);
      ctx.header("Content-Disposition", "attachment; filename=\"transparency-report-" + id + ".pdf\"");
      ctx.contentType("application/pdf").result(ReportPdf.render(reports.report(id)));
    }, ADMIN, AUDITOR);
    routes.get("/api/v1/transparency-reports/{id}/dsa/{sheet}", ctx -> {
      long id = id(ctx);
      String sheet = ctx.pathParam("sheet");
      var render = DsaTemplate.SHEETS.get(sheet);
      if (render == null) {
        throw new RequestException(RequestException.Kind.NOT_FOUND, "sheet",
            "no sheet '" + sheet + "'; the sheets are " + String.join(", ", DsaTemplate.SHEETS.keySet()));
      }
      String csv = render.apply(reports.report(id));
      ctx.header("Content-Disposition", "attachment; filename=\"transparency-report-" + id + "-dsa-" + sheet + "\"");
      ctx.contentType("text/csv; charset=utf-8").result(csv);
    }, ADMIN, AUDITOR);
    routes.get("/api/v1/transparency-reports/{id}/verification", ctx -> ctx.json(reports.verify(id(ctx))), ADMIN, AUDITOR);
  }

  private TransparencyReport preview(Context ctx) {
    return reports.preview(ctx.queryParam("from"), ctx.queryParam("to"));
  }

  private static void html(Context ctx, TransparencyReport report) {
    ctx.header("Content-Security-Policy", ReportHtml.POLICY);
    ctx.contentType("text/html; charset=utf-8").result(ReportHtml.render(report));
  }

  private static long id(Context ctx) {
    return RequestBodies.id(ctx, "id");
  }
}
