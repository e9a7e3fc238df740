package org.countersignal.bench.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.countersignal.server.match.MatchHit;
import org.countersignal.server.rules.Conditions;
import org.countersignal.server.rules.Firing;
import org.countersignal.server.rules.Rule;
import org.countersignal.server.rules.RuleInput;
import org.countersignal.server.rules.RuleSet;
import org.countersignal.server.rules.Trigger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Action rules evaluated against one match, as the service does for every submission that
 * matched: 50 enabled rules of mixed shapes (banks, labels, signal types, distance, content type,
 * account history) against 1 to 3 hits. {@code Rules.evaluate} is one volatile read of the
 * snapshot and then exactly this {@link RuleSet#evaluate}: no database on this path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RuleEvaluationBenchmark {

  private static final List<String> LABELS = List.of(
      "imminent_credible_threat", "graphic_violence_defenceless", "glorification_of_terrorist_acts",
      "recruitment_and_instruction", "attacker_manifesto", "branded_terrorist_publication");

  @Param({"1", "3"})
  public int hits;

  /** How many confirmed violations the posting account has (3 lets the account rules fire). */
  @Param({"0", "3"})
  public int accountViolations;

  private RuleSet rules;
  private RuleInput input;

  @Setup
  public void build() {
    List<Rule> list = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      list.add(new Rule(i, "rule " + i, "", true, (i * 37) % 100, i % 7 == 0 ? "review" : "remove", i % 3 == 0,
          conditions(i), "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"));
    }
    rules = RuleSet.of(list);
    List<MatchHit> given = List.of(
        new MatchHit(3, "gifct", 101, "pdq", "f".repeat(64), 12, 31, null, List.of("attacker_manifesto"), List.of("group a")),
        new MatchHit(7, "platform", 202, "md5", "e".repeat(32), 0, 0, null,
            List.of("glorification_of_terrorist_acts", "recruitment_and_instruction"), List.of()),
        new MatchHit(12, "partners", 303, "pdq", "d".repeat(64), 28, 31, null, List.of("graphic_violence_defenceless"), List.of()));
    input = new RuleInput(given.subList(0, hits), "image", accountViolations);
    if (rules.size() != 50) {
      throw new IllegalStateException("expected 50 enabled rules, got " + rules.size());
    }
  }

  /** Five shapes of rule in turn, over different banks and labels, so some fire and most do not. */
  private static Conditions conditions(int i) {
    String label = LABELS.get(i % LABELS.size());
    String other = LABELS.get((i + 2) % LABELS.size());
    long bank = i % 15 + 1;
    return switch (i % 5) {
      case 0 -> new Conditions(List.of(bank, bank + 1), List.of(label), null, null, null, null, null, null);
      case 1 -> new Conditions(null, List.of(label, other), null, 20, null, null, null, null);
      case 2 -> new Conditions(null, null, List.of("pdq"), 31 - i % 20, List.of("image", "video"), null, null, null);
      case 3 -> new Conditions(List.of(bank, bank + 4, bank + 8), null, List.of("md5", "sha256"), null, null, null, null, null);
      default -> new Conditions(null, List.of(label), null, null, null, 3, null, null);
    };
  }

  @Benchmark
  public List<Firing> evaluateOnMatch() {
    return rules.evaluate(input, Trigger.MATCH);
  }

  @Benchmark
  public List<Firing> evaluateOnViolation() {
    return rules.evaluate(input, Trigger.VIOLATION);
  }
}
