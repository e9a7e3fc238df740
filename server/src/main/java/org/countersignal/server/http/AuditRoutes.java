package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;

import io.javalin.config.RoutesConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.countersignal.server.audit.AuditEvent;
import org.countersignal.server.audit.AuditLog;

/** {@code GET /api/v1/audit?after=&limit=}: the audit log, oldest first, for admins and auditors. */
final class AuditRoutes {

  private final AuditLog audit;

  AuditRoutes(AuditLog audit) {
    this.audit = audit;
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/audit", ctx -> {
      long after = RequestBodies.longParam(ctx, "after", 0, 0, Long.MAX_VALUE);
      int limit = (int) RequestBodies.longParam(ctx, "limit", EntryRoutes.DEFAULT_PAGE, 1, EntryRoutes.MAX_PAGE);
      List<AuditEvent> items = audit.list(after, limit);
      Map<String, Object> page = new HashMap<>();
      page.put("items", items);
      page.put("next_after", items.size() == limit ? items.getLast().id() : null);
      ctx.json(page);
    }, ADMIN, AUDITOR);
  }
}
