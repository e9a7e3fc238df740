package org.countersignal.bench.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.countersignal.signals.text.TextNormalizer;

/**
 * Which banked documents share a passage of at least {@link #WINDOW} normalised words with a
 * given text: a match to such a document is a right answer, not a false one. Parallel passages in
 * real corpora are rarely verbatim (the longest identical run of 2 Kings 18–20 and Isaiah 36–39 is
 * 84 words, of Ezra 2 and Nehemiah 7 53 words: names and numbers differ), so a passage counts as
 * shared when, in some window of 150 consecutive words of the text, at least half of the 4-word
 * sequences occur in the banked document <em>in the same order</em>: on one diagonal (position in
 * the document minus position in the text) up to {@link #DRIFT} words wide. 4-word sequences that
 * occur more than {@link #COMMON} times in the bank (formulae such as "and it came to") do not
 * count. Computed over every sequence (keyed by a 64-bit hash of its words); no sampling or sketching.
 */
final class SharedPassages {

  static final int WINDOW = 150;
  private static final int GRAM = 4;
  private static final int NEEDED = (WINDOW - GRAM + 1) / 2;
  private static final int DRIFT = 128;
  private static final int COMMON = 50;

  private final Map<String, Integer> vocabulary = new HashMap<>();
  /** 4-word sequence -> (document, position) pairs packed in longs. */
  private final Map<Long, long[]> grams = new HashMap<>();

  SharedPassages(List<Corpus.Document> bankedDocuments) {
    Map<Long, List<Long>> places = new HashMap<>();
    for (int d = 0; d < bankedDocuments.size(); d++) {
      int[] words = words(bankedDocuments.get(d).text());
      for (int j = 0; j + GRAM <= words.length; j++) {
        List<Long> at = places.computeIfAbsent(gram(words, j), k -> new ArrayList<>(1));
        if (at.size() <= COMMON) {
          at.add((long) d << 32 | j);
        }
      }
    }
    places.forEach((gram, at) -> {
      if (at.size() <= COMMON) {
        grams.put(gram, at.stream().mapToLong(Long::longValue).toArray());
      }
    });
  }

  /** Banked documents sharing a passage of at least 150 normalised words with {@code text}. */
  Set<Integer> sharing(String text) {
    int[] words = words(text);
    // document -> diagonal band -> text positions whose 4-word sequence the document has there
    Map<Integer, Map<Integer, List<Integer>>> diagonals = new HashMap<>();
    for (int i = 0; i + GRAM <= words.length; i++) {
      long[] at = grams.get(gram(words, i));
      if (at == null) {
        continue;
      }
      for (long place : at) {
        int document = (int) (place >>> 32);
        int band = Math.floorDiv((int) place - i, DRIFT);
        diagonals.computeIfAbsent(document, k -> new HashMap<>())
            .computeIfAbsent(band, k -> new ArrayList<>()).add(i);
      }
    }
    Set<Integer> found = new TreeSet<>();
    diagonals.forEach((document, bands) -> {
      for (Map.Entry<Integer, List<Integer>> band : bands.entrySet()) {
        // A passage that drifts by insertions or deletions may straddle two neighbouring bands.
        List<Integer> positions = new ArrayList<>(band.getValue());
        positions.addAll(bands.getOrDefault(band.getKey() + 1, List.of()));
        if (dense(positions)) {
          found.add(document);
          return;
        }
      }
    });
    return found;
  }

  /** Whether some window of 150 words holds at least half of its 4-word sequences among {@code positions}. */
  private static boolean dense(List<Integer> positions) {
    if (positions.size() < NEEDED) {
      return false;
    }
    int[] sorted = positions.stream().mapToInt(Integer::intValue).distinct().sorted().toArray();
    for (int lo = 0, hi = 0; hi < sorted.length; hi++) {
      while (sorted[hi] - sorted[lo] > WINDOW - GRAM) {
        lo++;
      }
      if (hi - lo + 1 >= NEEDED) {
        return true;
      }
    }
    return false;
  }

  private int[] words(String text) {
    List<Integer> ids = new ArrayList<>();
    TextNormalizer.forEachWord(text, word -> ids.add(vocabulary.computeIfAbsent(word.toString(), w -> vocabulary.size())));
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  private static long gram(int[] words, int at) {
    return ((long) words[at] * 0x9E3779B97F4A7C15L + words[at + 1]) * 0x9E3779B97F4A7C15L
        + ((long) words[at + 2] << 32 | words[at + 3]);
  }
}
