package org.countersignal.signals.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextIndexTest {

  private static final TextSignalType TYPE = TextSignalType.INSTANCE;

  @Test
  void findsEveryDocumentWithinFifteenSlotsAndNothingOverTheThreshold() {
    // Oracle: brute force over every sketch pair. With 16 bands of 4 slots, a pair differing in at
    // most 15 slots shares a whole band (pigeonhole), so the index must find it; anything it
    // reports must be within the threshold by brute force too.
    RandomText random = new RandomText(21);
    List<String> base = random.words(4_000);
    List<TextSignal> banked = new ArrayList<>();
    TextIndex index = new TextIndex();
    Random r = new Random(5);
    for (int d = 0; d < 60; d++) {
      List<String> words;
      if (d % 3 == 0) {
        int start = r.nextInt(3_000);
        words = new ArrayList<>(base.subList(start, start + 200 + r.nextInt(800)));
        for (int e = r.nextInt(30); e > 0; e--) {
          words.set(r.nextInt(words.size()), "x" + r.nextInt(100));
        }
      } else {
        words = random.words(100 + r.nextInt(1500));
      }
      TextSignal signal = TextSketcher.signal(String.join(" ", words));
      banked.add(signal);
      assertThat(index.add(signal)).isEqualTo(d);
    }
    for (int q = 0; q < 20; q++) {
      int start = r.nextInt(3_500);
      List<String> words = new ArrayList<>(base.subList(start, start + 100 + r.nextInt(400)));
      for (int e = r.nextInt(20); e > 0; e--) {
        words.remove(r.nextInt(words.size()));
      }
      String text = String.join(" ", words);
      TextSketcher.Query query = TextSketcher.query(text);
      Map<Integer, Integer> found = new HashMap<>();
      for (TextIndex.Match m : index.lookup(query, TYPE.defaultThreshold())) {
        found.put(m.document(), m.distance());
      }
      for (int d = 0; d < banked.size(); d++) {
        int bruteForce = bruteForce(query, banked.get(d));
        if (bruteForce <= 15) {
          assertThat(found).as("doc %d at %d", d, bruteForce).containsEntry(d, bruteForce);
        }
        if (found.containsKey(d)) {
          // A closer pair that shares no band may be missed, so the reported pair can be farther
          // than the closest one; never closer, and never over the threshold.
          assertThat(found.get(d)).isGreaterThanOrEqualTo(bruteForce).isLessThanOrEqualTo(TYPE.defaultThreshold());
        }
      }
    }
  }

  private static int bruteForce(TextSketcher.Query query, TextSignal signal) {
    int best = Integer.MAX_VALUE;
    List<MinHashSketch> bankSketches = new ArrayList<>(signal.chunks());
    bankSketches.add(signal.whole());
    List<MinHashSketch> querySketches = new ArrayList<>(query.chunks());
    querySketches.add(query.whole());
    for (MinHashSketch a : querySketches) {
      for (MinHashSketch b : bankSketches) {
        best = Math.min(best, a.distance(b));
      }
    }
    return best;
  }

  @Test
  void everyDocumentIsFoundAgainAfterTheStorageHasGrownManyTimes() {
    // 7,000 documents of 600 words are about 80,000 chunk sketches: past the first page of
    // sketches, through every band segment's growth and the exact digests' table growth. Every
    // 50th is banked twice; each sampled document, queried with its own text, must come back
    // exactly (distance 0, whole query) with its twin and nothing else exact.
    RandomText random = new RandomText(24);
    TextIndex index = new TextIndex();
    List<String> texts = new ArrayList<>();
    Map<Integer, Integer> twinOf = new HashMap<>();
    for (int d = 0; d < 7_000; d++) {
      String text = String.join(" ", random.words(600));
      texts.add(text);
      TextSignal signal = TextSketcher.signal(text);
      assertThat(index.add(signal)).isEqualTo(texts.size() - 1);
      if (d % 50 == 0) {
        texts.add(text);
        twinOf.put(texts.size() - 2, texts.size() - 1);
        twinOf.put(texts.size() - 1, texts.size() - 2);
        index.add(signal);
      }
    }
    assertThat(index.chunks()).isGreaterThan(65_536);
    for (int d = 0; d < texts.size(); d += d < texts.size() - 200 ? 97 : 1) {
      List<Integer> exact = index.lookup(TextSketcher.query(texts.get(d)), 0).stream()
          .filter(m -> m.distance() == 0 && m.queryShare() == 1.0).map(TextIndex.Match::document).sorted().toList();
      List<Integer> expected = twinOf.containsKey(d) ? List.of(Math.min(d, twinOf.get(d)), Math.max(d, twinOf.get(d))) : List.of(d);
      assertThat(exact).as("document %d", d).isEqualTo(expected);
    }
  }

  @Test
  void aRestoredIndexAnswersAsTheOriginalAndKeepsGrowing() throws IOException {
    RandomText random = new RandomText(25);
    List<String> texts = new ArrayList<>();
    TextIndex original = new TextIndex();
    for (int d = 0; d < 300; d++) {
      texts.add(String.join(" ", random.words(d == 7 ? 20_000 : 100 + d * 3)));
      original.add(TextSketcher.signal(texts.get(d)));
    }
    original.add(TextSketcher.signal(texts.get(5)));
    original.add(TextSketcher.signal("!!!"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    original.writeTo(new StreamSink(new DataOutputStream(bytes)));
    TextIndex restored = TextIndex.readFrom(new StreamSource(bytes.toByteArray()));

    assertThat(restored.documents()).isEqualTo(original.documents());
    assertThat(restored.chunks()).isEqualTo(original.chunks());
    Random r = new Random(9);
    for (int q = 0; q < 40; q++) {
      List<String> words = List.of(texts.get(r.nextInt(texts.size())).split(" "));
      int from = r.nextInt(words.size() / 2);
      TextSketcher.Query query = TextSketcher.query(String.join(" ", words.subList(from, words.size())));
      assertThat(restored.lookup(query, TYPE.defaultThreshold())).isEqualTo(original.lookup(query, TYPE.defaultThreshold()));
    }
    // Both go on growing alike: into the restored arrays, through their next growths.
    for (int d = 0; d < 400; d++) {
      TextSignal signal = TextSketcher.signal(String.join(" ", random.words(500)));
      assertThat(restored.add(signal)).isEqualTo(original.add(signal));
    }
    TextSketcher.Query late = TextSketcher.query(String.join(" ", random.words(800)));
    assertThat(restored.lookup(late, TYPE.defaultThreshold())).isEqualTo(original.lookup(late, TYPE.defaultThreshold()));
    TextSketcher.Query early = TextSketcher.query(texts.get(5));
    assertThat(restored.lookup(early, 0)).extracting(TextIndex.Match::document).containsExactlyInAnyOrder(5, 300);
  }

  @Test
  void aDamagedOrCutIndexFileIsRefused() throws IOException {
    TextIndex index = new TextIndex();
    RandomText random = new RandomText(26);
    for (int d = 0; d < 50; d++) {
      index.add(TextSketcher.signal(String.join(" ", random.words(400))));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    index.writeTo(new StreamSink(new DataOutputStream(bytes)));
    byte[] whole = bytes.toByteArray();
    assertThatThrownBy(() -> TextIndex.readFrom(new StreamSource(Arrays.copyOf(whole, whole.length / 2))))
        .isInstanceOf(IOException.class);
    byte[] badCount = whole.clone();
    badCount[0] = (byte) 0x7f; // the number of documents, far more than the file holds
    assertThatThrownBy(() -> TextIndex.readFrom(new StreamSource(badCount))).isInstanceOf(IOException.class);
  }

  private record StreamSink(DataOutputStream out) implements IndexData.Sink {
    public void putInt(int value) throws IOException {
      out.writeInt(value);
    }

    public void putInts(int[] values, int offset, int length) throws IOException {
      for (int i = 0; i < length; i++) {
        out.writeInt(values[offset + i]);
      }
    }

    public void putLongs(long[] values, int offset, int length) throws IOException {
      for (int i = 0; i < length; i++) {
        out.writeLong(values[offset + i]);
      }
    }

    public void putChars(char[] values, int offset, int length) throws IOException {
      for (int i = 0; i < length; i++) {
        out.writeChar(values[offset + i]);
      }
    }
  }

  private static final class StreamSource implements IndexData.Source {
    private final DataInputStream in;
    private int left;

    StreamSource(byte[] bytes) {
      in = new DataInputStream(new ByteArrayInputStream(bytes));
      left = bytes.length;
    }

    public int getInt() throws IOException {
      left -= 4;
      return in.readInt();
    }

    public int getLength(int elementBytes) throws IOException {
      int length = getInt();
      if (length < 0 || (long) length * elementBytes > left) {
        throw new IOException("length " + length + " does not fit");
      }
      return length;
    }

    public void getInts(int[] into, int offset, int length) throws IOException {
      for (int i = 0; i < length; i++) {
        into[offset + i] = getInt();
      }
    }

    public void getLongs(long[] into, int offset, int length) throws IOException {
      for (int i = 0; i < length; i++) {
        left -= 8;
        into[offset + i] = in.readLong();
      }
    }

    public void getChars(char[] into, int offset, int length) throws IOException {
      for (int i = 0; i < length; i++) {
        left -= 2;
        into[offset + i] = in.readChar();
      }
    }
  }

  @Test
  void exactNormalisedTextMatchesAtZeroEvenWithoutWords() {
    TextIndex index = new TextIndex();
    int empty = index.add(TextSketcher.signal("!!!"));
    int doc = index.add(TextSketcher.signal("Glory to the Attackers"));
    assertThat(index.lookup(TextSketcher.query("glory, to the ATTACKERS!"), 0))
        .containsExactly(new TextIndex.Match(doc, 0, 0, 4, 0, 4, 1.0));
    assertThat(index.lookup(TextSketcher.query("..."), 0))
        .containsExactly(new TextIndex.Match(empty, 0, 0, 0, 0, 0, 1.0));
  }

  @Test
  void excerptsOfBankedDocumentsAreFoundAmongManyOthers() {
    RandomText random = new RandomText(22);
    TextIndex index = new TextIndex();
    List<List<String>> documents = new ArrayList<>();
    for (int d = 0; d < 300; d++) {
      List<String> words = random.words(d == 123 ? 30_000 : 300 + d);
      documents.add(words);
      index.add(TextSketcher.signal(String.join(" ", words)));
    }
    List<String> manifesto = documents.get(123);
    Random r = new Random(3);
    for (int q = 0; q < 10; q++) {
      int start = r.nextInt(29_000);
      String excerpt = String.join(" ", manifesto.subList(start, start + 250));
      List<TextIndex.Match> matches = index.lookup(TextSketcher.query(excerpt), TYPE.defaultThreshold());
      assertThat(matches).isNotEmpty();
      assertThat(matches.getFirst().document()).isEqualTo(123);
    }
  }

  @Test
  void copiesWithAFifthOfTheirWordsEditedAreFoundAtTheDefaultThreshold() {
    // 5 % of words inserted, 5 % deleted, 10 % substituted: what 3-word shingles and the default
    // threshold are chosen for (docs/TEXT.md); 4-word shingles at the old threshold found ~1 in 5.
    RandomText random = new RandomText(23);
    TextIndex index = new TextIndex();
    List<List<String>> documents = new ArrayList<>();
    for (int d = 0; d < 100; d++) {
      List<String> words = random.words(2_000);
      documents.add(words);
      index.add(TextSketcher.signal(String.join(" ", words)));
    }
    Random r = new Random(8);
    int found = 0;
    for (int q = 0; q < 40; q++) {
      int source = r.nextInt(documents.size());
      int start = r.nextInt(1_000);
      List<String> edited = new ArrayList<>();
      for (String word : documents.get(source).subList(start, start + 1_000)) {
        double p = r.nextDouble();
        if (p < 0.05) {
          continue;
        }
        edited.add(p < 0.15 ? "edit" + r.nextInt(50) : word);
        if (r.nextDouble() < 0.05) {
          edited.add("insert" + r.nextInt(50));
        }
      }
      List<TextIndex.Match> matches = index.lookup(TextSketcher.query(String.join(" ", edited)), TYPE.defaultThreshold());
      assertThat(matches).allMatch(m -> m.document() == source);
      found += matches.isEmpty() ? 0 : 1;
    }
    assertThat(found).isGreaterThanOrEqualTo(36);
  }
}
