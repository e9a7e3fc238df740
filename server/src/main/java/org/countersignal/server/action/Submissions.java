package org.countersignal.server.action;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.countersignal.server.RequestException;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads submissions with their matches and decisions, and changes them for the packages that
 * decide about them (review, takeovers, retention), in the caller's transaction.
 */
public final class Submissions {

  private static final String COLUMNS = "id, content_id, account_id, amplifies_account, content_type, context, account_attributes, status, "
      + "media_type, CASE WHEN media IS NULL THEN FALSE ELSE TRUE END AS has_media, submitted_at, removed_at, retain_until, purged_at, signals";

  private final Jdbi jdbi;

  public Submissions(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public SubmissionView get(long id) {
    return jdbi.withHandle(h -> find(h, id)).orElseThrow(() -> RequestException.notFound("submission", id));
  }

  /** Every submission of the platform's content id, newest first. */
  public List<SubmissionView> byContentId(String contentId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id FROM submissions WHERE content_id = :c ORDER BY id DESC FETCH FIRST 100 ROWS ONLY")
        .bind("c", contentId)
        .mapTo(Long.class)
        .list()
        .stream()
        .map(id -> find(h, id).orElseThrow())
        .toList());
  }

  /**
   * Records content users reported, waiting for review ({@code in_review}), with no match and no
   * decision; in the caller's transaction. Returns its id.
   */
  public static long insertReported(Handle h, String contentId, String account, String contentType, java.util.Map<String, String> signals,
      long keyId, OffsetDateTime now, OffsetDateTime retainUntil) {
    return h.createUpdate("INSERT INTO submissions (content_id, account_id, content_type, signals, key_id, status, submitted_at, retain_until) "
            + "VALUES (:content, :account, :type, :signals, :key, :status, :now, :retain)")
        .bind("content", contentId)
        .bind("account", account)
        .bind("type", contentType)
        .bind("signals", JsonText.write(signals))
        .bind("key", keyId)
        .bind("status", SubmissionStatus.IN_REVIEW.wire())
        .bind("now", now)
        .bind("retain", retainUntil)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  public static Optional<SubmissionView> find(Handle h, long id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM submissions WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> view(h, rs))
        .findOne();
  }

  /** The media kept with a submission, if the platform sent any and it has not been purged. */
  public Optional<Media> media(long submissionId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT media, media_type FROM submissions WHERE id = :id AND media IS NOT NULL")
        .bind("id", submissionId)
        .map((rs, ctx) -> new Media(rs.getBytes("media"), rs.getString("media_type")))
        .findOne());
  }

  public static List<SubmissionView.MatchView> matches(Handle h, long submissionId) {
    return h.createQuery("SELECT bank_id, bank_name, entry_id, signal_type, query, distance, threshold, labels, entities, part "
            + "FROM submission_matches WHERE submission_id = :id ORDER BY distance, id")
        .bind("id", submissionId)
        .map((rs, ctx) -> new SubmissionView.MatchView(rs.getLong("bank_id"), rs.getString("bank_name"), rs.getLong("entry_id"),
            rs.getString("signal_type"), rs.getString("query"), rs.getInt("distance"), rs.getInt("threshold"),
            JsonText.stringList(rs.getString("labels")), JsonText.stringList(rs.getString("entities")),
            rs.getString("part") == null ? null : JsonText.tree(rs.getString("part"))))
        .list();
  }

  public static List<DecisionView> decisions(Handle h, long submissionId) {
    return h.createQuery("SELECT id, action, state, source, rule_id, rule_name, actor_key_id, reason, event_id, created_at "
            + "FROM decisions WHERE submission_id = :id ORDER BY id")
        .bind("id", submissionId)
        .map((rs, ctx) -> new DecisionView(rs.getLong("id"), rs.getString("action"),
            DecisionState.fromWire(rs.getString("state")), DecisionSource.fromWire(rs.getString("source")),
            rs.getObject("rule_id", Long.class), rs.getString("rule_name"), rs.getObject("actor_key_id", Long.class),
            rs.getString("reason"), rs.getString("event_id"), text(rs, "created_at")))
        .list();
  }

  /** Sets the submission's status (a reviewer cleared it, or an appeal reinstated it). */
  public static void setStatus(Handle h, long id, SubmissionStatus status) {
    h.createUpdate("UPDATE submissions SET status = :status WHERE id = :id").bind("status", status.wire()).bind("id", id).execute();
  }

  /**
   * A reviewer confirmed the content breaks policy: it is preserved until {@code retainUntil};
   * {@code removedAt} is when it was removed, or null if nothing removed it (an earlier removal
   * time is kept).
   */
  public static void markViolating(Handle h, long id, OffsetDateTime removedAt, OffsetDateTime retainUntil) {
    h.createUpdate("UPDATE submissions SET status = :status, removed_at = COALESCE(removed_at, :removed), "
            + "retain_until = :retain WHERE id = :id")
        .bind("status", SubmissionStatus.VIOLATING.wire())
        .bind("removed", removedAt)
        .bind("retain", retainUntil)
        .bind("id", id)
        .execute();
  }

  /**
   * Removed at {@code now} (an earlier removal time is kept) and preserved until at least
   * {@code keep} (a later time is kept), with {@code status}.
   */
  public static void markRemoved(Handle h, long id, SubmissionStatus status, OffsetDateTime now, OffsetDateTime keep) {
    h.createUpdate("""
            UPDATE submissions SET status = :status, removed_at = COALESCE(removed_at, :now),
                   retain_until = CASE WHEN retain_until < :keep THEN :keep ELSE retain_until END
            WHERE id = :id""")
        .bind("status", status.wire())
        .bind("now", now)
        .bind("keep", keep)
        .bind("id", id)
        .execute();
  }

  /** Drops the media and signals of the submissions {@code ids} not yet purged; returns how many it purged. */
  public static int purgeContent(Handle h, List<Long> ids, OffsetDateTime now) {
    // A text hit's part holds an excerpt of the content.
    h.createUpdate("UPDATE submission_matches SET part = NULL WHERE submission_id IN (<ids>) AND part IS NOT NULL")
        .bindList("ids", ids)
        .execute();
    return h.createUpdate("""
            UPDATE submissions SET media = NULL, media_type = NULL, signals = '{}', purged_at = :now
            WHERE id IN (<ids>) AND purged_at IS NULL""")
        .bind("now", now)
        .bindList("ids", ids)
        .execute();
  }

  private static SubmissionView view(Handle h, ResultSet rs) throws SQLException {
    long id = rs.getLong("id");
    return new SubmissionView(id, rs.getString("content_id"), rs.getString("account_id"), rs.getString("amplifies_account"),
        rs.getString("content_type"), rs.getString("context"), accountAttributes(rs.getString("account_attributes")),
        SubmissionStatus.fromWire(rs.getString("status")), rs.getBoolean("has_media"), rs.getString("media_type"),
        text(rs, "submitted_at"), text(rs, "removed_at"), text(rs, "retain_until"), text(rs, "purged_at"),
        JsonText.tree(rs.getString("signals")), matches(h, id), decisions(h, id));
  }

  private static List<String> accountAttributes(String json) {
    return json == null ? null : JsonText.stringList(json);
  }

  static String text(ResultSet rs, String column) throws SQLException {
    return Clock.text(rs.getObject(column, OffsetDateTime.class));
  }
}
