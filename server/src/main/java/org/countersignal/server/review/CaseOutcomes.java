package org.countersignal.server.review;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.countersignal.server.RequestException;
import org.countersignal.server.action.ActionEvents;
import org.countersignal.server.action.AccountRules;
import org.countersignal.server.action.ActionPipeline;
import org.countersignal.server.action.DecisionSource;
import org.countersignal.server.action.DecisionState;
import org.countersignal.server.action.Decisions;
import org.countersignal.server.action.SubmissionStatus;
import org.countersignal.server.action.SubmissionView;
import org.countersignal.server.action.Submissions;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.rules.Rules;
import org.countersignal.server.store.Clock;
import org.countersignal.server.transparency.Ledger;
import org.jdbi.v3.core.Handle;

/** What each decision does to the case, its submission, its pending actions, and the account. */
final class CaseOutcomes {

  private final Rules rules;
  private final Duration retention;

  CaseOutcomes(Rules rules, Duration retention) {
    this.rules = rules;
    this.retention = retention;
  }

  /**
   * The content breaks a policy: the actions that waited for review are taken (and told to the
   * platform), removed content is preserved from now, and rules on the account's violation count
   * (e.g. recommend suspension after N) are evaluated.
   */
  void confirm(Handle h, CaseRow row, Principal reviewer, String reason, String policy) {
    OffsetDateTime now = Clock.now(h);
    SubmissionView s = Submissions.find(h, row.submissionId()).orElseThrow();
    Map<String, Object> about = ActionEvents.content(s.id(), s.contentId(), s.account(), s.contentType());
    boolean removed = false;
    boolean acted = false;
    for (var d : s.decisions()) {
      if (!DecisionState.PENDING_REVIEW.equals(d.state())) {
        continue;
      }
      Decisions.setState(h, d.id(), DecisionState.CONFIRMED);
      if (!ActionPipeline.REVIEW.equals(d.action())) {
        ActionEvents.actionDecided(h, d.id(), d.action(), DecisionSource.REVIEW, d.ruleId(), d.ruleName(), reason, about, s.matches());
        removed |= ActionPipeline.REMOVE.equals(d.action());
        acted = true;
      }
    }
    if (!acted) {
      // Nothing of ours acts on it (a report, or a rule that only asked for review): the finding itself is what reports count.
      Ledger.foundViolating(h, row.id(), s.id(), s.contentType(), ActionEvents.labels(s.matches()), ActionEvents.signalTypes(s.matches()));
    }
    Submissions.markViolating(h, s.id(), removed ? now : null, now.plus(retention));
    close(h, row, CaseStatus.CONFIRMED, CaseDecision.CONFIRM, reviewer, reason, policy, now);
    AccountRules.afterViolation(h, rules, about, s.matches(), now);
  }

  /**
   * The content does not break policy. As a false positive, the matched entries no longer lead
   * to action for these signal values; as benign, only this content is cleared.
   */
  void reject(Handle h, CaseRow row, Principal reviewer, String reason, String rejectAs) {
    if (!CaseDecision.FALSE_POSITIVE.equals(rejectAs) && !CaseDecision.BENIGN.equals(rejectAs)) {
      throw RequestException.invalid("reject_as", "false_positive (the bank entry does not depict this content) or benign");
    }
    OffsetDateTime now = Clock.now(h);
    SubmissionView s = Submissions.find(h, row.submissionId()).orElseThrow();
    if (CaseDecision.FALSE_POSITIVE.equals(rejectAs)) {
      for (var m : s.matches()) {
        boolean known = h.createQuery("SELECT COUNT(*) FROM false_positives WHERE entry_id = :e AND signal_type = :t AND query = :q")
            .bind("e", m.entryId()).bind("t", m.signalType()).bind("q", m.query()).mapTo(Integer.class).one() > 0;
        if (!known) {
          h.createUpdate("INSERT INTO false_positives (entry_id, signal_type, query, case_id, created_at) VALUES (:e, :t, :q, :c, :now)")
              .bind("e", m.entryId()).bind("t", m.signalType()).bind("q", m.query()).bind("c", row.id()).bind("now", now).execute();
        }
      }
    }
    for (var d : s.decisions()) {
      if (DecisionState.PENDING_REVIEW.equals(d.state())) {
        Decisions.setState(h, d.id(), DecisionState.REJECTED);
      }
    }
    Submissions.setStatus(h, s.id(), SubmissionStatus.BENIGN);
    close(h, row, CaseStatus.REJECTED, rejectAs, reviewer, reason, null, now);
  }

