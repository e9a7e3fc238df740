package org.countersignal.bench.text;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.countersignal.bench.text.Corpus.Document;
import org.countersignal.signals.text.MinHashParameters;
import org.countersignal.signals.text.MinHashSketch;
import org.countersignal.signals.text.TextIndex;
import org.countersignal.signals.text.TextSignal;
import org.countersignal.signals.text.TextSignalType;
import org.countersignal.signals.text.TextSketcher;

/**
 * Precision and recall of the text signal on generated re-posts of banked texts, and on the same
 * kinds of variants of texts that are not banked. Prints Markdown.
 * Usage: {@code TextEvaluation KJV_TXT UNRELATED_DIR [SAMPLES_PER_VARIANT]}.
 */
public final class TextEvaluation {

  /** Books banked; the rest are negatives. Books that quote or parallel each other are kept together here. */
  private static final Set<String> BANKED_BOOKS = Set.of("Ge", "Exo", "Lev", "Num", "Deu", "1Sm", "2Sm", "1Ki",
      "2Ki", "1Chr", "2Chr", "Ezra", "Neh", "Psa", "Isa", "Jer", "Obad", "Mic", "Mat", "Mark", "Luke", "John",
      "Eph", "Col", "2Pet", "Jude");
  private static final int MAX_DISTANCE = 48;

  private record Query(Variants variant, int source, boolean positive, String text) {}

  private record Outcome(Query query, int sourceDistance, int bruteForceSourceDistance, int wrongDistance,
      String wrongDocument, boolean exactHit) {}

  public static void main(String[] args) throws Exception {
    Path kjv = Path.of(args[0]);
    Path unrelated = Path.of(args[1]);
    int samples = args.length > 2 ? Integer.parseInt(args[2]) : 3;

    List<Document> bible = Corpus.bible(kjv);
    List<Document> other = Corpus.folder(unrelated, 2000);
    List<Document> banked = new ArrayList<>();
    List<Document> unbanked = new ArrayList<>();
    for (Document d : bible) {
      (BANKED_BOOKS.contains(d.name().substring(4)) ? banked : unbanked).add(d);
    }
    for (int i = 0; i < other.size(); i++) {
      (i % 2 == 0 ? banked : unbanked).add(other.get(i));
    }

    TextIndex index = new TextIndex();
    List<TextSignal> signals = new ArrayList<>();
    long bankedWords = 0;
    for (Document d : banked) {
      TextSignal signal = TextSketcher.signal(d.text());
      signals.add(signal);
      index.add(signal);
      bankedWords += d.tokens();
    }

    Random random = new Random(20190315L);
    List<Query> queries = new ArrayList<>();
    for (Variants variant : Variants.values()) {
      for (int s = 0; s < banked.size(); s++) {
        for (int k = 0; k < samples; k++) {
          queries.add(new Query(variant, s, true, variant.apply(banked.get(s), random)));
        }
      }
      for (int s = 0; s < unbanked.size(); s++) {
        for (int k = 0; k < samples; k++) {
          queries.add(new Query(variant, s, false, variant.apply(unbanked.get(s), random)));
        }
      }
    }

    List<Outcome> outcomes = new ArrayList<>();
    Map<String, Integer> wrongPairs = new TreeMap<>();
    for (Query q : queries) {
      TextSketcher.Query sketch = TextSketcher.query(q.text());
      int sourceDistance = Integer.MAX_VALUE;
      int wrongDistance = Integer.MAX_VALUE;
      String wrongDocument = null;
      for (TextIndex.Match m : index.lookup(sketch, MAX_DISTANCE)) {
        if (q.positive() && m.document() == q.source()) {
          sourceDistance = m.distance();
        } else if (m.distance() < wrongDistance) {
          wrongDistance = m.distance();
          wrongDocument = banked.get(m.document()).name();
        }
      }
      int brute = q.positive() ? bruteForce(sketch, signals.get(q.source())) : Integer.MAX_VALUE;
      boolean exact = q.positive() && java.util.Arrays.equals(sketch.normalizedSha256(),
          signals.get(q.source()).normalizedSha256());
      Outcome o = new Outcome(q, sourceDistance, brute, wrongDistance, wrongDocument, exact);
      outcomes.add(o);
      if (wrongDistance <= TextSignalType.DEFAULT_THRESHOLD) {
        String from = q.positive() ? banked.get(q.source()).name() : unbanked.get(q.source()).name();
        wrongPairs.merge(from + " -> " + wrongDocument, 1, Integer::sum);
      }
    }

    long positives = outcomes.stream().filter(o -> o.query().positive()).count();
    System.out.printf(Locale.ROOT, "## Text signal evaluation%n%n");
    System.out.printf(Locale.ROOT, "Bank: %d documents (%d KJV books, %d unrelated files), %,d words, %,d indexed sketches.%n",
        banked.size(), banked.stream().filter(d -> d.name().startsWith("kjv/")).count(),
        banked.stream().filter(d -> !d.name().startsWith("kjv/")).count(), bankedWords, index.chunks());
    System.out.printf(Locale.ROOT, "Queries: %d positive (variants of banked documents), %d negative (variants of %d documents not banked), %d samples per variant and document.%n%n",
        positives, outcomes.size() - positives, unbanked.size(), samples);

    System.out.printf(Locale.ROOT, "### Trade-off with the threshold (distance in differing MinHash slots of 64)%n%n");
    System.out.printf(Locale.ROOT, "| threshold | est. Jaccard ≥ | recall | recall without LSH | precision (pairs) | negatives with a match |%n|---|---|---|---|---|---|%n");
    for (int t : new int[] {8, 16, 24, 28, 32, 36, 40, 44, 48}) {
      Counts c = counts(outcomes, t, null);
      System.out.printf(Locale.ROOT, "| %d%s | %.2f | %.4f | %.4f | %.4f | %.4f |%n", t,
          t == TextSignalType.DEFAULT_THRESHOLD ? " (default)" : "", 1 - t / 64.0, c.recall(), c.bruteRecall(),
          c.precision(), c.negativeMatchRate());
    }
    System.out.printf(Locale.ROOT, "%n### By variant at the default threshold %d%n%n", TextSignalType.DEFAULT_THRESHOLD);
    System.out.printf(Locale.ROOT, "| variant | recall | recall without LSH | exact (normalised SHA-256) recall | precision (pairs) | negatives with a match |%n|---|---|---|---|---|---|%n");
    Map<Variants, Counts> byVariant = new EnumMap<>(Variants.class);
    for (Variants v : Variants.values()) {
      Counts c = counts(outcomes, TextSignalType.DEFAULT_THRESHOLD, v);
      byVariant.put(v, c);
      System.out.printf(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.4f | %.4f |%n", v.name().toLowerCase(Locale.ROOT),
          c.recall(), c.bruteRecall(), c.exactRecall(), c.precision(), c.negativeMatchRate());
    }
    System.out.printf(Locale.ROOT, "%n### Matches to a banked document other than the source, at the default threshold%n%n");
    System.out.printf(Locale.ROOT, "%d query-document pairs; most frequent (query source -> banked document):%n%n", wrongPairs.values().stream().mapToInt(Integer::intValue).sum());
    wrongPairs.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(15)
        .forEach(e -> System.out.printf(Locale.ROOT, "- %s: %d%n", e.getKey(), e.getValue()));
  }

