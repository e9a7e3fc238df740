package org.countersignal.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The audit log, newest first, a page at a time, for the console. Pages are cut by id (keyset),
 * never by offset: a page deep in a long log costs what the first does, and records appended
 * meanwhile do not shift the pages an auditor is reading.
 *
 * <p>Action, actor and target each have an index that ends in the id, so a filter on one of them
 * reads only its own records; a time range alone has none and reads the log back from its newest
 * record until it has a page.
 */
final class AuditSearch {

  /** Records on a page. */
  static final int PAGE_LENGTH = 50;

  /** Where a page starts: at the newest record, just before a record (older), or just after one (newer). */
  enum Direction { NEWEST, OLDER, NEWER }

  /** One record as the page shows it; the JSON pretty-printed, null where the record has none. */
  record Row(long id, String occurredAt, Long actorKeyId, String action, String targetType, String targetId, String before,
      String after, Long seal) {}

  /** A page of records, newest first, and whether there are newer or older ones that match. */
  record Page(List<Row> rows, boolean hasNewer, boolean hasOlder) {}

  private static final String COLUMNS = "id, occurred_at, actor_key_id, action, target_type, target_id, before_json, after_json, seal";

  private final Jdbi jdbi;

  AuditSearch(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The page of records matching {@code filter} that starts, in {@code direction}, from record {@code from}. */
  Page page(AuditFilter filter, Direction direction, long from) {
    return jdbi.withHandle(h -> {
      if (direction == Direction.NEWER) {
        List<Row> newer = rows(h, filter, "id > :from", "id", from, PAGE_LENGTH + 1);
        if (newer.size() > PAGE_LENGTH) {
          List<Row> shown = new ArrayList<>(newer.subList(0, PAGE_LENGTH));
          Collections.reverse(shown);
          return new Page(shown, true, true);
        }
        // Back at the top: the newest page, full, as the first visit showed it.
        return page(h, filter, null, from);
      }
      return page(h, filter, direction == Direction.OLDER ? from : null, from);
    });
  }

  /** The newest page of records before {@code before} (null: the newest of all). */
  private Page page(Handle h, AuditFilter filter, Long before, long from) {
    List<Row> older = before == null ? rows(h, filter, null, "id DESC", 0, PAGE_LENGTH + 1)
        : rows(h, filter, "id < :from", "id DESC", before, PAGE_LENGTH + 1);
    boolean hasOlder = older.size() > PAGE_LENGTH;
    List<Row> shown = hasOlder ? older.subList(0, PAGE_LENGTH) : older;
    boolean hasNewer = !shown.isEmpty() && !rows(h, filter, "id > :from", "id", shown.getFirst().id(), 1).isEmpty();
    return new Page(shown, hasNewer, hasOlder);
  }

  private static List<Row> rows(Handle h, AuditFilter filter, String bound, String order, long from, int limit) {
    List<String> where = new ArrayList<>();
    if (bound != null) {
      where.add(bound);
    }
    if (filter.action() != null) {
      where.add(filter.actionIsPrefix() ? "action LIKE :action ESCAPE '\\'" : "action = :action");
    }
    if (filter.byServer()) {
      where.add("actor_key_id IS NULL");
    } else if (filter.actor() != null) {
      where.add("actor_key_id = :actor");
    }
    if (filter.targetType() != null) {
      where.add("target_type = :type");
    }
    if (filter.targetId() != null) {
      where.add("target_id = :target");
    }
    if (filter.from() != null) {
      where.add("occurred_at >= :since");
    }
    if (filter.until() != null) {
      where.add("occurred_at < :until");
    }
    Query query = h.createQuery("SELECT " + COLUMNS + " FROM audit_log" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY " + order + " FETCH FIRST :limit ROWS ONLY");
    if (bound != null) {
      query.bind("from", from);
    }
    if (filter.action() != null) {
      query.bind("action", filter.actionIsPrefix() ? likePrefix(filter.action()) : filter.action());
    }
    if (!filter.byServer() && filter.actor() != null) {
      query.bind("actor", filter.actor());
    }
    Optional.ofNullable(filter.targetType()).ifPresent(type -> query.bind("type", type));
    Optional.ofNullable(filter.targetId()).ifPresent(target -> query.bind("target", target));
    Optional.ofNullable(filter.from()).ifPresent(since -> query.bind("since", since));
    Optional.ofNullable(filter.until()).ifPresent(until -> query.bind("until", until));
    return query.bind("limit", limit)
        .map((rs, ctx) -> new Row(
            rs.getLong("id"),
            org.countersignal.server.store.Clock.text(rs.getObject("occurred_at", OffsetDateTime.class)),
            rs.getObject("actor_key_id", Long.class),
            rs.getString("action"),
            rs.getString("target_type"),
            rs.getString("target_id"),
            pretty(rs.getString("before_json")),
            pretty(rs.getString("after_json")),
            rs.getObject("seal", Long.class)))
        .list();
  }

  /** The key of the user named {@code username} (lower case, as usernames are kept), if there is one. */
  Optional<Long> userKey(String username) {
    return jdbi.withHandle(h -> h.createQuery("SELECT key_id FROM users WHERE username = :name")
        .bind("name", username).mapTo(Long.class).findOne());
  }

  /** {@code start} as a LIKE pattern for what starts with it: its own % and _ match only themselves. */
  private static String likePrefix(String start) {
    return start.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  private static String pretty(String json) {
    JsonNode tree = JsonText.tree(json);
    return tree == null || tree.isNull() ? null : tree.toPrettyString();
  }
}
