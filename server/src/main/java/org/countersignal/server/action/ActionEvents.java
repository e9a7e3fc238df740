package org.countersignal.server.action;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.countersignal.server.transparency.Ledger;
import org.countersignal.server.webhook.Outbox;
import org.jdbi.v3.core.Handle;

/**
 * The events the platform hears about decisions, written to the outbox in the transaction that
 * makes the decision. Event types: {@code action.decided} (an action is to be taken on the
 * content or account), {@code case.opened} (content waits for a reviewer), {@code case.decided}
 * (a reviewer decided a case), {@code appeal.filed}, {@code appeal.decided} and {@code
 * content.reinstated}.
 */
public final class ActionEvents {

  public static final String ACTION_DECIDED = "action.decided";
  public static final String CASE_OPENED = "case.opened";
  public static final String CASE_DECIDED = "case.decided";
  public static final String APPEAL_FILED = "appeal.filed";
  public static final String APPEAL_DECIDED = "appeal.decided";
  public static final String CONTENT_REINSTATED = "content.reinstated";

  private ActionEvents() {}

  /** The content part every event carries. */
  public static Map<String, Object> content(long submissionId, String contentId, String account, String contentType) {
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("submission_id", submissionId);
    content.put("id", contentId);
    content.put("account", account);
    content.put("type", contentType);
    return content;
  }

  /**
   * Tells the platform to take {@code action}; returns the event id, which is kept on the
   * decision so the two can be matched up.
   */
  public static String actionDecided(Handle h, long decisionId, String action, DecisionSource source, Long ruleId, String ruleName,
      String reason, Map<String, Object> content, List<SubmissionView.MatchView> matches) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("decision_id", decisionId);
    payload.put("action", action);
    payload.put("source", source.wire());
    if (ruleId != null) {
      payload.put("rule", Map.of("id", ruleId, "name", ruleName));
    }
    if (reason != null) {
      payload.put("reason", reason);
    }
    payload.put("content", content);
    payload.put("matches", matches(matches));
    Ledger.actionTaken(h, decisionId, (Long) content.get("submission_id"), action, source == DecisionSource.RULE,
        source == DecisionSource.TAKEOVER, (String) content.get("type"), labels(matches), signalTypes(matches));
    return tell(h, decisionId, ACTION_DECIDED, payload);
  }

  /** The labels of the entries matched, each once. */
  public static Set<String> labels(List<SubmissionView.MatchView> matches) {
    Set<String> labels = new TreeSet<>();
    matches.forEach(m -> labels.addAll(m.labels()));
    return labels;
  }

  /** The signal types that matched, each once. */
  public static Set<String> signalTypes(List<SubmissionView.MatchView> matches) {
    Set<String> types = new TreeSet<>();
    matches.forEach(m -> types.add(m.signalType()));
    return types;
  }

  /** The matches as events show them: which entry of which bank, how near, with what labels. */
  public static List<Map<String, Object>> matches(List<SubmissionView.MatchView> matches) {
    return matches.stream().map(m -> Map.<String, Object>of(
        "bank_id", m.bankId(), "bank_name", m.bankName(), "entry_id", m.entryId(), "signal_type", m.signalType(),
        "distance", m.distance(), "labels", m.labels())).toList();
  }

  /**
   * Tells the platform that content waits for a reviewer, so it can hold the content meanwhile;
   * {@code actions} are those the review will take or drop.
   */
  public static String caseOpened(Handle h, long caseId, int priority, List<String> actions, Map<String, Object> content,
      List<SubmissionView.MatchView> matches) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("case_id", caseId);
    payload.put("kind", "match");
    payload.put("priority", priority);
    payload.put("pending_actions", actions);
    payload.put("content", content);
    payload.put("matches", matches(matches));
    return Outbox.enqueue(h, CASE_OPENED, payload);
  }

  /**
   * Puts an event about a decision in the outbox and keeps the event's id on the decision, so
   * the two can be matched up; returns the event id.
   */
  public static String tell(Handle h, long decisionId, String eventType, Object payload) {
    String eventId = Outbox.enqueue(h, eventType, payload);
    h.createUpdate("UPDATE decisions SET event_id = :e WHERE id = :id").bind("e", eventId).bind("id", decisionId).execute();
    return eventId;
  }
}
