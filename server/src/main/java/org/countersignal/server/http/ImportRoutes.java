package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.CURATOR;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.bank.EntryImport;
import org.countersignal.server.hma.HmaImport;
import org.countersignal.server.bank.NewEntry;

/**
 * {@code POST /api/v1/banks/{id}/entries/batch}: up to {@link EntryImport#MAX_ENTRIES} entries in
 * one all-or-nothing call, for bulk imports. {@code ?dry_run=true} checks the rows and writes
 * nothing, so a client can refuse a whole file before any of it is imported.
 */
final class ImportRoutes {

  /** Body of the batch route. */
  record Batch(List<NewEntry> entries) {}

  /** One invalid row, as listed in the problem's {@code errors}. */
  record RowProblem(int index, String field, String detail) {}

  /** A 422 problem detail with every invalid row, so a client can fix or skip them all at once. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record BatchProblem(String type, String title, int status, String detail, String instance, List<RowProblem> errors) {}

  // 10,000 entries with notes and labels do not fit the 1 MB of other JSON bodies.
  static final long MAX_BATCH_BYTES = 16L << 20;

  private final EntryImport imports;
  private final HmaImport hmaImports;
  private final ObjectMapper mapper;
  private final RequestBodies bodies;

  /** @param hmaImports takes over HMA's banks; null serves no such route */
  ImportRoutes(EntryImport imports, HmaImport hmaImports, ObjectMapper mapper, RequestBodies bodies) {
    this.bodies = bodies;
    this.imports = imports;
    this.hmaImports = hmaImports;
    this.mapper = mapper;
  }

  static void limitBodies(BodyLimits limits) {
    limits.route("POST", "/api/v1/banks/{id}/entries/batch", MAX_BATCH_BYTES);
    limits.route("POST", "/api/v1/hma/import", MAX_BATCH_BYTES);
  }

  void register(RoutesConfig routes) {
    routes.post("/api/v1/banks/{id}/entries/batch", this::importBatch, ADMIN, CURATOR);
    if (hmaImports != null) {
      // Admin only: the entries keep ids given by the caller.
      routes.post("/api/v1/hma/import", this::importHma, ADMIN);
    }
  }

  /** A batch of an HMA bank's content, keeping HMA's ids: checked only with {@code dry_run=true}. */
  private void importHma(Context ctx) {
    boolean dryRun = dryRun(ctx);
    HmaImport.Batch batch = bodies.json(ctx, HmaImport.Batch.class, MAX_BATCH_BYTES);
    try {
      if (dryRun) {
        List<EntryImport.RowError> errors = hmaImports.validate(batch);
        if (!errors.isEmpty()) {
          invalid(ctx, errors, "contents");
          return;
        }
        ctx.json(Map.of("dry_run", true, "valid", batch.contents().size()));
        return;
      }
      HmaImport.Imported imported = hmaImports.importBatch(Authenticator.principal(ctx), batch);
      ctx.status(201).json(Map.of(
          "bank_id", imported.bankId(),
          "bank_created", imported.bankCreated(),
          "imported", imported.entryIds().size(),
          "already_imported", imported.alreadyImported(),
          "disabled", imported.disabled(),
          "entry_ids", imported.entryIds()));
    } catch (EntryImport.InvalidBatch e) {
      invalid(ctx, e.errors(), "contents");
    }
  }

  private void importBatch(Context ctx) {
    long bankId = RequestBodies.id(ctx, "id");
    boolean dryRun = dryRun(ctx);
    // The same refusals as other JSON bodies, with a larger size limit.
    Batch batch = bodies.json(ctx, Batch.class, MAX_BATCH_BYTES);
    if (dryRun) {
      List<EntryImport.RowError> errors = imports.validate(bankId, batch.entries());
      if (!errors.isEmpty()) {
        invalid(ctx, errors, "entries");
        return;
      }
      ctx.json(Map.of("dry_run", true, "valid", batch.entries().size()));
      return;
    }
    try {
      EntryImport.Imported imported = imports.importBatch(Authenticator.principal(ctx), bankId, batch.entries());
      ctx.status(201).json(Map.of(
          "bank_id", imported.bankId(),
          "imported", imported.entryIds().size(),
          "entry_ids", imported.entryIds()));
    } catch (EntryImport.InvalidBatch e) {
      invalid(ctx, e.errors(), "entries");
    }
  }

  private static boolean dryRun(Context ctx) {
    String text = ctx.queryParam("dry_run");
    if (text == null || text.isBlank() || text.equalsIgnoreCase("false")) {
      return false;
    }
    if (text.equalsIgnoreCase("true")) {
      return true;
    }
    throw new RequestException(Kind.MALFORMED, "dry_run", "query parameter 'dry_run' is true or false");
  }

  /** @param list the body's list the rows are in: {@code entries}, or HMA's {@code contents} */
  private void invalid(Context ctx, List<EntryImport.RowError> errors, String list) {
    List<RowProblem> rows = errors.stream()
        .map(e -> new RowProblem(e.index(), list + "[" + e.index() + "]" + (e.field() == null ? "" : "." + e.field()), e.detail()))
        .toList();
    String detail = errors.size() + " of the " + list + (errors.size() == 1 ? " is" : " are") + " invalid; nothing was imported (first: " + list + "["
        + errors.getFirst().index() + "]: " + errors.getFirst().detail() + ")";
    BatchProblem problem = new BatchProblem(Problem.typeUri("invalid"), Kind.INVALID.title(), 422, detail, ctx.path(), rows);
    try {
      ctx.status(422).contentType(Problem.MEDIA_TYPE).result(mapper.writeValueAsString(problem));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a problem detail", e);
    }
  }


}
