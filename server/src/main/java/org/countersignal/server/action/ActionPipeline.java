package org.countersignal.server.action;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.exchange.Exchanges;
import org.countersignal.server.flood.FloodGuard;
import org.countersignal.server.match.MatchHit;
import org.countersignal.server.match.VideoHit;
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
  private final CaseOpener cases;

  /**
   * @param retention how long content is kept after it is submitted or removed
   * @param cases opens the review case of a submission that waits for a reviewer
   */
  public ActionPipeline(Jdbi jdbi, Rules rules, Duration retention, CaseOpener cases) {
    this.jdbi = jdbi;
    this.rules = rules;
    this.retention = retention;
    this.cases = cases;
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

  /**
   * Decides first (rules need only the hits and the false-positive list), then writes each row
   * once with its final state: a match that fires rules costs a handful of statements.
   */
  private Outcome submit(Handle h, Principal caller, ContentInfo content, Map<String, List<String>> signals, List<MatchHit> hits,
      Media media) {
    OffsetDateTime now = Clock.now(h);
    List<MatchHit> actionable = hits.isEmpty() ? hits : withoutFalsePositives(h, hits);
    List<Firing> firings = new ArrayList<>();
    if (!actionable.isEmpty()) {
      // The match trigger leaves account rules to AccountRules (after a violation), so no violation count is needed here.
      firings.addAll(rules.evaluate(new RuleInput(actionable, content.type(), 0, content.context(), content.accountAttributes()),
          Trigger.MATCH));
      firings = heldForReview(h, firings, actionable, content.type());
      if (content.protectedContext()) {
        firings = firings.stream().map(ActionPipeline::waitingForReview).toList();
      }
    }
    boolean review = firings.stream().anyMatch(ActionPipeline::waitsForReview);
    boolean removed = firings.stream().anyMatch(f -> !waitsForReview(f) && REMOVE.equals(f.action()));
    SubmissionStatus status = hits.isEmpty() ? SubmissionStatus.CLEAN : firings.isEmpty() ? SubmissionStatus.MATCHED
        : review ? SubmissionStatus.IN_REVIEW : SubmissionStatus.ACTIONED;
    long id = h.createUpdate("INSERT INTO submissions (content_id, account_id, amplifies_account, content_type, context, "
            + "account_attributes, signals, media, media_type, key_id, status, submitted_at, removed_at, retain_until) "
            + "VALUES (:content, :account, :amplifies, :type, :context, :attributes, :signals, :media, :mediaType, :key, :status, :now, "
            + ":removed, :retain)")
        .bind("content", content.id())
        .bind("account", content.account())
        .bind("amplifies", content.amplifies())
        .bind("type", content.type())
        .bind("context", content.context())
        .bind("attributes", content.accountAttributes() == null ? null : JsonText.write(content.accountAttributes()))
        .bind("signals", JsonText.write(signals))
        // Media is kept only when something matched: it may be reviewed or preserved; the rest is none of our business.
        .bind("media", media == null || hits.isEmpty() ? null : media.bytes())
        .bind("mediaType", media == null || hits.isEmpty() ? null : media.mediaType())
        .bind("key", caller.keyId())
        .bind("status", status.wire())
        .bind("now", now)
        .bind("removed", removed ? now : null)
        .bind("retain", now.plus(retention))
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
    if (hits.isEmpty()) {
      return new Outcome(id, content.id(), status, List.of(), null);
    }
    var batch = h.prepareBatch("INSERT INTO submission_matches (submission_id, bank_id, bank_name, entry_id, signal_type, query, "
        + "distance, threshold, labels, entities, part) "
        + "VALUES (:s, :bank, :bankName, :entry, :type, :query, :distance, :threshold, :labels, :entities, :part)");
    List<SubmissionView.MatchView> matches = new ArrayList<>();
    for (MatchHit hit : hits) {
      String part = hit.part() == null ? null : JsonText.write(hit.part());
      batch.bind("s", id).bind("bank", hit.bankId()).bind("bankName", hit.bankName()).bind("entry", hit.entryId())
          .bind("type", hit.signalType()).bind("query", hit.query()).bind("distance", hit.distance())
          .bind("threshold", hit.threshold()).bind("labels", JsonText.write(hit.labels()))
          .bind("entities", JsonText.write(hit.entities())).bind("part", part).add();
      matches.add(new SubmissionView.MatchView(hit.bankId(), hit.bankName(), hit.entryId(), hit.signalType(), hit.query(),
          hit.distance(), hit.threshold(), hit.labels(), hit.entities(), part == null ? null : JsonText.tree(part)));
    }
    batch.execute();
    if (firings.isEmpty()) {
      return new Outcome(id, content.id(), status, List.of(), null);
    }
    Map<String, Object> about = ActionEvents.content(id, content.id(), content.account(), content.type());
    List<DecisionView> decisions = new ArrayList<>();
    for (Firing firing : firings) {
      boolean waits = waitsForReview(firing);
      DecisionState state = waits ? DecisionState.PENDING_REVIEW : DecisionState.TAKEN;
      long decision = Decisions.insert(h, id, firing.ruleId(), firing.ruleName(), firing.action(), state, DecisionSource.RULE, null, null, now);
      String event = waits ? null
          : ActionEvents.actionDecided(h, decision, firing.action(), DecisionSource.RULE, firing.ruleId(), firing.ruleName(), null, about, matches);
      decisions.add(new DecisionView(decision, firing.action(), state, DecisionSource.RULE, firing.ruleId(), firing.ruleName(), null, null,
          event, Clock.text(now)));
    }
    Long caseId = null;
    if (review) {
      CaseOpener.Opened opened = cases.openMatchCase(h, id, actionable, now);
      caseId = opened.id();
      List<String> pending = decisions.stream().filter(d -> d.state() == DecisionState.PENDING_REVIEW).map(DecisionView::action).toList();
      ActionEvents.caseOpened(h, caseId, opened.priority(), pending, about, matches);
    }
    if (removed && AccountRules.afterViolation(h, rules, about, matches, now)) {
      return new Outcome(id, content.id(), status, Submissions.decisions(h, id), caseId);
    }
    return new Outcome(id, content.id(), status, decisions, caseId);
  }

  /**
   * The poisoning and flood guards: a rule that fires only because of hits on banks of exchanges
   * not yet trusted, or on entries the flood guard holds ({@link FloodGuard}), waits for a
   * reviewer, whatever its action. Rules are evaluated again on the other hits alone; those that
   * still fire act as they say.
   */
  private List<Firing> heldForReview(Handle h, List<Firing> firings, List<MatchHit> hits, String contentType) {
    if (firings.stream().allMatch(ActionPipeline::waitsForReview)) {
      return firings;
    }
    Set<Long> heldBanks = Exchanges.reviewFirstBanks(h);
    Set<Long> heldEntries = FloodGuard.held(h, hits.stream().map(MatchHit::entryId).toList());
    java.util.function.Predicate<MatchHit> held = hit -> heldBanks.contains(hit.bankId()) || heldEntries.contains(hit.entryId());
    if (hits.stream().noneMatch(held)) {
      return firings;
    }
    List<MatchHit> trusted = hits.stream().filter(held.negate()).toList();
    Set<Long> firedOnTrusted = new HashSet<>();
    if (!trusted.isEmpty()) {
      rules.evaluate(new RuleInput(trusted, contentType, 0), Trigger.MATCH).forEach(f -> firedOnTrusted.add(f.ruleId()));
    }
    List<Firing> guarded = new ArrayList<>(firings.size());
    for (Firing firing : firings) {
      guarded.add(firedOnTrusted.contains(firing.ruleId()) || waitsForReview(firing) ? firing
          : new Firing(firing.ruleId(), firing.ruleName(), firing.action(), true, firing.priority()));
    }
    return guarded;
  }

  private static Firing waitingForReview(Firing firing) {
    return waitsForReview(firing) ? firing : new Firing(firing.ruleId(), firing.ruleName(), firing.action(), true, firing.priority());
  }

  private static boolean waitsForReview(Firing firing) {
    return REVIEW.equals(firing.action()) || firing.reviewFirst();
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
