package org.countersignal.server.review;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.TextFields;
import org.countersignal.server.action.ActionEvents;
import org.countersignal.server.action.ActionPipeline;
import org.countersignal.server.action.DecisionSource;
import org.countersignal.server.action.DecisionState;
import org.countersignal.server.action.Media;
import org.countersignal.server.action.SubmissionView;
import org.countersignal.server.action.Submissions;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.bank.NewEntry;
import org.countersignal.server.store.Clock;
import org.countersignal.server.webhook.Outbox;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The review queue. Matches that rules send to review, and appeals, become cases; a reviewer
 * claims a case for a lease time (so two reviewers do not work the same one), then decides it.
 * A decision commits with its audit record and the events that tell the platform.
 */
public final class ReviewQueue {

  private static final Logger LOG = LoggerFactory.getLogger(ReviewQueue.class);
  private static final int MAX_REASON = 4000;
  private static final int MAX_POLICY = 200;

  private final Jdbi jdbi;
  private final Submissions submissions;
  private final CaseOutcomes outcomes;
  private final EntryService entries;
  private final Duration lease;
  private final List<CaseDecidedHook> hooks = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * @param lease how long a claim holds; a reviewer who walks away frees the case when it ends
   */
  public ReviewQueue(Jdbi jdbi, ActionPipeline pipeline, org.countersignal.server.rules.Rules rules, EntryService entries, Duration lease) {
    this.jdbi = jdbi;
    this.submissions = new Submissions(jdbi);
    this.outcomes = new CaseOutcomes(rules, pipeline.retention());
    this.entries = entries;
    this.lease = lease;
  }

  /** {@code hook} is told of every decision from now on, in the decision's transaction. */
  public void onDecided(CaseDecidedHook hook) {
    hooks.add(hook);
  }

  /**
   * Open cases, overdue appeals first, then by priority (highest first) and age (oldest first).
   */
  public List<CaseSummary> queue(int limit) {
    return jdbi.withHandle(h -> QueueListing.first(h, limit));
  }

  /** A page of at most {@code size} open cases that {@code filter} lets through, in the queue's order, from {@code from} (null: the first). */
  public QueueSlice queue(QueueFilter filter, QueueCursor from, int size) {
    return jdbi.withHandle(h -> QueueListing.slice(h, filter, from, size));
  }

  /** The note and provenance of each of {@code entryIds}, deleted ones included (as not kept). */
  public Map<Long, EntryNote> entryNotes(java.util.Collection<Long> entryIds) {
    Map<Long, EntryNote> notes = new LinkedHashMap<>();
    entryIds.forEach(id -> notes.put(id, new EntryNote(id, false, null, null)));
    if (!entryIds.isEmpty()) {
      jdbi.useHandle(h -> h.createQuery("SELECT id, note, provenance FROM entries WHERE id IN (<ids>)")
          .bindList("ids", List.copyOf(entryIds))
          .map((rs, ctx) -> new EntryNote(rs.getLong("id"), true, rs.getString("note"), rs.getString("provenance")))
          .forEach(note -> notes.put(note.entryId(), note)));
    }
    return notes;
  }

  /**
   * For an appeal case, the decision it appeals: the latest confirmation of its content in a
   * case, else the latest removal a rule took without review. Empty for other cases, and for an
   * appeal whose removal left no record (its submission's decisions purged).
   */
  public Optional<AppealedDecision> appealedDecision(CaseDetail appealCase) {
    if (!CaseKind.APPEAL.wire().equals(appealCase.kind())) {
      return Optional.empty();
    }
    SubmissionView s = appealCase.submission();
    Optional<AppealedDecision> reviewed = jdbi.withHandle(h -> h.createQuery("SELECT id, outcome, reason, policy, decided_by, decided_at "
            + "FROM cases WHERE submission_id = :s AND kind <> " + CaseKind.APPEAL.sql() + " AND status = " + CaseStatus.CONFIRMED.sql()
            + " ORDER BY decided_at DESC, id DESC FETCH FIRST 1 ROWS ONLY")
        .bind("s", s.id())
        .map((rs, ctx) -> new AppealedDecision(AppealedDecision.Source.REVIEW, rs.getLong("id"), rs.getObject("decided_by", Long.class), null,
            Clock.text(rs.getObject("decided_at", OffsetDateTime.class)), rs.getString("outcome"), rs.getString("reason"), rs.getString("policy")))
        .findOne());
    if (reviewed.isPresent() || s.decisions() == null) {
      return reviewed;
    }
    return s.decisions().stream()
        .filter(d -> ActionPipeline.REMOVE.equals(d.action()) && d.source() == DecisionSource.RULE && d.state() == DecisionState.TAKEN)
        .reduce((first, second) -> second)
        .map(d -> new AppealedDecision(AppealedDecision.Source.RULE, null, null, d.ruleName(), d.createdAt(), d.action(), d.reason(), null));
  }

