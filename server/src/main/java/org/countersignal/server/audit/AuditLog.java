package org.countersignal.server.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import org.countersignal.server.store.Batches;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The append-only audit log. Appends happen inside the transaction of the change they describe,
 * so a change is never committed without its record (nor the record without the change). There
 * is deliberately no update or delete here; {@link AuditChain} seals the records afterwards, so
 * that one removed or altered later is found.
 */
public final class AuditLog {

  private final Jdbi jdbi;

  public AuditLog(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** One row of the log, as {@link #append} takes it: for {@link #appendAll}. */
  public record Entry(Long actorKeyId, String action, String targetType, Object targetId, Object before, Object after) {}

  private static final String INSERT = "INSERT INTO audit_log (occurred_at, actor_key_id, action, target_type, target_id, before_json, "
      + "after_json) VALUES (:at, :actor, :action, :type, :target, :before, :after)";

  /**
   * @param actorKeyId the key that made the call; null for the server itself
   * @param before the target before the change (any JSON-writable value), or null
   * @param after the target after the change, or null
   */
  public static void append(
      Handle handle, Long actorKeyId, String action, String targetType, Object targetId, Object before, Object after) {
    bind(handle.createUpdate(INSERT), handle, new Entry(actorKeyId, action, targetType, targetId, before, after)).execute();
  }

  /** Appends {@code entries} in their order, sent as one JDBC batch: for work that writes many changes in one transaction. */
  public static void appendAll(Handle handle, List<Entry> entries) {
    Batches.run(handle, INSERT, entries, (batch, e) -> bind(batch, handle, e));
  }

  private static <S extends SqlStatement<S>> S bind(S statement, Handle handle, Entry e) {
    return statement
        .bind("at", Clock.now(handle))
        .bind("actor", e.actorKeyId())
        .bind("action", e.action())
        .bind("type", e.targetType())
        .bind("target", e.targetId() == null ? null : e.targetId().toString())
        .bind("before", e.before() == null ? null : JsonText.write(e.before()))
        .bind("after", e.after() == null ? null : JsonText.write(e.after()));
  }

  /**
   * The latest {@code limit} events about one thing ({@code targetType} and its id), newest
   * first: an entry's history as a page shows it (along the index by target).
   */
  public List<AuditEvent> ofTarget(String targetType, String targetId, int limit) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT id, occurred_at, actor_key_id, action, target_type, target_id, before_json, after_json, seal "
                + "FROM audit_log WHERE target_type = :type AND target_id = :target ORDER BY id DESC FETCH FIRST :limit ROWS ONLY")
        .bind("type", targetType)
        .bind("target", targetId)
        .bind("limit", limit)
        .map(AuditLog::event)
        .list());
  }

  /** Events with {@code id > after}, oldest first. */
  public List<AuditEvent> list(long after, int limit) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT id, occurred_at, actor_key_id, action, target_type, target_id, before_json, after_json, seal "
                + "FROM audit_log WHERE id > :after ORDER BY id FETCH FIRST :limit ROWS ONLY")
        .bind("after", after)
        .bind("limit", limit)
        .map(AuditLog::event)
        .list());
  }

  private static AuditEvent event(ResultSet rs, StatementContext ctx) throws SQLException {
    return new AuditEvent(
        rs.getLong("id"),
        Clock.text(rs.getObject("occurred_at", OffsetDateTime.class)),
        rs.getObject("actor_key_id", Long.class),
        rs.getString("action"),
        rs.getString("target_type"),
        rs.getString("target_id"),
        JsonText.tree(rs.getString("before_json")),
        JsonText.tree(rs.getString("after_json")),
        rs.getObject("seal", Long.class));
  }
}
