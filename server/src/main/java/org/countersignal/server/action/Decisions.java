package org.countersignal.server.action;

import java.time.OffsetDateTime;
import org.jdbi.v3.core.Handle;

/** Writes decision rows. States and sources are the words the API shows. */
public final class Decisions {

  public static final String TAKEN = "taken";
  public static final String PENDING_REVIEW = "pending_review";
  public static final String CONFIRMED = "confirmed";
  public static final String REJECTED = "rejected";
  public static final String REINSTATED = "reinstated";

  public static final String RULE = "rule";
  public static final String REVIEW = "review";
  public static final String APPEAL = "appeal";
  public static final String TAKEOVER = "takeover";

  private Decisions() {}

  /** Inserts a decision; returns its id. */
  public static long insert(Handle h, long submissionId, Long ruleId, String ruleName, String action, String state, String source,
      Long actorKeyId, String reason, OffsetDateTime at) {
    return h.createUpdate("INSERT INTO decisions (submission_id, rule_id, rule_name, action, state, source, actor_key_id, reason, created_at) "
            + "VALUES (:s, :rule, :ruleName, :action, :state, :source, :actor, :reason, :at)")
        .bind("s", submissionId)
        .bind("rule", ruleId)
        .bind("ruleName", ruleName)
        .bind("action", action)
        .bind("state", state)
        .bind("source", source)
        .bind("actor", actorKeyId)
        .bind("reason", reason)
        .bind("at", at)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }
}
