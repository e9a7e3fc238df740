package org.countersignal.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Function;
import org.countersignal.server.RequestException;
import org.countersignal.server.transparency.DsaTemplate;
import org.countersignal.server.transparency.PublishedReport;
import org.countersignal.server.transparency.ReportCsv;
import org.countersignal.server.transparency.ReportHtml;
import org.countersignal.server.transparency.ReportPdf;
import org.countersignal.server.transparency.TransparencyReport;
import org.countersignal.server.transparency.TransparencyReports;

/**
 * A published report's files, for a console session: the API's own addresses want a bearer key,
 * which a browser does not send. Each is what the API serves, with its headers, and each is an
 * attachment, so the browser saves it rather than showing it inside the console.
 */
final class TransparencyDownloads {

  private final TransparencyReports reports;

  TransparencyDownloads(TransparencyReports reports) {
    this.reports = reports;
  }

  void register(RoutesConfig routes, ConsoleRoutes routing) {
    String base = TransparencyPages.PATH + "/{id}/";
    routes.get(base + "report.json", routing.resource((ctx, viewer) -> {
      long id = readable(ctx, viewer);
      PublishedReport published = reports.get(id);
      // The bytes the checksum was taken of, with that checksum (RFC 9530), as the API sends them.
      ctx.header("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(published.sha256())) + ":");
      attach(ctx, "transparency-report-" + id + ".json", "application/json", reports.document(id).getBytes(StandardCharsets.UTF_8));
    }));
    routes.get(base + "report.csv", routing.resource((ctx, viewer) -> {
      long id = readable(ctx, viewer);
      attach(ctx, "transparency-report-" + id + ".csv", "text/csv; charset=utf-8", utf8(ReportCsv.render(reports.report(id))));
    }));
    routes.get(base + "report.html", routing.resource((ctx, viewer) -> {
      long id = readable(ctx, viewer);
      String page = ReportHtml.render(reports.report(id));
      // The document's own policy: its styles are inline, which the console's policy forbids.
      ctx.header("Content-Security-Policy", ReportHtml.POLICY);
      attach(ctx, "transparency-report-" + id + ".html", "text/html; charset=utf-8", utf8(page));
    }));
    routes.get(base + "report.pdf", routing.resource((ctx, viewer) -> {
      long id = readable(ctx, viewer);
      attach(ctx, "transparency-report-" + id + ".pdf", "application/pdf", ReportPdf.render(reports.report(id)));
    }));
    routes.get(base + "dsa/{sheet}", routing.resource((ctx, viewer) -> {
      long id = readable(ctx, viewer);
      String sheet = ctx.pathParam("sheet");
      Function<TransparencyReport, String> render = DsaTemplate.SHEETS.get(sheet);
      if (render == null) {
        throw RequestException.notFound("sheet", sheet);
      }
      attach(ctx, "transparency-report-" + id + "-dsa-" + sheet, "text/csv; charset=utf-8", utf8(render.apply(reports.report(id))));
    }));
  }

  /** The report's id, once the viewer's role may read reports. */
  private static long readable(Context ctx, Viewer viewer) {
    ConsoleRoutes.requireRole(viewer, TransparencyPages.READERS);
    return ConsoleRoutes.pathId(ctx, "id", "transparency report");
  }

  private static void attach(Context ctx, String filename, String type, byte[] body) {
    ctx.header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    ctx.contentType(type).result(body);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
