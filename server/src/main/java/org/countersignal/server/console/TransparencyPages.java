package org.countersignal.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.server.auth.Role;
import org.countersignal.server.transparency.PublishedReport;
import org.countersignal.server.transparency.TransparencyReport;
import org.countersignal.server.transparency.TransparencyReports;

/**
 * {@code /console/transparency}: transparency reports for the roles that read them through the
 * API ({@code /api/v1/transparency-reports}). Admins and auditors list the published reports with
 * whether each still checks out, preview a period, and read a report's headline figures and
 * download its files ({@link TransparencyDownloads}); admins publish. Publishing goes through the
 * same service as the API, which checks the fields, refuses a period not yet over and audits it.
 */
public final class TransparencyPages {

  static final Set<Role> READERS = Set.of(Role.ADMIN, Role.AUDITOR);
  static final Set<Role> PUBLISHERS = Set.of(Role.ADMIN);
  static final String PATH = "/console/transparency";

  private final Console console;
  private final TransparencyReports reports;

  public TransparencyPages(Console console, TransparencyReports reports) {
    this.console = console;
    this.reports = reports;
  }

  void register(RoutesConfig routes, ConsoleRoutes routing) {
    routes.get(PATH, routing.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, READERS);
      Long published = publishedNow(ctx);
      ctx.html(list(viewer, published, null, TransparencyViews.PeriodForm.EMPTY, TransparencyViews.PublishForm.EMPTY));
    }));
    // Before the report's own address, which would take "preview" for an id.
    routes.get(PATH + "/preview", routing.page(this::preview));
    routes.post(PATH, routing.action(this::publish));
    routes.get(PATH + "/{id}", routing.page(this::report));
    new TransparencyDownloads(reports).register(routes, routing);
  }

  private void preview(Context ctx, Viewer viewer) {
    ConsoleRoutes.requireRole(viewer, READERS);
    TransparencyViews.PeriodForm period = TransparencyViews.PeriodForm.from(ctx);
    TransparencyReport report;
    try {
      report = reports.preview(FormFields.utcTime(period.from()), FormFields.utcTime(period.to()));
    } catch (RequestException e) {
      // The list again, the period as typed, and why it was refused: nothing counted.
      ctx.status(e.kind().status()).html(list(viewer, null, e.getMessage(), period, TransparencyViews.PublishForm.EMPTY));
      return;
    }
    ctx.html(Templates.render("transparency-preview", TransparencyViews.preview(viewer, period, report, publishes(viewer))));
  }

  private void publish(Context ctx, Viewer viewer) {
    ConsoleRoutes.requireRole(viewer, PUBLISHERS);
    TransparencyViews.PublishForm form = TransparencyViews.PublishForm.from(ctx);
    try {
      PublishedReport published = reports.publish(viewer.principal(), form.request());
      ctx.redirect(PATH + "?published=" + published.id(), HttpStatus.SEE_OTHER);
    } catch (RequestException e) {
      ctx.status(e.kind().status()).html(list(viewer, null, e.getMessage(), TransparencyViews.PeriodForm.EMPTY, form));
    }
  }

  private void report(Context ctx, Viewer viewer) {
    ConsoleRoutes.requireRole(viewer, READERS);
    long id = ConsoleRoutes.pathId(ctx, "id", "transparency report");
    PublishedReport published = reports.get(id);
    Map<Long, String> names = console.actorNames(publishers(List.of(published)));
    ctx.html(Templates.render("transparency-report",
        TransparencyViews.report(viewer, published, reports.report(id), reports.verify(id), names)));
  }

  /**
   * The list page. Each report is verified as it is listed, which counts its figures again: a
   * few reports a year, each a year's count, is what this page is for.
   *
   * @param justPublished the report the viewer has just published, to say so if it is listed; or null
   * @param refusal why the last form was refused, or null
   */
  private String list(Viewer viewer, Long justPublished, String refusal, TransparencyViews.PeriodForm preview,
      TransparencyViews.PublishForm publish) {
    List<PublishedReport> published = reports.list();
    Map<Long, String> names = console.actorNames(publishers(published));
    List<TransparencyViews.Listed> listed = published.stream()
        .map(report -> TransparencyViews.listed(report, names, reports.verify(report.id()))).toList();
    String message = refusal;
    if (message == null && justPublished != null && listed.stream().anyMatch(report -> report.id() == justPublished)) {
      message = "Report " + justPublished + " published. Its figures are final.";
    }
    return Templates.render("transparency",
        new TransparencyViews.ListPage(viewer, message, refusal != null, listed, preview, publishes(viewer) ? publish : null));
  }

  private static boolean publishes(Viewer viewer) {
    return PUBLISHERS.contains(viewer.role());
  }

  private static Set<Long> publishers(List<PublishedReport> published) {
    Set<Long> keys = new HashSet<>();
    published.stream().map(PublishedReport::publishedBy).filter(Objects::nonNull).forEach(keys::add);
    return keys;
  }

  /** The report just published, from the address the form sent the browser to; anything else says nothing. */
  private static Long publishedNow(Context ctx) {
    String text = ctx.queryParam("published");
    return text != null && text.matches("[0-9]{1,18}") ? Long.parseLong(text) : null;
  }
}
