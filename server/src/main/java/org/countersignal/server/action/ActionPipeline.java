package org.countersignal.server.action;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.match.MatchHit;
import org.countersignal.server.match.VideoHit;
import org.countersignal.server.review.Priority;
import org.countersignal.server.rules.Firing;
import org.countersignal.server.rules.RuleInput;
import org.countersignal.server.rules.Rules;
import org.countersignal.server.rules.Trigger;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * From match to action. A match the platform submits is recorded with what it matched; the
 * action rules are evaluated on its hits; each rule that fires becomes a decision, either taken
 * at once (and told to the platform through the webhook outbox) or waiting for a reviewer in a
 * review case. All of it commits in one transaction, so a decision is never told without being
 * recorded, nor recorded without being told.
 */
public final class ActionPipeline {

  /** The action that only asks for a reviewer's look. */
  public static final String REVIEW = "review";
  /** The action that takes content down; removed content is preserved for the retention period. */
  public static final String REMOVE = "remove";

  private final Jdbi jdbi;
  private final Rules rules;
  private final Duration retention;

  /** @param retention how long content is kept after it is submitted or removed */
  public ActionPipeline(Jdbi jdbi, Rules rules, Duration retention) {
    this.jdbi = jdbi;
    this.rules = rules;
    this.retention = retention;
  }

  public Duration retention() {
    return retention;
  }

  /**
   * Records a submission and acts on its hits. Callers check {@code content} first ({@link
   * ContentInfo#checked}) so a bad field is refused before any work.
   *
   * @param signals the content's signals, type to values (for review, bank additions and audit)
   * @param media the content bytes when the platform sent them, else null
   */
  public Outcome submit(Principal caller, ContentInfo content, Map<String, List<String>> signals, List<MatchHit> hits, Media media) {
    return jdbi.inTransaction(h -> submit(h, caller, content, signals, hits, media));
  }

