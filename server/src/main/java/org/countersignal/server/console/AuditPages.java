package org.countersignal.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.server.auth.Role;

/**
 * {@code /console/audit}: the audit log, newest first, searched by action, actor, target and
 * time, for the roles that read it through the API ({@code /api/v1/audit}). A search is a GET
 * form, so a search can be bookmarked and its pages linked.
 */
final class AuditPages {

  static final Set<Role> READERS = Set.of(Role.ADMIN, Role.AUDITOR);

  /** One record as the page shows it: who acted in words, and whether the chain covers it yet. */
  record Event(AuditSearch.Row row, String actor, String seal) {}

  /**
   * @param newer the address of the page of newer records, or null when this is the newest
   * @param older the address of the page of older records, or null when there are none
   * @param message why the search was refused, or null
   */
  record View(Viewer viewer, AuditForm form, List<Event> events, String newer, String older, String message) {}

  private final Console console;
  private final AuditSearch search;

  AuditPages(Console console) {
    this.console = console;
    this.search = new AuditSearch(console.jdbi());
  }

  void register(RoutesConfig routes, ConsoleRoutes routing) {
    routes.get("/console/audit", routing.page(this::page));
  }

  private void page(Context ctx, Viewer viewer) {
    ConsoleRoutes.requireRole(viewer, READERS);
    AuditForm form = AuditForm.from(ctx);
    AuditSearch.Page found;
    try {
      AuditFilter filter = AuditFilter.parse(form, search::userKey);
      found = startAt(ctx, filter);
    } catch (RequestException e) {
      // The form again with what was typed, and why it was refused: nothing searched.
      ctx.status(e.kind().status()).html(Templates.render("audit", new View(viewer, form, List.of(), null, null, e.getMessage())));
      return;
    }
    List<AuditSearch.Row> rows = found.rows();
    Set<Long> actors = new HashSet<>();
    rows.stream().map(AuditSearch.Row::actorKeyId).filter(Objects::nonNull).forEach(actors::add);
    Map<Long, String> names = console.actorNames(actors);
    List<Event> events = rows.stream().map(row -> new Event(row, actor(row.actorKeyId(), names),
        row.seal() == null ? "not yet" : "seal " + row.seal())).toList();
    String filters = form.query();
    String newer = found.hasNewer() ? link(filters, "after=" + rows.getFirst().id()) : null;
    String older = found.hasOlder() ? link(filters, "before=" + rows.getLast().id()) : null;
    ctx.html(Templates.render("audit", new View(viewer, form, events, newer, older, null)));
  }

  /** The page the address asks for: before a record, after one, or the newest. */
  private AuditSearch.Page startAt(Context ctx, AuditFilter filter) {
    Long before = cursor(ctx, "before");
    Long after = cursor(ctx, "after");
    if (before != null) {
      return search.page(filter, AuditSearch.Direction.OLDER, before);
    }
    if (after != null) {
      return search.page(filter, AuditSearch.Direction.NEWER, after);
    }
    return search.page(filter, AuditSearch.Direction.NEWEST, 0);
  }

  private static Long cursor(Context ctx, String name) {
    String text = FormFields.blankToNull(ctx.queryParam(name));
    if (text == null) {
      return null;
    }
    if (!text.matches("[0-9]{1,18}")) {
      throw new RequestException(RequestException.Kind.MALFORMED, name, name + ": a record id, from the page's own links");
    }
    return Long.parseLong(text);
  }

  private static String actor(Long keyId, Map<Long, String> names) {
    if (keyId == null) {
      return "server";
    }
    return names.getOrDefault(keyId, "key " + keyId);
  }

  private static String link(String filters, String cursor) {
    return "/console/audit?" + (filters.isEmpty() ? "" : filters + "&") + cursor;
  }
}
