package org.countersignal.server.console;

import io.javalin.config.RoutesConfig;
import java.util.List;
import java.util.Set;
import org.countersignal.server.auth.Role;
import org.countersignal.server.store.Clock;

/**
 * {@code /console/dashboard}: what needs attention, at a glance: the day's matches, the review
 * queue, appeals and removal orders past their deadlines, and whether each exchange still
 * fetches. Every figure links to the page that lists what it counts, when the viewer may open it.
 * Reviewers are not among its readers: they start at the queue, and orders and exchanges are not theirs.
 */
final class DashboardPages {

  static final Set<Role> READERS = Set.of(Role.ADMIN, Role.CURATOR, Role.AUDITOR, Role.COORDINATOR);

  /**
   * One figure: {@code href} is null when there is no page listing it, or the viewer may not open
   * it; {@code alarm} when it is something overdue that is not zero.
   */
  record Figure(String id, long value, String label, String href, boolean alarm) {}

  /** An exchange's line: its fetching summed up, times as ISO-8601 UTC. */
  record ExchangeLine(long id, String name, DashboardExchangeState state, String lastFetch, String lastSuccess, String lastError,
      long fetchedItems) {}

  record View(Viewer viewer, String generatedAt, DashboardChart matches, List<Figure> queue, List<Figure> orders,
      List<ExchangeLine> exchanges, String exchangesHref) {}

  private final DashboardCounts counts;

  DashboardPages(Console console) {
    this.counts = new DashboardCounts(console.jdbi());
  }

  void register(RoutesConfig routes, ConsoleRoutes routing) {
    routes.get("/console/dashboard", routing.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, READERS);
      ctx.html(Templates.render("dashboard", view(viewer, counts.read())));
    }));
  }

  static View view(Viewer viewer, DashboardCounts.Figures figures) {
    DashboardCounts.Queue queue = figures.queue();
    String queueHref = readable(viewer, "/console/queue");
    String ordersHref = readable(viewer, "/console/orders");
    List<Figure> queueFigures = List.of(
        new Figure("cases-waiting", queue.waiting(), "cases waiting for a decision", queueHref, false),
        new Figure("cases-unclaimed", queue.unclaimed(), "not claimed by anyone", queueHref, false),
        new Figure("cases-escalated", queue.escalated(), "escalated", queueHref, false),
        new Figure("appeals-overdue", figures.overdueAppeals(), "appeals past their deadline", queueHref, figures.overdueAppeals() > 0));
    List<Figure> orderFigures = List.of(
        new Figure("orders-open", figures.orders().open(), "removal orders not yet acted on",
            ordersHref == null ? null : ordersHref + "?state=received", false),
        new Figure("orders-overdue", figures.orders().overdue(), "of them past their one-hour deadline",
            ordersHref == null ? null : ordersHref + "?state=" + OrderViews.OVERDUE, figures.orders().overdue() > 0));
    List<ExchangeLine> exchanges = figures.exchanges().stream().map(DashboardPages::line).toList();
    return new View(viewer, Clock.text(figures.now()), DashboardChart.of(figures.hourStarts(), figures.matches()), queueFigures,
        orderFigures, exchanges, readable(viewer, "/console/exchanges"));
  }

  private static ExchangeLine line(DashboardCounts.Exchange exchange) {
    String lastFetch = Clock.text(exchange.lastFetch());
    String lastSuccess;
    if (Boolean.TRUE.equals(exchange.succeeded())) {
      lastSuccess = lastFetch;
    } else if (exchange.failuresInARow() > 0) {
      // The time of the last success is not kept once a fetch fails, only how many have failed since.
      int failures = exchange.failuresInARow();
      lastSuccess = failures == 1 ? "before the last fetch, which failed" : "before the last " + failures + " fetches, which all failed";
    } else {
      lastSuccess = null;
    }
    return new ExchangeLine(exchange.id(), exchange.name(), DashboardExchangeState.of(exchange), lastFetch, lastSuccess,
        exchange.lastError(), exchange.fetchedItems());
  }

  /** {@code path} if the viewer's header links to it (so the viewer may open it), else null. */
  private static String readable(Viewer viewer, String path) {
    return Layout.links(viewer.role()).stream().anyMatch(link -> link.href().equals(path)) ? path : null;
  }
}
