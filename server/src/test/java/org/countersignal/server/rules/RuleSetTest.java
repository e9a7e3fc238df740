package org.countersignal.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.countersignal.server.match.MatchHit;
import org.junit.jupiter.api.Test;

/** What fires for which input: the evaluator alone, without a database. */
class RuleSetTest {

  private static final Conditions ANY = Conditions.NONE;

  static Rule rule(long id, int priority, Conditions conditions) {
    return rule(id, priority, true, conditions);
  }

  static Rule rule(long id, int priority, boolean enabled, Conditions conditions) {
    return new Rule(id, "rule " + id, "", enabled, priority, "remove", false, conditions,
        "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
  }

  static Conditions banks(Long... ids) {
    return new Conditions(List.of(ids), null, null, null, null, null, null, null);
  }

  static Conditions labels(String... labels) {
    return new Conditions(null, List.of(labels), null, null, null, null, null, null);
  }

  static Conditions signalTypes(String... types) {
    return new Conditions(null, null, List.of(types), null, null, null, null, null);
  }

  static Conditions maxDistance(int distance) {
    return new Conditions(null, null, null, distance, null, null, null, null);
  }

  static Conditions contentTypes(String... types) {
    return new Conditions(null, null, null, null, List.of(types), null, null, null);
  }

  static Conditions minViolations(int n) {
    return new Conditions(null, null, null, null, null, n, null, null);
  }

  static MatchHit hit(long bank, String type, int distance, String... labels) {
    return new MatchHit(bank, "bank " + bank, 100 + bank, type, "q", distance, 31, null, List.of(labels), List.of());
  }

  static RuleInput input(MatchHit... hits) {
    return new RuleInput(List.of(hits), "image", 0);
  }

  static List<Long> fired(RuleSet rules, RuleInput input, Trigger trigger) {
    return rules.evaluate(input, trigger).stream().map(Firing::ruleId).toList();
  }

  static List<Long> onMatch(Rule rule, RuleInput input) {
    return fired(RuleSet.of(List.of(rule)), input, Trigger.MATCH);
  }

  @Test
  void aRuleWithoutConditionsFiresOnAnyHitButNotWithoutHits() {
    Rule rule = rule(1, 0, ANY);
    assertThat(onMatch(rule, input(hit(1, "pdq", 10)))).containsExactly(1L);
    assertThat(onMatch(rule, new RuleInput(List.of(), "image", 5))).isEmpty();
    assertThat(onMatch(rule, new RuleInput(null, null, 0))).isEmpty();
  }

  @Test
  void banksAreAnyOf() {
    Rule rule = rule(1, 0, banks(7L, 8L));
    assertThat(onMatch(rule, input(hit(8, "pdq", 0)))).containsExactly(1L);
    assertThat(onMatch(rule, input(hit(9, "pdq", 0)))).isEmpty();
    assertThat(onMatch(rule, input(hit(9, "pdq", 0), hit(7, "md5", 0)))).containsExactly(1L);
  }

  @Test
  void labelsAreAnyOfTheHitsLabels() {
    Rule rule = rule(1, 0, labels("attacker_manifesto", "imminent_credible_threat"));
    assertThat(onMatch(rule, input(hit(1, "pdq", 0, "recruitment_and_instruction", "attacker_manifesto")))).containsExactly(1L);
    assertThat(onMatch(rule, input(hit(1, "pdq", 0, "recruitment_and_instruction")))).isEmpty();
    assertThat(onMatch(rule, input(hit(1, "pdq", 0)))).isEmpty();
    MatchHit withoutLabels = new MatchHit(1, "b", 1, "pdq", "q", 0, 31, null, null, null);
    assertThat(onMatch(rule, input(withoutLabels))).isEmpty();
  }

  @Test
  void signalTypesAreAnyOf() {
    Rule rule = rule(1, 0, signalTypes("md5", "sha256"));
    assertThat(onMatch(rule, input(hit(1, "sha256", 0)))).containsExactly(1L);
    assertThat(onMatch(rule, input(hit(1, "pdq", 0)))).isEmpty();
  }

  @Test
  void maxDistanceIsInclusive() {
    Rule rule = rule(1, 0, maxDistance(10));
    assertThat(onMatch(rule, input(hit(1, "pdq", 10)))).containsExactly(1L);
    assertThat(onMatch(rule, input(hit(1, "pdq", 11)))).isEmpty();
    assertThat(onMatch(rule, input(hit(1, "pdq", 31), hit(1, "pdq", 4)))).containsExactly(1L);
  }

  @Test
  void perHitConditionsMustHoldOnOneHitTogether() {
    Rule rule = rule(1, 0, new Conditions(List.of(5L), List.of("attacker_manifesto"), List.of("pdq"), 8, null, null, null, null));
    // Each condition holds on some hit, but never all on the same one.
    RuleInput spread = input(hit(5, "md5", 0, "attacker_manifesto"), hit(6, "pdq", 2, "attacker_manifesto"), hit(5, "pdq", 20, "attacker_manifesto"),
        hit(5, "pdq", 2, "glorification_of_terrorist_acts"));
    assertThat(onMatch(rule, spread)).isEmpty();
    List<MatchHit> hits = new ArrayList<>(spread.hits());
    hits.add(hit(5, "pdq", 8, "attacker_manifesto"));
    assertThat(onMatch(rule, new RuleInput(hits, "image", 0))).containsExactly(1L);
  }

  @Test
  void contentTypesAreAboutTheInput() {
    Rule rule = rule(1, 0, contentTypes("video", "image"));
    assertThat(onMatch(rule, new RuleInput(List.of(hit(1, "pdq", 0)), "video", 0))).containsExactly(1L);
    assertThat(onMatch(rule, new RuleInput(List.of(hit(1, "pdq", 0)), "text", 0))).isEmpty();
    assertThat(onMatch(rule, new RuleInput(List.of(hit(1, "pdq", 0)), null, 0))).as("unknown content type").isEmpty();
    assertThat(onMatch(rule, new RuleInput(List.of(), "video", 0))).as("no hit").isEmpty();
  }

  @Test
  void minAccountViolationsCountsConfirmedViolations() {
    RuleSet rules = RuleSet.of(List.of(rule(1, 0, minViolations(3))));
    assertThat(fired(rules, new RuleInput(List.of(hit(1, "pdq", 0)), "image", 2), Trigger.VIOLATION)).isEmpty();
    assertThat(fired(rules, new RuleInput(List.of(hit(1, "pdq", 0)), "image", 3), Trigger.VIOLATION)).containsExactly(1L);
    assertThat(fired(rules, new RuleInput(List.of(hit(1, "pdq", 0)), "image", 4), Trigger.VIOLATION)).containsExactly(1L);
  }

  @Test
  void aMatchNeverFiresRulesOnTheAccountsRecord() {
    // However many violations the input claims: the account's count moves only on a violation.
    Rule rule = rule(1, 0, minViolations(3));
    assertThat(onMatch(rule, new RuleInput(List.of(hit(1, "pdq", 0)), "image", 3))).isEmpty();
    assertThat(onMatch(rule, new RuleInput(List.of(hit(1, "pdq", 0)), "image", 40))).isEmpty();
  }

  private static Conditions incident(String incident, String... statuses) {
    return new Conditions(null, null, null, null, null, null, incident, statuses.length == 0 ? null : List.of(statuses));
  }

  @Test
  void anIncidentRuleFiresOnlyOnHitsInItsIncidentsBankWhileItStandsAsTheRuleSays() {
    // Bank 7 is incident 3's, active; bank 8 incident 4's, closed; bank 1 no incident's.
    Map<Long, IncidentBanks.IncidentOf> banks = new HashMap<>(Map.of(7L, new IncidentBanks.IncidentOf(3, "active"),
        8L, new IncidentBanks.IncidentOf(4, "closed")));
    IncidentBanks incidents = banks::get;
    RuleSet rules = RuleSet.of(List.of(
        rule(1, 0, incident("3")),
        rule(2, 0, incident("any", "active")),
        rule(3, 0, incident("any", "monitoring", "closed"))));
    assertThat(ids(rules.evaluate(input(hit(7, "pdq", 0)), Trigger.MATCH, incidents))).containsExactly(1L, 2L);
    assertThat(ids(rules.evaluate(input(hit(8, "pdq", 0)), Trigger.MATCH, incidents))).containsExactly(3L);
    assertThat(ids(rules.evaluate(input(hit(1, "pdq", 0)), Trigger.MATCH, incidents))).isEmpty();
    // Closing incident 3 moves its hits from the removal rule to the review one.
    banks.put(7L, new IncidentBanks.IncidentOf(3, "closed"));
    assertThat(ids(rules.evaluate(input(hit(7, "pdq", 0)), Trigger.MATCH, incidents))).containsExactly(1L, 3L);
  }

  @Test
  void anIncidentAnEarlierVersionStoredAsFreeTextNeverHolds() {
    Rule rule = rule(1, 0, incident("christchurch-2019"));
    IncidentBanks incidents = bank -> new IncidentBanks.IncidentOf(1, "active");
    assertThat(ids(RuleSet.of(List.of(rule)).evaluate(input(hit(1, "pdq", 0)), Trigger.MATCH, incidents))).isEmpty();
  }

  private static List<Long> ids(List<Firing> firings) {
    return firings.stream().map(Firing::ruleId).toList();
  }

  @Test
  void violationTriggerConsidersOnlyRulesOnAccountViolations() {
    RuleSet rules = RuleSet.of(List.of(
        rule(1, 0, ANY),
        rule(2, 0, minViolations(3)),
        rule(3, 0, new Conditions(null, List.of("attacker_manifesto"), null, null, null, 1, null, null)),
        rule(4, 0, labels("attacker_manifesto"))));
    // The third confirmed violation: the suspension rule fires, even with no hits given.
    assertThat(fired(rules, new RuleInput(List.of(), null, 3), Trigger.VIOLATION)).containsExactly(2L);
    assertThat(fired(rules, new RuleInput(List.of(), null, 2), Trigger.VIOLATION)).isEmpty();
    // Per-hit conditions of a violation rule still need a hit that meets them.
    RuleInput manifesto = new RuleInput(List.of(hit(1, "pdq", 0, "attacker_manifesto")), "image", 3);
    assertThat(fired(rules, manifesto, Trigger.VIOLATION)).containsExactly(2L, 3L);
    // On a match every enabled rule is considered but those on the account's record.
    assertThat(fired(rules, manifesto, Trigger.MATCH)).containsExactly(1L, 4L);
  }

  @Test
  void disabledRulesNeverFire() {
    RuleSet rules = RuleSet.of(List.of(rule(1, 0, false, ANY), rule(2, 0, false, minViolations(1)), rule(3, 0, ANY)));
    assertThat(rules.size()).isEqualTo(1);
    assertThat(fired(rules, new RuleInput(List.of(hit(1, "pdq", 0)), "image", 5), Trigger.MATCH)).containsExactly(3L);
    assertThat(fired(rules, new RuleInput(List.of(hit(1, "pdq", 0)), "image", 5), Trigger.VIOLATION)).isEmpty();
  }

  @Test
  void highestPriorityFirstThenLowerIdAndEachRuleOnce() {
    RuleSet rules = RuleSet.of(List.of(
        rule(5, 10, ANY),
        rule(2, -3, ANY),
        rule(4, 100, ANY),
        rule(1, 10, ANY),
        rule(3, 0, maxDistance(50))));
    RuleInput threeHits = input(hit(1, "pdq", 0), hit(2, "pdq", 1), hit(3, "md5", 0));
    List<Firing> firings = rules.evaluate(threeHits, Trigger.MATCH);
    assertThat(firings).extracting(Firing::ruleId).containsExactly(4L, 1L, 5L, 3L, 2L);
    assertThat(firings.getFirst()).isEqualTo(new Firing(4, "rule 4", "remove", false, 100));
  }

  @Test
  void anEmptyRuleSetFiresNothing() {
    assertThat(RuleSet.EMPTY.evaluate(input(hit(1, "pdq", 0)), Trigger.MATCH)).isEmpty();
    assertThat(RuleSet.EMPTY.evaluate(new RuleInput(List.of(), null, 9), Trigger.VIOLATION)).isEmpty();
  }
}
