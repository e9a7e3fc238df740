package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;

import io.javalin.config.RoutesConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.countersignal.server.audit.AuditChain;
import org.countersignal.server.audit.AuditEvent;
import org.countersignal.server.audit.AuditLog;

/**
 * The audit log, oldest first, and its hash chain, for admins and auditors: {@code GET
 * /api/v1/audit}, the seals ({@code GET /api/v1/audit/seals}), sealing what is committed now
 * ({@code POST /api/v1/audit/seal}, before an export) and recomputing the chain ({@code GET
 * /api/v1/audit/verification?from_seal=}).
 */
final class AuditRoutes {

  private final AuditLog audit;
  private final AuditChain chain;

  AuditRoutes(AuditLog audit, AuditChain chain) {
    this.audit = audit;
    this.chain = chain;
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/audit", ctx -> {
      long after = RequestBodies.longParam(ctx, "after", 0, 0, Long.MAX_VALUE);
      int limit = (int) RequestBodies.longParam(ctx, "limit", EntryRoutes.DEFAULT_PAGE, 1, EntryRoutes.MAX_PAGE);
      List<AuditEvent> items = audit.list(after, limit);
      ctx.json(page(items, items.size() == limit ? items.getLast().id() : null));
    }, ADMIN, AUDITOR);
    routes.get("/api/v1/audit/seals", ctx -> {
      long after = RequestBodies.longParam(ctx, "after", 0, 0, Long.MAX_VALUE);
      int limit = (int) RequestBodies.longParam(ctx, "limit", EntryRoutes.DEFAULT_PAGE, 1, EntryRoutes.MAX_PAGE);
      List<AuditChain.Seal> items = chain.seals(after, limit);
      ctx.json(page(items, items.size() == limit ? items.getLast().seq() : null));
    }, ADMIN, AUDITOR);
    // Sealing changes no record: an auditor may ask for it before reading the log out.
    routes.post("/api/v1/audit/seal", ctx -> ctx.json(Map.of("sealed", chain.sealNow())), ADMIN, AUDITOR);
    routes.get("/api/v1/audit/verification", ctx ->
        ctx.json(chain.verify(RequestBodies.longParam(ctx, "from_seal", 1, 1, Long.MAX_VALUE))), ADMIN, AUDITOR);
  }

  private static Map<String, Object> page(List<?> items, Long nextAfter) {
    Map<String, Object> page = new HashMap<>();
    page.put("items", items);
    page.put("next_after", nextAfter);
    return page;
  }
}
