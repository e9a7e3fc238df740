package org.countersignal.signals.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Which words of a banked document and of the query a match covers. */
class TextMatchSpanTest {

  private static final int THRESHOLD = TextSignalType.DEFAULT_THRESHOLD;

  @Test
  void chunkWordsAreExactlyTheWordsWhoseShinglesMakeTheChunk() {
    // Oracle: the whole sketch of the words a chunk claims to cover, hashed on their own, is that
    // chunk's sketch; and the chunks cover every word.
    RandomText random = new RandomText(40);
    for (int words : new int[] {1, 2, 3, 4, 5, 100, 130, 131, 132, 133, 140, 200, 211, 500, 1000, 1234, 3001}) {
      List<String> text = random.words(words);
      TextSignal signal = TextSketcher.signal(String.join(" ", text));
      int covered = 0;
      for (int c = 0; c < signal.chunks().size(); c++) {
        TextSpan span = TextSketcher.chunkWords(words, c);
        assertThat(span.from()).as("%d words, chunk %d", words, c).isLessThanOrEqualTo(covered);
        covered = Math.max(covered, span.to());
        MinHashSketch alone = TextSketcher.signal(String.join(" ", text.subList(span.from(), span.to()))).whole();
        assertThat(alone).as("%d words, chunk %d %s", words, c, span).isEqualTo(signal.chunks().get(c));
      }
      assertThat(covered).isEqualTo(words);
    }
  }

  @Test
  void anExcerptMatchesTheBankedWordsItCameFrom() {
    RandomText random = new RandomText(41);
    List<String> document = random.words(3_000);
    TextIndex index = new TextIndex();
    index.add(TextSketcher.signal(random.text(2_000)));
    int banked = index.add(TextSketcher.signal(String.join(" ", document)));

    TextIndex.Match match = only(index.lookup(TextSketcher.query(String.join(" ", document.subList(1_000, 1_300))), THRESHOLD));
    assertThat(match.document()).isEqualTo(banked);
    // The best banked chunk (128 shingles) lies inside the excerpt, give or take the chunk step.
    assertThat(match.bankedFromWord()).isBetween(1_000 - 64, 1_300);
    assertThat(match.bankedToWord()).isBetween(1_000, 1_300 + 64);
    assertThat(match.queryFromWord()).isZero();
    assertThat(match.queryToWord()).isEqualTo(300);
    assertThat(match.queryShare()).isEqualTo(1.0);
  }

  @Test
  void aQuotedPassageIsLocatedInsideALongerQuery() {
    RandomText random = new RandomText(42);
    List<String> document = random.words(2_000);
    TextIndex index = new TextIndex();
    int banked = index.add(TextSketcher.signal(String.join(" ", document)));
    RandomText other = new RandomText(43);
    String query = other.text(400) + " " + String.join(" ", document.subList(500, 900)) + " " + other.text(400);

    TextIndex.Match match = only(index.lookup(TextSketcher.query(query), THRESHOLD));
    assertThat(match.document()).isEqualTo(banked);
    assertThat(match.queryFromWord()).isBetween(400 - 64, 400 + 64);
    assertThat(match.queryToWord()).isBetween(800 - 64, 800 + 64);
    assertThat(match.queryShare()).isBetween(0.25, 0.45);
  }

  @Test
  void exactAndWholeTextMatchesCoverEverything() {
    String text = new RandomText(44).text(600);
    TextIndex index = new TextIndex();
    index.add(TextSketcher.signal(text));
    assertThat(index.lookup(TextSketcher.query(text.toUpperCase()), 0))
        .containsExactly(new TextIndex.Match(0, 0, 0, 600, 0, 600, 1.0));
  }

  @Test
  void concurrentLookupsAgreeWithLookupsOneAtATime() throws Exception {
    RandomText random = new RandomText(45);
    List<String> source = random.words(20_000);
    TextIndex index = new TextIndex();
    for (int d = 0; d < 200; d++) {
      int start = random.random().nextInt(19_000);
      index.add(TextSketcher.signal(d % 2 == 0 ? String.join(" ", source.subList(start, start + 300 + d)) : random.text(500)));
    }
    List<TextSketcher.Query> queries = new ArrayList<>();
    List<List<TextIndex.Match>> expected = new ArrayList<>();
    for (int q = 0; q < 40; q++) {
      int start = random.random().nextInt(18_000);
      TextSketcher.Query query = TextSketcher.query(String.join(" ", source.subList(start, start + 1_000)));
      queries.add(query);
      expected.add(index.lookup(query, THRESHOLD));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> agreed = new ArrayList<>();
      for (int round = 0; round < 20; round++) {
        for (int q = 0; q < queries.size(); q++) {
          int n = q;
          agreed.add(pool.submit(() -> index.lookup(queries.get(n), THRESHOLD).equals(expected.get(n))));
        }
      }
      for (Future<Boolean> f : agreed) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static TextIndex.Match only(List<TextIndex.Match> matches) {
    assertThat(matches).hasSize(1);
    return matches.getFirst();
  }
}