  public CaseDetail get(long caseId) {
    return jdbi.withHandle(h -> detail(h, caseId));
  }

  /** The media the platform sent with a submission, while it is kept. */
  public Optional<Media> media(long submissionId) {
    return submissions.media(submissionId);
  }

  /** Takes the case for {@code lease}; a claim by someone else that has not lapsed is a conflict. */
  public CaseDetail claim(long caseId, Principal reviewer) {
    return jdbi.inTransaction(h -> {
      CaseRow row = CaseRow.lock(h, caseId);
      OffsetDateTime now = Clock.now(h);
      row.requireOpen();
      if (row.excludedKey() != null && row.excludedKey() == reviewer.keyId()) {
        throw new RequestException(Kind.FORBIDDEN, row.isAppeal()
            ? "you took the decision this appeal is against; a different reviewer must decide it"
            : "you escalated this case; a different reviewer must decide it");
      }
      if (row.heldByOther(reviewer, now)) {
        throw new RequestException(Kind.CONFLICT, "reviewer " + row.claimedBy() + " has claimed this case until " + Clock.text(row.leaseUntil()));
      }
      OffsetDateTime until = now.plus(lease);
      h.createUpdate("UPDATE cases SET claimed_by = :k, lease_until = :until WHERE id = :id")
          .bind("k", reviewer.keyId()).bind("until", until).bind("id", caseId).execute();
      AuditLog.append(h, reviewer.keyId(), "case.claimed", "case", caseId, null, Map.of("lease_until", Clock.text(until)));
      return detail(h, caseId);
    });
  }

  /** Gives the case back to the queue before the lease ends. */
  public CaseDetail release(long caseId, Principal reviewer) {
    return jdbi.inTransaction(h -> {
      CaseRow row = CaseRow.lock(h, caseId);
      row.requireOpen();
      row.requireHeldBy(reviewer, Clock.now(h));
      h.createUpdate("UPDATE cases SET claimed_by = NULL, lease_until = NULL WHERE id = :id").bind("id", caseId).execute();
      AuditLog.append(h, reviewer.keyId(), "case.released", "case", caseId, null, null);
      return detail(h, caseId);
    });
  }

  /**
   * Decides a case the reviewer holds. For a confirmation that asks to add the content to a
   * bank, the entry is made once the decision has committed; the decision stands if that fails
   * (say, the bank already has the signals), and the case then names no new entry.
   */
  public CaseDetail decide(long caseId, Principal reviewer, CaseDecision decision) {
    if (decision == null || decision.outcome() == null) {
      throw RequestException.invalid("outcome", "one of confirm, reject, escalate (a match case) or uphold, reinstate (an appeal)");
    }
    String reason = required(decision.reason(), "reason", MAX_REASON, "give the reason for the decision");
    CaseDetail decided = jdbi.inTransaction(h -> {
      CaseRow row = CaseRow.lock(h, caseId);
      row.requireOpen();
      row.requireHeldBy(reviewer, Clock.now(h));
      CaseDetail before = detail(h, caseId);
      if (row.isAppeal()) {
        outcomes.decideAppeal(h, row, reviewer, decision.outcome(), reason);
      } else {
        switch (decision.outcome()) {
          case CaseDecision.CONFIRM -> {
            String policy = TextFields.line(required(decision.policy(), "policy", MAX_POLICY, "name the policy the content breaks"), "policy");
            if (decision.addToBank() != null && h.createQuery("SELECT COUNT(*) FROM banks WHERE id = :id")
                .bind("id", decision.addToBank()).mapTo(Integer.class).one() == 0) {
              throw RequestException.invalid("add_to_bank", "bank " + decision.addToBank() + " does not exist");
            }
            outcomes.confirm(h, row, reviewer, reason, policy);
          }
          case CaseDecision.REJECT -> outcomes.reject(h, row, reviewer, reason, decision.rejectAs());
          case CaseDecision.ESCALATE -> outcomes.escalate(h, row, reviewer, reason);
          default -> throw RequestException.invalid("outcome", "one of confirm, reject or escalate for a match case");
        }
      }
      CaseDetail after = detail(h, caseId);
      AuditLog.append(h, reviewer.keyId(), "case.decided", "case", caseId, brief(before), brief(after));
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("case_id", caseId);
      event.put("kind", after.kind());
      event.put("outcome", decision.outcome());
      event.put("reject_as", after.rejectAs());
      event.put("reason", reason);
      event.put("policy", after.policy());
      event.put("reviewer", reviewer.keyId());
      SubmissionView s = after.submission();
      event.put("content", ActionEvents.content(s.id(), s.contentId(), s.account(), s.contentType()));
      Outbox.enqueue(h, row.isAppeal() ? ActionEvents.APPEAL_DECIDED : ActionEvents.CASE_DECIDED, event);
      for (CaseDecidedHook hook : hooks) {
        hook.decided(h, caseId, row.kind(), decision.outcome(), after.rejectAs());
      }
      return after;
    });
    if (CaseDecision.CONFIRM.equals(decision.outcome()) && decision.addToBank() != null) {
      return decided.withAddedEntry(addToBank(reviewer, decided, decision.addToBank()));
    }
    return decided;
  }

