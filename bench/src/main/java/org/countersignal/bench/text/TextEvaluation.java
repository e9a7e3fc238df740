package org.countersignal.bench.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.IdentityHashMap;
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
 * kinds of variants of texts that are not banked. Prints Markdown. A match to a banked document
 * other than the query's source is right when that document shares a passage of at least 150
 * normalised words with the source ({@link SharedPassages}), wrong otherwise.
 *
 * <p>Usage: {@code TextEvaluation CORPUS PATH PATH [SAMPLES_PER_VARIANT]}, CORPUS one of
 * {@code bible KJV_TXT VIM_DOC_DIR}, {@code debian HANDBOOK_EN_DIR REFERENCE_DIR},
 * {@code arabic HANDBOOK_AR_DIR HANDBOOK_FA_DIR}.
 */
public final class TextEvaluation {

  /** Books banked; the rest are negatives. Books that quote or parallel each other are kept together here. */
  private static final Set<String> BANKED_BOOKS = Set.of("Ge", "Exo", "Lev", "Num", "Deu", "1Sm", "2Sm", "1Ki",
      "2Ki", "1Chr", "2Chr", "Ezra", "Neh", "Psa", "Isa", "Jer", "Obad", "Mic", "Mat", "Mark", "Luke", "John",
      "Eph", "Col", "2Pet", "Jude");
  private static final int SLOTS = MinHashParameters.SLOTS;
  private static final int DEFAULT = TextSignalType.DEFAULT_THRESHOLD;

  private record Query(Variants variant, Document source, int bankedSource, boolean positive, String text) {}

  /**
   * Distances at which the query matched its source, documents sharing a passage with it, and
   * other documents (ascending); {@code Integer.MAX_VALUE} when not matched at all.
   */
  private record Outcome(Query query, int sourceDistance, int bruteForceSourceDistance, int[] sharedDistances,
      int[] wrongDistances, List<String> wrongDocuments, boolean exactHit) {}

  private record Split(String description, List<Document> banked, List<Document> unbanked, Set<Variants> variants) {}

