package org.countersignal.server.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.countersignal.server.match.MatchHit;

/**
 * An immutable, pre-sorted set of enabled rules, evaluated without any I/O. Built once per change
 * of the {@code rules} table; {@link #evaluate} runs on every match, so conditions are turned into
 * sets and arrays here rather than read from their JSON form there.
 */
public final class RuleSet {

  static final RuleSet EMPTY = of(List.of());

  private static final Comparator<Rule> ORDER =
      Comparator.comparingInt(Rule::priority).reversed().thenComparingLong(Rule::id);

  private final Compiled[] onMatch;
  private final Compiled[] onViolation;
  private final int size;

  private RuleSet(Compiled[] onMatch, Compiled[] onViolation) {
    this.onMatch = onMatch;
    this.onViolation = onViolation;
    this.size = onMatch.length + onViolation.length;
  }

  /** The enabled rules among {@code rules}, in evaluation order. */
  public static RuleSet of(List<Rule> rules) {
    List<Rule> sorted = new ArrayList<>(rules.stream().filter(Rule::enabled).toList());
    sorted.sort(ORDER);
    // Rules on an account's record belong to the violation trigger alone: a match is about its
    // content, and the account's count changes only when a violation is established.
    Compiled[] match = sorted.stream()
        .filter(r -> r.conditions().minAccountViolations() == null)
        .map(Compiled::new)
        .toArray(Compiled[]::new);
    Compiled[] violation = sorted.stream()
        .filter(r -> r.conditions().minAccountViolations() != null)
        .map(Compiled::new)
        .toArray(Compiled[]::new);
    return new RuleSet(match, violation);
  }

  /** How many enabled rules the set holds. */
  public int size() {
    return size;
  }

  /** See {@link Rules#evaluate}; no bank is an incident's. */
  public List<Firing> evaluate(RuleInput input, Trigger trigger) {
    return evaluate(input, trigger, IncidentBanks.NONE);
  }

  /** See {@link Rules#evaluate}. */
  public List<Firing> evaluate(RuleInput input, Trigger trigger, IncidentBanks incidents) {
    Compiled[] candidates = trigger == Trigger.VIOLATION ? onViolation : onMatch;
    List<Firing> fired = null;
    for (Compiled rule : candidates) {
      if (rule.matches(input, trigger, incidents)) {
        if (fired == null) {
          fired = new ArrayList<>(4);
        }
        fired.add(rule.firing);
      }
    }
    return fired == null ? List.of() : fired;
  }

  /** One rule with its conditions in the shape evaluation wants; null means "any". */
  private static final class Compiled {
    final Firing firing;
    final long[] banks;
    final Set<String> labels;
    final Set<String> signalTypes;
    final int maxDistance;
    final Set<String> contentTypes;
    final int minAccountViolations;
    /** The incident whose bank a hit must be in: {@link #ANY}, an id, {@link #NONE} (no condition) or {@link #UNKNOWN}. */
    final long incident;
    final Set<String> incidentStatuses;
    final Set<String> contexts;
    final Set<String> accountAttributes;
    final boolean hitConditions;

    static final long NONE = -1;
    static final long ANY = -2;
    /** Stored by an earlier version, which took any text: no incident has such an id, so no hit satisfies it. */
    static final long UNKNOWN = -3;

    Compiled(Rule rule) {
      Conditions c = rule.conditions();
      firing = new Firing(rule.id(), rule.name(), rule.action(), rule.reviewFirst(), rule.priority());
      banks = c.banks() == null ? null : c.banks().stream().mapToLong(Long::longValue).toArray();
      labels = c.labels() == null ? null : Set.copyOf(c.labels());
      signalTypes = c.signalTypes() == null ? null : Set.copyOf(c.signalTypes());
      maxDistance = c.maxDistance() == null ? Integer.MAX_VALUE : c.maxDistance();
      contentTypes = c.contentTypes() == null ? null : Set.copyOf(c.contentTypes());
      minAccountViolations = c.minAccountViolations() == null ? Integer.MIN_VALUE : c.minAccountViolations();
      incident = c.incident() == null ? NONE : c.incident().equals(Conditions.ANY_INCIDENT) ? ANY
          : c.incident().matches("[0-9]{1,18}") ? Long.parseLong(c.incident()) : UNKNOWN;
      incidentStatuses = c.incidentStatuses() == null ? null : Set.copyOf(c.incidentStatuses());
      contexts = c.contexts() == null ? null : Set.copyOf(c.contexts());
      accountAttributes = c.accountAttributes() == null ? null : Set.copyOf(c.accountAttributes());
      hitConditions = c.hasHitConditions();
    }

    boolean matches(RuleInput input, Trigger trigger, IncidentBanks incidents) {
      if (contentTypes != null && (input.contentType() == null || !contentTypes.contains(input.contentType()))) {
        return false;
      }
      if (input.accountViolations() < minAccountViolations) {
        return false;
      }
      if (contexts != null && (input.context() == null || !contexts.contains(input.context()))) {
        return false;
      }
      if (accountAttributes != null && input.accountAttributes().stream().noneMatch(accountAttributes::contains)) {
        return false;
      }
      List<MatchHit> hits = input.hits();
      if (!hitConditions) {
        // On a match there is something to act on only if something matched; a violation
        // trigger is about the account, whatever its content matched.
        return trigger == Trigger.VIOLATION || !hits.isEmpty();
      }
      for (int i = 0, n = hits.size(); i < n; i++) {
        if (hitMatches(hits.get(i), incidents)) {
          return true;
        }
      }
      return false;
    }

    private boolean hitMatches(MatchHit hit, IncidentBanks incidents) {
      if (hit.distance() > maxDistance) {
        return false;
      }
      if (incident != NONE && !inIncident(incidents.incidentOf(hit.bankId()))) {
        return false;
      }
      if (banks != null && !contains(banks, hit.bankId())) {
        return false;
      }
      if (signalTypes != null && (hit.signalType() == null || !signalTypes.contains(hit.signalType()))) {
        return false;
      }
      return labels == null || anyLabel(hit.labels());
    }

    private boolean inIncident(IncidentBanks.IncidentOf of) {
      return of != null && (incident == ANY || incident == of.id()) && (incidentStatuses == null || incidentStatuses.contains(of.status()));
    }

    private boolean anyLabel(List<String> hitLabels) {
      if (hitLabels == null) {
        return false;
      }
      for (int i = 0, n = hitLabels.size(); i < n; i++) {
        String label = hitLabels.get(i);
        if (label != null && labels.contains(label)) {
          return true;
        }
      }
      return false;
    }

    private static boolean contains(long[] values, long value) {
      for (long v : values) {
        if (v == value) {
          return true;
        }
      }
      return false;
    }
  }
}