  private Outcome submit(Handle h, Principal caller, ContentInfo content, Map<String, List<String>> signals, List<MatchHit> hits,
      Media media) {
    OffsetDateTime now = Clock.now();
    long id = h.createUpdate("INSERT INTO submissions (content_id, account_id, amplifies_account, content_type, signals, media, "
            + "media_type, key_id, status, submitted_at, retain_until) "
            + "VALUES (:content, :account, :amplifies, :type, :signals, :media, :mediaType, :key, :status, :now, :retain)")
        .bind("content", content.id())
        .bind("account", content.account())
        .bind("amplifies", content.amplifies())
        .bind("type", content.type())
        .bind("signals", JsonText.write(signals))
        // Media is kept only when something matched: it may be reviewed or preserved; the rest is none of our business.
        .bind("media", media == null || hits.isEmpty() ? null : media.bytes())
        .bind("mediaType", media == null || hits.isEmpty() ? null : media.mediaType())
        .bind("key", caller.keyId())
        .bind("status", hits.isEmpty() ? "clean" : "matched")
        .bind("now", now)
        .bind("retain", now.plus(retention))
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
    if (hits.isEmpty()) {
      return new Outcome(id, content.id(), "clean", List.of(), null);
    }
    var batch = h.prepareBatch("INSERT INTO submission_matches (submission_id, bank_id, bank_name, entry_id, signal_type, query, "
        + "distance, threshold, labels, entities) VALUES (:s, :bank, :bankName, :entry, :type, :query, :distance, :threshold, :labels, :entities)");
    for (MatchHit hit : hits) {
      batch.bind("s", id).bind("bank", hit.bankId()).bind("bankName", hit.bankName()).bind("entry", hit.entryId())
          .bind("type", hit.signalType()).bind("query", hit.query()).bind("distance", hit.distance())
          .bind("threshold", hit.threshold()).bind("labels", JsonText.write(hit.labels()))
          .bind("entities", JsonText.write(hit.entities())).add();
    }
    batch.execute();

    List<MatchHit> actionable = withoutFalsePositives(h, hits);
    // Account rules are left to AccountRules (after a violation), so the count is not needed here.
    RuleInput input = new RuleInput(actionable, content.type(), 0);
    List<Firing> firings = new ArrayList<>();
    if (!actionable.isEmpty()) {
      Set<Long> accountRules = AccountRules.accountRuleIds(rules, input);
      rules.evaluate(input, Trigger.MATCH).stream().filter(f -> !accountRules.contains(f.ruleId())).forEach(firings::add);
    }
    if (firings.isEmpty()) {
      return new Outcome(id, content.id(), "matched", List.of(), null);
    }
    List<SubmissionView.MatchView> matches = Submissions.matches(h, id);
    Map<String, Object> about = ActionEvents.content(id, content.id(), content.account(), content.type());
    boolean review = false;
    boolean removed = false;
    for (Firing firing : firings) {
      boolean waits = REVIEW.equals(firing.action()) || firing.reviewFirst();
      long decision = Decisions.insert(h, id, firing.ruleId(), firing.ruleName(), firing.action(),
          waits ? Decisions.PENDING_REVIEW : Decisions.TAKEN, Decisions.RULE, null, null, now);
      if (waits) {
        review = true;
      } else {
        ActionEvents.actionDecided(h, decision, firing.action(), Decisions.RULE, firing.ruleId(), firing.ruleName(), null, about, matches);
        removed |= REMOVE.equals(firing.action());
      }
    }
    String status = review ? "in_review" : "actioned";
    Long caseId = null;
    if (review) {
      caseId = h.createUpdate("INSERT INTO cases (kind, submission_id, status, priority, created_at) "
              + "VALUES ('match', :s, 'open', :priority, :now)")
          .bind("s", id)
          .bind("priority", Priority.of(h, actionable))
          .bind("now", now)
          .executeAndReturnGeneratedKeys("id")
          .mapTo(Long.class)
          .one();
    }
    h.createUpdate("UPDATE submissions SET status = :status, removed_at = :removed, retain_until = :retain WHERE id = :id")
        .bind("status", status)
        .bind("removed", removed ? now : null)
        .bind("retain", now.plus(retention))
        .bind("id", id)
        .execute();
    if (removed) {
      AccountRules.afterViolation(h, rules, Submissions.find(h, id).orElseThrow(), now);
    }
    return new Outcome(id, content.id(), status, Submissions.decisions(h, id), caseId);
  }

  /**
   * A video hit as rules see hits: its distance is the share of the bank video's frames left
   * unmatched (in %), its threshold the most the bank allows, so "max_distance" reads the same
   * way for both.
   */
  public static MatchHit ruleHit(VideoHit hit) {
    return new MatchHit(hit.bankId(), hit.bankName(), hit.entryId(), hit.signalType(), "video",
        (int) Math.round(100 - hit.bankMatchedPercent()), 100 - hit.minBankMatchedPercent(), null, hit.labels(), hit.entities());
  }

  /** Hits a reviewer already judged to be false positives (that value against that entry) lead to no action. */
  private static List<MatchHit> withoutFalsePositives(Handle h, List<MatchHit> hits) {
    Set<Long> entries = new HashSet<>();
    hits.forEach(hit -> entries.add(hit.entryId()));
    Set<String> known = new HashSet<>(h.createQuery("SELECT entry_id, signal_type, query FROM false_positives WHERE entry_id IN (<entries>)")
        .bindList("entries", List.copyOf(entries))
        .map((rs, ctx) -> rs.getLong("entry_id") + "|" + rs.getString("signal_type") + "|" + rs.getString("query"))
        .list());
    if (known.isEmpty()) {
      return hits;
    }
    List<MatchHit> kept = new ArrayList<>();
    for (MatchHit hit : hits) {
      if (!known.contains(hit.entryId() + "|" + hit.signalType() + "|" + hit.query())) {
        kept.add(hit);
      }
    }
    return kept;
  }
}