  public static void main(String[] args) throws Exception {
    Split split = split(args[0], Path.of(args[1]), Path.of(args[2]));
    int samples = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    List<Document> banked = split.banked();

    long began = System.nanoTime();
    TextIndex index = new TextIndex();
    List<TextSignal> signals = new ArrayList<>();
    long bankedWords = 0;
    for (Document d : banked) {
      TextSignal signal = TextSketcher.signal(d.text());
      signals.add(signal);
      index.add(signal);
      bankedWords += signal.words();
    }
    SharedPassages passages = new SharedPassages(banked);
    Map<Document, Set<Integer>> sharing = new IdentityHashMap<>();
    for (List<Document> side : List.of(banked, split.unbanked())) {
      for (Document d : side) {
        sharing.put(d, passages.sharing(d.text()));
      }
    }

    Random random = new Random(20190315L);
    List<Query> queries = new ArrayList<>();
    for (Variants variant : split.variants()) {
      for (int s = 0; s < banked.size(); s++) {
        for (int k = 0; k < samples; k++) {
          queries.add(new Query(variant, banked.get(s), s, true, variant.apply(banked.get(s), random)));
        }
      }
      for (Document d : split.unbanked()) {
        for (int k = 0; k < samples; k++) {
          queries.add(new Query(variant, d, -1, false, variant.apply(d, random)));
        }
      }
    }

    List<Outcome> outcomes = new ArrayList<>();
    for (Query q : queries) {
      TextSketcher.Query sketch = TextSketcher.query(q.text());
      Set<Integer> shared = sharing.get(q.source());
      int sourceDistance = Integer.MAX_VALUE;
      List<Integer> sharedDistances = new ArrayList<>();
      List<Integer> wrongDistances = new ArrayList<>();
      List<String> wrongDocuments = new ArrayList<>();
      for (TextIndex.Match m : index.lookup(sketch, SLOTS)) {
        if (m.document() == q.bankedSource()) {
          sourceDistance = m.distance();
        } else if (shared.contains(m.document())) {
          sharedDistances.add(m.distance());
        } else {
          wrongDistances.add(m.distance());
          wrongDocuments.add(banked.get(m.document()).name());
        }
      }
      int brute = q.positive() ? bruteForce(sketch, signals.get(q.bankedSource())) : Integer.MAX_VALUE;
      boolean exact = q.positive() && Arrays.equals(sketch.normalizedSha256(), signals.get(q.bankedSource()).normalizedSha256());
      outcomes.add(new Outcome(q, sourceDistance, brute, ints(sharedDistances), ints(wrongDistances), wrongDocuments, exact));
    }
    double seconds = (System.nanoTime() - began) / 1e9;

    long positives = outcomes.stream().filter(o -> o.query().positive()).count();
    System.out.printf(Locale.ROOT, "## Text signal evaluation: %s%n%n", split.description());
    System.out.printf(Locale.ROOT, "Signal: %d-word shingles, %d slots, %d bands × %d rows, chunks of %d shingles, default threshold %d.%n",
        MinHashParameters.SHINGLE_WORDS, SLOTS, MinHashParameters.BANDS, MinHashParameters.ROWS,
        MinHashParameters.BLOCK * MinHashParameters.CHUNK_BLOCKS, DEFAULT);
    System.out.printf(Locale.ROOT, "Bank: %d documents, %,d words, %,d indexed sketches, ~%,d bytes of index per banked document.%n",
        banked.size(), bankedWords, index.chunks(), index.approximateBytes() / banked.size());
    System.out.printf(Locale.ROOT, "Queries: %d positive (variants of banked documents), %d negative (variants of %d documents not banked), %d samples per variant and document; %.0f s.%n%n",
        positives, outcomes.size() - positives, split.unbanked().size(), samples, seconds);

    System.out.printf(Locale.ROOT, "### Trade-off with the threshold (distance in differing MinHash slots of %d)%n%n", SLOTS);
    System.out.printf(Locale.ROOT, "| threshold | est. Jaccard ≥ | recall | recall without LSH | precision (pairs) | negatives with a wrong match |%n|---|---|---|---|---|---|%n");
    for (int sixtyFourths : new int[] {8, 16, 24, 28, 32, 36, 40, 44, 48, 52}) {
      int t = sixtyFourths * SLOTS / 64;
      Counts c = counts(outcomes, t, null);
      System.out.printf(Locale.ROOT, "| %s | %.2f | %.4f | %.4f | %.4f | %.4f |%n", t == DEFAULT ? "**" + t + " (default)**" : t,
          1 - (double) t / SLOTS, c.recall(), c.bruteRecall(), c.precision(), c.negativeMatchRate());
    }
    System.out.printf(Locale.ROOT, "%n### By variant at the default threshold %d%n%n", DEFAULT);
    System.out.printf(Locale.ROOT, "| variant | recall | recall without LSH | exact (normalised SHA-256) recall | precision (pairs) | negatives with a wrong match | negatives with a shared-passage match |%n|---|---|---|---|---|---|---|%n");
    for (Variants v : split.variants()) {
      Counts c = counts(outcomes, DEFAULT, v);
      System.out.printf(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f |%n", v.name().toLowerCase(Locale.ROOT),
          c.recall(), c.bruteRecall(), c.exactRecall(), c.precision(), c.negativeMatchRate(), c.negativeSharedRate());
    }
    Counts all = counts(outcomes, DEFAULT, null);
    System.out.printf(Locale.ROOT, "%n### Wrong matches at the default threshold%n%n");
    System.out.printf(Locale.ROOT, "%d wrong query-document pairs (of %d matched pairs; %d right pairs are to a document sharing a passage of %d+ words with the source). Most frequent (query source -> banked document):%n%n",
        all.wrongPairs(), all.wrongPairs() + all.rightPairs(), all.sharedPairs(), SharedPassages.WINDOW);
    Map<String, Integer> wrongPairs = new TreeMap<>();
    for (Outcome o : outcomes) {
      for (int i = 0; i < o.wrongDistances().length; i++) {
        if (o.wrongDistances()[i] <= DEFAULT) {
          wrongPairs.merge(o.query().source().name() + " -> " + o.wrongDocuments().get(i), 1, Integer::sum);
        }
      }
    }
    wrongPairs.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(15)
        .forEach(e -> System.out.printf(Locale.ROOT, "- %s: %d%n", e.getKey(), e.getValue()));
  }

