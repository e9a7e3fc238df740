package org.countersignal.server;

import java.time.OffsetDateTime;
import org.jdbi.v3.core.Handle;

/**
 * Submissions, matches, decisions, cases and appeals written straight into the database, as the
 * match and review paths write them, so account and retention tests can set up any history.
 */
final class AccountRows {

  private AccountRows() {}

  static long submission(Handle h, String contentId, String account, String amplifies, String status,
      OffsetDateTime submittedAt, OffsetDateTime retainUntil) {
    return h.createUpdate("""
            INSERT INTO submissions (content_id, account_id, amplifies_account, content_type, signals, media, media_type,
                                     key_id, status, submitted_at, retain_until)
            VALUES (:content, :account, :amplifies, 'photo', :signals, :media, 'image/png', 1, :status, :at, :retain)""")
        .bind("content", contentId)
        .bind("account", account)
        .bind("amplifies", amplifies)
        .bind("signals", "{\"md5\":[\"" + "a".repeat(32) + "\"]}")
        .bind("media", new byte[] {1, 2, 3, 4})
        .bind("status", status)
        .bind("at", submittedAt)
        .bind("retain", retainUntil)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  static void match(Handle h, long submissionId, String bank, long entryId, int distance, String labelsJson) {
    h.createUpdate("""
            INSERT INTO submission_matches (submission_id, bank_id, bank_name, entry_id, signal_type, query, distance,
                                            threshold, labels, entities)
            VALUES (:submission, 1, :bank, :entry, 'pdq', :query, :distance, 31, :labels, '[]')""")
        .bind("submission", submissionId)
        .bind("bank", bank)
        .bind("entry", entryId)
        .bind("query", "f".repeat(64))
        .bind("distance", distance)
        .bind("labels", labelsJson)
        .execute();
  }

  static long decision(Handle h, long submissionId, String action, String state, String source) {
    return h.createUpdate("""
            INSERT INTO decisions (submission_id, action, state, source, rule_name, created_at)
            VALUES (:submission, :action, :state, :source, :rule, :now)""")
        .bind("submission", submissionId)
        .bind("action", action)
        .bind("state", state)
        .bind("source", source)
        .bind("rule", "rule".equals(source) ? "test rule" : null)
        .bind("now", OffsetDateTime.now())
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  static void removed(Handle h, long submissionId, OffsetDateTime at) {
    h.createUpdate("UPDATE submissions SET removed_at = :at WHERE id = :id").bind("at", at).bind("id", submissionId).execute();
  }

  static void reviewCase(Handle h, long submissionId, String status) {
    h.createUpdate("""
            INSERT INTO cases (kind, submission_id, status, priority, created_at)
            VALUES ('match', :submission, :status, 3, :now)""")
        .bind("submission", submissionId)
        .bind("status", status)
        .bind("now", OffsetDateTime.now())
        .execute();
  }

  static void appeal(Handle h, long submissionId, String status) {
    h.createUpdate("""
            INSERT INTO appeals (submission_id, statement, status, key_id, created_at, due_at)
            VALUES (:submission, 'it was news reporting', :status, 1, :now, :now)""")
        .bind("submission", submissionId)
        .bind("status", status)
        .bind("now", OffsetDateTime.now())
        .execute();
  }
}
