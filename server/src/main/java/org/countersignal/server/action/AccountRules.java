package org.countersignal.server.action;

import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.countersignal.server.match.MatchHit;
import org.countersignal.server.rules.Firing;
import org.countersignal.server.rules.RuleInput;
import org.countersignal.server.rules.Rules;
import org.countersignal.server.rules.Trigger;
import org.jdbi.v3.core.Handle;

/**
 * Rules on an account's record ({@code min_account_violations}, e.g. "recommend suspension after
 * three confirmed violations") are evaluated when a violation is established, by a reviewer's
 * confirmation or an automatic removal, not on every match; and each fires once per account, so
 * the fourth violation does not recommend the suspension again.
 */
public final class AccountRules {

  private AccountRules() {}

  /** The ids of the account rules whose other conditions {@code input} meets, whatever the account's count. */
  static Set<Long> accountRuleIds(Rules rules, RuleInput input) {
    Set<Long> ids = new HashSet<>();
    rules.evaluate(new RuleInput(input.hits(), input.contentType(), Integer.MAX_VALUE), Trigger.VIOLATION)
        .forEach(f -> ids.add(f.ruleId()));
    return ids;
  }

  /**
   * Evaluates the account rules after the submission {@code about} describes became a violation,
   * in the caller's transaction; returns whether any fired. Costs nothing when no account rule
   * could fire on these matches.
   *
   * @param about the submission as events describe it ({@link ActionEvents#content})
   */
  public static boolean afterViolation(Handle h, Rules rules, Map<String, Object> about, List<SubmissionView.MatchView> matches,
      OffsetDateTime now) {
    String account = (String) about.get("account");
    if (account == null) {
      return false;
    }
    List<MatchHit> hits = matches.stream()
        .map(m -> new MatchHit(m.bankId(), m.bankName(), m.entryId(), m.signalType(), m.query(), m.distance(), m.threshold(), null,
            m.labels(), m.entities()))
        .toList();
    String contentType = (String) about.get("type");
    if (accountRuleIds(rules, new RuleInput(hits, contentType, 0)).isEmpty()) {
      return false;
    }
    int violations = AccountViolations.confirmedViolations(h, account);
    String note = violations + " confirmed violations";
    long submission = (Long) about.get("submission_id");
    boolean fired = false;
    for (Firing firing : rules.evaluate(new RuleInput(hits, contentType, violations), Trigger.VIOLATION)) {
      boolean already = h.createQuery("SELECT COUNT(*) FROM decisions d JOIN submissions s ON s.id = d.submission_id "
              + "WHERE d.rule_id = :rule AND s.account_id = :account")
          .bind("rule", firing.ruleId()).bind("account", account).mapTo(Integer.class).one() > 0;
      if (!already) {
        long decision = Decisions.insert(h, submission, firing.ruleId(), firing.ruleName(), firing.action(), DecisionState.TAKEN,
            DecisionSource.RULE, null, note, now);
        ActionEvents.actionDecided(h, decision, firing.action(), DecisionSource.RULE, firing.ruleId(), firing.ruleName(), note, about, matches);
        fired = true;
      }
    }
    return fired;
  }
}