  private Long addToBank(Principal reviewer, CaseDetail decided, long bankId) {
    SubmissionView s = decided.submission();
    Map<String, String> signals = new LinkedHashMap<>();
    s.signals().fields().forEachRemaining(f -> {
      var value = f.getValue().isArray() ? f.getValue().path(0) : f.getValue();
      if (value.isTextual()) {
        signals.put(f.getKey(), value.asText());
      }
    });
    Set<String> labels = new LinkedHashSet<>();
    Set<String> entities = new LinkedHashSet<>();
    s.matches().forEach(m -> {
      labels.addAll(m.labels());
      entities.addAll(m.entities());
    });
    try {
      return entries.create(reviewer, bankId, new NewEntry(signals, List.copyOf(labels), List.copyOf(entities),
          "confirmed in review case " + decided.id() + ": " + decided.policy(), "review case " + decided.id())).id();
    } catch (RequestException e) {
      LOG.info("Case {} confirmed, but its content was not added to bank {}: {}", decided.id(), bankId, e.getMessage());
      return null;
    }
  }

  private static Map<String, Object> brief(CaseDetail c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", c.status());
    out.put("priority", c.priority());
    out.put("outcome", c.outcome());
    out.put("reject_as", c.rejectAs());
    out.put("reason", c.reason());
    out.put("policy", c.policy());
    out.put("submission_status", c.submission().status());
    return out;
  }

  /** Free text a decision or an appeal must carry (a reason, a statement, a policy's name). */
  static String required(String value, String field, int max, String hint) {
    if (value == null || value.isBlank()) {
      throw RequestException.invalid(field, hint);
    }
    if (value.length() > max) {
      throw RequestException.invalid(field, "at most " + max + " characters");
    }
    return TextFields.paragraphs(value.strip(), field);
  }

  static CaseDetail detail(Handle h, long caseId) {
    return h.createQuery("SELECT * FROM cases WHERE id = :id")
        .bind("id", caseId)
        .map((rs, ctx) -> {
          Long appealId = rs.getObject("appeal_id", Long.class);
          OffsetDateTime leaseUntil = rs.getObject("lease_until", OffsetDateTime.class);
          boolean live = leaseUntil != null && leaseUntil.isAfter(Clock.now(h));
          // A rejection is stored as the kind of rejection; it reads as the outcome reject and which kind.
          String status = rs.getString("status");
          boolean rejected = CaseStatus.REJECTED.wire().equals(status);
          String outcome = rs.getString("outcome");
          return new CaseDetail(rs.getLong("id"), rs.getString("kind"), rs.getString("status"), rs.getInt("priority"),
              live ? rs.getObject("claimed_by", Long.class) : null, live ? Clock.text(leaseUntil) : null,
              rs.getObject("excluded_key", Long.class), Clock.text(rs.getObject("created_at", OffsetDateTime.class)),
              Submissions.find(h, rs.getLong("submission_id")).orElseThrow(),
              appealId == null ? null : Appeals.find(h, appealId).orElseThrow(),
              rejected ? CaseDecision.REJECT : outcome, rejected ? outcome : null, rs.getString("reason"), rs.getString("policy"), rs.getObject("decided_by", Long.class),
              Clock.text(rs.getObject("decided_at", OffsetDateTime.class)), null);
        })
        .findOne()
        .orElseThrow(() -> RequestException.notFound("case", caseId));
  }
}
