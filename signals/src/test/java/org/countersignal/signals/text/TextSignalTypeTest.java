package org.countersignal.signals.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.countersignal.signals.Content;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentType;
import org.countersignal.signals.MalformedSignalException;
import org.junit.jupiter.api.Test;

class TextSignalTypeTest {

  private final TextSignalType type = TextSignalType.INSTANCE;

  @Test
  void exactPartIsSha256OfTheNormalisedText() throws Exception {
    TextSignal signal = type.hash("Ｈｅｌｌｏ,   W\u200Borld!");
    byte[] expected = MessageDigest.getInstance("SHA-256").digest("hello world".getBytes(StandardCharsets.UTF_8));
    assertThat(signal.exactHex()).isEqualTo(HexFormat.of().formatHex(expected));
    assertThat(signal.words()).isEqualTo(2);
  }

  @Test
  void formatAndParseRoundTrip() throws Exception {
    RandomText random = new RandomText(1);
    for (int words : new int[] {0, 1, 3, 4, 50, 200, 1000, 3000}) {
      TextSignal signal = type.hash(random.text(words));
      String text = type.format(signal);
      assertThat(text).startsWith("t2:");
      assertThat(type.parse(text)).isEqualTo(signal);
      assertThat(type.format(type.parse(text))).isEqualTo(text);
    }
  }

  @Test
  void malformedTextFormsAreRefusedWithAReason() {
    String good = type.format(TextSketcher.signal(new RandomText(2).text(300)));
    for (String bad : List.of("", "x1:abc", "t2:zz:1:", "t2:" + "0".repeat(64) + ":-1:",
        "t2:" + "0".repeat(64) + ":5:%%%", "t2:" + "0".repeat(64) + ":5:AAAA", "t1:" + good.substring(3),
        good.substring(0, good.length() - 3), good + ":extra")) {
      assertThatThrownBy(() -> type.parse(bad)).as(bad).isInstanceOf(MalformedSignalException.class);
    }
    assertThatThrownBy(() -> type.parse(null)).isInstanceOf(MalformedSignalException.class);
  }

  @Test
  void damagedTextFormsParseOrFailAsMalformedNeverOtherwise() {
    java.util.Random random = new java.util.Random(31);
    String good = type.format(TextSketcher.signal(new RandomText(9).text(600)));
    String alphabet = "t2:0123456789abcdefABCDEF-_=+/ \u00e9";
    for (int n = 0; n < 3000; n++) {
      StringBuilder damaged = new StringBuilder(good);
      for (int e = 1 + random.nextInt(4); e > 0; e--) {
        int at = random.nextInt(damaged.length());
        switch (random.nextInt(3)) {
          case 0 -> damaged.deleteCharAt(at);
          case 1 -> damaged.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
          default -> damaged.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      try {
        TextSignal parsed = type.parse(damaged.toString());
        assertThat(type.parse(type.format(parsed))).isEqualTo(parsed);
      } catch (MalformedSignalException expected) {
        assertThat(expected.getMessage()).startsWith("malformed text signal");
      }
    }
  }

  @Test
  void documentContentIsExtractedBeforeHashing() throws Exception {
    String html = "<html><body><p>Spread the word</p><script>ignored()</script></body></html>";
    assertThat(type.hash(new Content(ContentType.DOCUMENT, html.getBytes(StandardCharsets.UTF_8))).exactHex())
        .isEqualTo(type.hash("spread the word").exactHex());
  }

  @Test
  void estimatesJaccardSimilarityOfShingleSets() {
    // Oracle: the exact Jaccard similarity of shingle sets, computed here with strings.
    RandomText random = new RandomText(3);
    double totalError = 0;
    int trials = 60;
    for (int t = 0; t < trials; t++) {
      List<String> a = random.words(120);
      List<String> b = new ArrayList<>(a);
      int edits = random.random().nextInt(40);
      for (int e = 0; e < edits; e++) {
        b.set(random.random().nextInt(b.size()), "edit" + random.random().nextInt(1000));
      }
      double truth = jaccard(shingles(a), shingles(b));
      double estimate = TextSketcher.signal(String.join(" ", a)).whole()
          .similarity(TextSketcher.signal(String.join(" ", b)).whole());
      assertThat(Math.abs(estimate - truth)).as("truth %.2f estimate %.2f", truth, estimate).isLessThan(0.25);
      totalError += Math.abs(estimate - truth);
    }
    // Standard error of a 64-slot estimate is at most 1/16.
    assertThat(totalError / trials).isLessThan(0.08);
  }

  private static Set<String> shingles(List<String> words) {
    Set<String> out = new HashSet<>();
    int k = MinHashParameters.SHINGLE_WORDS;
    for (int i = 0; i + k <= words.size(); i++) {
      out.add(String.join(" ", words.subList(i, i + k)));
    }
    return out;
  }

  private static double jaccard(Set<String> a, Set<String> b) {
    Set<String> both = new HashSet<>(a);
    both.retainAll(b);
    Set<String> either = new HashSet<>(a);
    either.addAll(b);
    return (double) both.size() / either.size();
  }

  @Test
  void excerptOfALongDocumentMatchesAndUnrelatedTextDoesNot() throws Exception {
    RandomText random = new RandomText(4);
    List<String> document = random.words(20_000);
    TextSignal banked = type.hash(String.join(" ", document));
    for (int start : new int[] {0, 777, 5_013, 19_500 - 300}) {
      String excerpt = String.join(" ", document.subList(start, start + 300));
      assertThat(type.distance(type.hash(excerpt), banked)).as("excerpt at %d", start)
          .isLessThanOrEqualTo(type.defaultThreshold());
    }
    TextSignal unrelated = type.hash(new RandomText(5).text(5_000));
    assertThat(type.distance(unrelated, banked)).isGreaterThan(type.defaultThreshold());
  }

  @Test
  void evasionsGiveDistanceZero() throws Exception {
    String plain = new RandomText(6).text(500);
    String disguised = plain.toUpperCase().replace("e", "\u0435").replace(" ", " \u200B ,  ");
    assertThat(type.distance(type.hash(plain), type.hash(disguised))).isZero();
  }

  @Test
  void distanceIsSymmetricAndZeroOnItself() throws Exception {
    RandomText random = new RandomText(8);
    for (int i = 0; i < 20; i++) {
      TextSignal a = type.hash(random.text(50 + random.random().nextInt(800)));
      TextSignal b = type.hash(random.text(50 + random.random().nextInt(800)));
      assertThat(type.distance(a, a)).isZero();
      assertThat(type.distance(a, b)).isEqualTo(type.distance(b, a)).isBetween(0, MinHashParameters.SLOTS);
    }
  }

  @Test
  void textContentIsDecodedAndOversizedTextRefused() throws Exception {
    byte[] latin1 = "caf\u00e9 manifesto".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(type.hash(new Content(ContentType.TEXT, latin1)).exactHex())
        .isEqualTo(type.hash("cafe manifesto").exactHex());
    byte[] utf16 = "\uFEFFcafé".getBytes(StandardCharsets.UTF_16BE);
    assertThat(type.hash(new Content(ContentType.TEXT, utf16)).exactHex()).isEqualTo(type.hash("cafe").exactHex());
    assertThatThrownBy(() -> type.hash("a".repeat(TextSignalType.DEFAULT_MAX_CHARS + 1)))
        .isInstanceOfSatisfying(ContentException.class,
            e -> assertThat(e.reason()).isEqualTo(ContentException.Reason.TOO_LARGE));
  }
}
