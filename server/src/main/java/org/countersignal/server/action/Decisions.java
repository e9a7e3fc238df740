package org.countersignal.server.action;

import java.time.OffsetDateTime;
import org.jdbi.v3.core.Handle;

/** Writes decision rows. */
public final class Decisions {

  private Decisions() {}

  /** Moves a decision to {@code state} (a reviewer confirmed or rejected it, or an appeal undid it). */
  public static void setState(Handle h, long decisionId, DecisionState state) {
    h.createUpdate("UPDATE decisions SET state = :state WHERE id = :id").bind("state", state.wire()).bind("id", decisionId).execute();
  }

  /** Inserts a decision; returns its id. */
  public static long insert(Handle h, long submissionId, Long ruleId, String ruleName, String action, DecisionState state, DecisionSource source,
      Long actorKeyId, String reason, OffsetDateTime at) {
    return h.createUpdate("INSERT INTO decisions (submission_id, rule_id, rule_name, action, state, source, actor_key_id, reason, created_at) "
            + "VALUES (:s, :rule, :ruleName, :action, :state, :source, :actor, :reason, :at)")
        .bind("s", submissionId)
        .bind("rule", ruleId)
        .bind("ruleName", ruleName)
        .bind("action", action)
        .bind("state", state.wire())
        .bind("source", source.wire())
        .bind("actor", actorKeyId)
        .bind("reason", reason)
        .bind("at", at)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }
}