  private record Counts(long positives, long found, long bruteFound, long exactFound, long correctPairs,
      long wrongPairs, long negatives, long negativesMatched) {
    double recall() {
      return positives == 0 ? Double.NaN : (double) found / positives;
    }

    double bruteRecall() {
      return positives == 0 ? Double.NaN : (double) bruteFound / positives;
    }

    double exactRecall() {
      return positives == 0 ? Double.NaN : (double) exactFound / positives;
    }

    double precision() {
      return correctPairs + wrongPairs == 0 ? Double.NaN : (double) correctPairs / (correctPairs + wrongPairs);
    }

    double negativeMatchRate() {
      return negatives == 0 ? Double.NaN : (double) negativesMatched / negatives;
    }
  }

  private static Counts counts(List<Outcome> outcomes, int threshold, Variants only) {
    long positives = 0, found = 0, brute = 0, exact = 0, correct = 0, wrong = 0, negatives = 0, negMatched = 0;
    for (Outcome o : outcomes) {
      if (only != null && o.query().variant() != only) {
        continue;
      }
      boolean wrongHit = o.wrongDistance() <= threshold;
      if (o.query().positive()) {
        positives++;
        if (o.sourceDistance() <= threshold) {
          found++;
          correct++;
        }
        if (o.bruteForceSourceDistance() <= threshold) {
          brute++;
        }
        if (o.exactHit()) {
          exact++;
        }
      } else {
        negatives++;
        if (wrongHit) {
          negMatched++;
        }
      }
      if (wrongHit) {
        wrong++;
      }
    }
    return new Counts(positives, found, brute, exact, correct, wrong, negatives, negMatched);
  }

  /** Closest sketch pair without the index: what LSH banding may miss. */
  private static int bruteForce(TextSketcher.Query query, TextSignal signal) {
    if (java.util.Arrays.equals(query.normalizedSha256(), signal.normalizedSha256())) {
      return 0;
    }
    if (query.whole() == null || signal.whole() == null) {
      return MinHashParameters.SLOTS;
    }
    int best = query.whole().distance(signal.whole());
    for (MinHashSketch a : query.chunks()) {
      for (MinHashSketch b : signal.chunks()) {
        best = Math.min(best, a.distance(b));
      }
    }
    return best;
  }
}