  private static Split split(String corpus, Path first, Path second) throws IOException {
    List<Document> banked = new ArrayList<>();
    List<Document> unbanked = new ArrayList<>();
    Set<Variants> variants = EnumSet.allOf(Variants.class);
    variants.remove(Variants.ARABIC_SPELLING);
    switch (corpus) {
      case "bible" -> {
        for (Document d : Corpus.bible(first)) {
          (BANKED_BOOKS.contains(d.name().substring(4)) ? banked : unbanked).add(d);
        }
        alternate(Corpus.folder(second, 2000), banked, unbanked);
        return new Split("King James Bible and Vim help files", banked, unbanked, variants);
      }
      case "debian" -> {
        alternate(Corpus.html(first, "handbook", p -> true, 300), banked, unbanked);
        alternate(Corpus.html(second, "reference", p -> true, 300), banked, unbanked);
        return new Split("Debian Administrator's Handbook (English) and Debian Reference", banked, unbanked, variants);
      }
      case "arabic" -> {
        alternate(Corpus.html(first, "handbook-ar", Corpus::mostlyArabicScript, 300), banked, unbanked);
        alternate(Corpus.html(second, "handbook-fa", Corpus::mostlyArabicScript, 300), banked, unbanked);
        variants.add(Variants.ARABIC_SPELLING);
        return new Split("Debian Administrator's Handbook in Arabic and Persian (Arabic-script paragraphs)",
            banked, unbanked, variants);
      }
      default -> throw new IllegalArgumentException("corpus is bible, debian or arabic: " + corpus);
    }
  }

  /** Every second document is banked. */
  private static void alternate(List<Document> documents, List<Document> banked, List<Document> unbanked) {
    for (int i = 0; i < documents.size(); i++) {
      (i % 2 == 0 ? banked : unbanked).add(documents.get(i));
    }
  }

  private record Counts(long positives, long found, long bruteFound, long exactFound, long rightPairs,
      long sharedPairs, long wrongPairs, long negatives, long negativesMatched, long negativesShared) {
    double recall() {
      return ratio(found, positives);
    }

    double bruteRecall() {
      return ratio(bruteFound, positives);
    }

    double exactRecall() {
      return ratio(exactFound, positives);
    }

    double precision() {
      return ratio(rightPairs, rightPairs + wrongPairs);
    }

    double negativeMatchRate() {
      return ratio(negativesMatched, negatives);
    }

    double negativeSharedRate() {
      return ratio(negativesShared, negatives);
    }

    private static double ratio(long a, long b) {
      return b == 0 ? Double.NaN : (double) a / b;
    }
  }

  private static Counts counts(List<Outcome> outcomes, int threshold, Variants only) {
    long positives = 0, found = 0, brute = 0, exact = 0, right = 0, shared = 0, wrong = 0, negatives = 0,
        negMatched = 0, negShared = 0;
    for (Outcome o : outcomes) {
      if (only != null && o.query().variant() != only) {
        continue;
      }
      long sharedHits = within(o.sharedDistances(), threshold);
      long wrongHits = within(o.wrongDistances(), threshold);
      right += sharedHits;
      shared += sharedHits;
      wrong += wrongHits;
      if (o.query().positive()) {
        positives++;
        if (o.sourceDistance() <= threshold) {
          found++;
          right++;
        }
        brute += o.bruteForceSourceDistance() <= threshold ? 1 : 0;
        exact += o.exactHit() ? 1 : 0;
      } else {
        negatives++;
        negMatched += wrongHits > 0 ? 1 : 0;
        negShared += sharedHits > 0 ? 1 : 0;
      }
    }
    return new Counts(positives, found, brute, exact, right, shared, wrong, negatives, negMatched, negShared);
  }

  private static long within(int[] distances, int threshold) {
    return Arrays.stream(distances).filter(d -> d <= threshold).count();
  }

  private static int[] ints(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Closest sketch pair without the index: what LSH banding may miss. */
  private static int bruteForce(TextSketcher.Query query, TextSignal signal) {
    if (Arrays.equals(query.normalizedSha256(), signal.normalizedSha256())) {
      return 0;
    }
    if (query.whole() == null || signal.whole() == null) {
      return SLOTS;
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