  /** Sends the case up: above every case not escalated, for a reviewer other than this one. */
  void escalate(Handle h, CaseRow row, Principal reviewer, String reason) {
    if (row.status() == CaseStatus.ESCALATED) {
      throw RequestException.invalid("outcome", "the case is escalated already; confirm or reject it");
    }
    h.createUpdate("UPDATE cases SET status = " + CaseStatus.ESCALATED.sql() + ", priority = priority + :boost, claimed_by = NULL, lease_until = NULL, "
            + "excluded_key = :k, reason = :reason WHERE id = :id")
        .bind("boost", Priority.ESCALATION).bind("k", reviewer.keyId()).bind("reason", reason).bind("id", row.id()).execute();
  }

  /** Uphold keeps the removal; reinstate undoes it and tells the platform to restore the content. */
  void decideAppeal(Handle h, CaseRow row, Principal reviewer, String outcome, String reason) {
    OffsetDateTime now = Clock.now(h);
    SubmissionView s = Submissions.find(h, row.submissionId()).orElseThrow();
    switch (outcome) {
      case CaseDecision.UPHOLD -> {
        Appeals.close(h, row.appealId(), AppealStatus.UPHELD, reviewer, reason, now);
        close(h, row, CaseStatus.UPHELD, CaseDecision.UPHOLD, reviewer, reason, null, now);
      }
      case CaseDecision.REINSTATE -> {
        for (var d : s.decisions()) {
          if (ActionPipeline.REMOVE.equals(d.action()) && (DecisionState.TAKEN.equals(d.state()) || DecisionState.CONFIRMED.equals(d.state()))) {
            Decisions.setState(h, d.id(), DecisionState.REINSTATED);
          }
        }
        long decision = Decisions.insert(h, s.id(), null, null, "reinstate", DecisionState.TAKEN, DecisionSource.APPEAL, reviewer.keyId(), reason, now);
        Submissions.setStatus(h, s.id(), SubmissionStatus.REINSTATED);
        Appeals.close(h, row.appealId(), AppealStatus.REINSTATED, reviewer, reason, now);
        close(h, row, CaseStatus.REINSTATED, CaseDecision.REINSTATE, reviewer, reason, null, now);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("decision_id", decision);
        payload.put("appeal_id", row.appealId());
        payload.put("reason", reason);
        payload.put("content", ActionEvents.content(s.id(), s.contentId(), s.account(), s.contentType()));
        ActionEvents.tell(h, decision, ActionEvents.CONTENT_REINSTATED, payload);
      }
      default -> throw RequestException.invalid("outcome", "uphold or reinstate for an appeal");
    }
  }

  private static void close(Handle h, CaseRow row, CaseStatus status, String outcome, Principal reviewer, String reason, String policy,
      OffsetDateTime now) {
    h.createUpdate("UPDATE cases SET status = :status, outcome = :outcome, reason = :reason, policy = :policy, decided_by = :k, "
            + "decided_at = :now, claimed_by = NULL, lease_until = NULL WHERE id = :id")
        .bind("status", status.wire()).bind("outcome", outcome).bind("reason", reason).bind("policy", policy)
        .bind("k", reviewer.keyId()).bind("now", now).bind("id", row.id()).execute();
  }
}
