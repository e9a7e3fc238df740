package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;

import io.javalin.config.RoutesConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.countersignal.server.RequestException;
import org.countersignal.server.audit.AuditArchive;
import org.countersignal.server.audit.AuditChain;
import org.countersignal.server.audit.AuditEvent;
import org.countersignal.server.audit.AuditLog;

/**
 * The audit log, oldest first, and its hash chain, for admins and auditors: {@code GET
 * /api/v1/audit}, the seals ({@code GET /api/v1/audit/seals}), sealing what is committed now
 * ({@code POST /api/v1/audit/seal}, before an export) and recomputing the chain ({@code GET
 * /api/v1/audit/verification?from_seal=}); and archiving old records: their export ({@code GET
 * /api/v1/audit/archive?through_seal=}), then their removal once the caller shows the export's
 * SHA-256 ({@code POST /api/v1/audit/archive}, admins only).
 */
final class AuditRoutes {

  private final AuditLog audit;
  private final AuditChain chain;
  private final AuditArchive archive;
  private final RequestBodies bodies;

  AuditRoutes(AuditLog audit, AuditChain chain, AuditArchive archive, RequestBodies bodies) {
    this.audit = audit;
    this.chain = chain;
    this.archive = archive;
    this.bodies = bodies;
  }

  /** The body of {@code POST /api/v1/audit/archive}. */
  record ArchiveRequest(Long throughSeal, String sha256) {}

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
    routes.get("/api/v1/audit/archive", ctx -> {
      long through = RequestBodies.longParam(ctx, "through_seal", 0, 1, Long.MAX_VALUE);
      if (through == 0) {
        throw new RequestException(RequestException.Kind.MALFORMED, "through_seal", "query parameter 'through_seal' is required: "
            + "the last seal whose records the archive holds");
      }
      ctx.contentType("application/x-ndjson");
      ctx.header("Content-Disposition", "attachment; filename=\"audit-archive-through-seal-" + through + ".jsonl\"");
      archive.export(through, ctx.outputStream());
    }, ADMIN, AUDITOR);
    routes.post("/api/v1/audit/archive", ctx -> {
      ArchiveRequest request = bodies.json(ctx, ArchiveRequest.class);
      if (request.throughSeal() == null || request.throughSeal() < 1) {
        throw RequestException.invalid("through_seal", "the last seal whose records are archived, 1 or more");
      }
      ctx.json(archive.archive(Authenticator.principal(ctx).keyId(), request.throughSeal(), request.sha256()));
    }, ADMIN);
  }

  private static Map<String, Object> page(List<?> items, Long nextAfter) {
    Map<String, Object> page = new HashMap<>();
    page.put("items", items);
    page.put("next_after", nextAfter);
    return page;
  }
}
