package org.countersignal.signals.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Normalised word numbers mapped back to the characters of the original text. */
class TextWordOffsetsTest {

  @Test
  void plainText() {
    assertThat(words("Hello,  world!")).containsExactly("Hello", "world");
  }

  @Test
  void zeroWidthCharactersStayInsideTheWordTheyHideIn() {
    assertThat(words("te\u200Brr\u200Dor\uFEFF cell")).containsExactly("te\u200Brr\u200Dor", "cell");
    assertThat(words("\u200Bword")).containsExactly("word");
  }

  @Test
  void fullWidthAndMathematicalLetters() {
    String text = "ｔｈｅ ＭＡＮＩＦＥＳＴＯ \uD835\uDC00\uD835\uDC01c";
    assertThat(words(text)).containsExactly("ｔｈｅ", "ＭＡＮＩＦＥＳＴＯ", "\uD835\uDC00\uD835\uDC01c");
  }

  @Test
  void combiningMarksBelongToTheirLetter() {
    assertThat(words("cre\u0300me bru\u0302le\u0301e")).containsExactly("cre\u0300me", "bru\u0302le\u0301e");
  }

  @Test
  void eachCjkCharacterIsAWordAndALigatureSquareGivesSeveral() {
    assertThat(words("恐怖 abc")).containsExactly("恐", "怖", "abc");
    // ㍿ folds to the four characters 株式会社: four words, each pointing at the one square.
    assertThat(TextSketcher.wordOffsets("x ㍿")).containsExactly(new TextSpan(0, 1), new TextSpan(2, 3),
        new TextSpan(2, 3), new TextSpan(2, 3), new TextSpan(2, 3));
  }

  @Test
  void everyWordIsWhatItsOwnCharactersNormaliseTo() {
    // Oracle: normalising the original characters of word i on their own yields word i (or, for a
    // character that folds to several words, a run containing it); words come in text order.
    Random random = new Random(17);
    String[] pieces = {"a", "B", "é", "e\u0301", "\u200B", "\u00AD", " ", ", ", "ｘ", "\u0430", "恐", "\u3000",
        "\uD835\uDC1A", "ß", "ﬁ", "\u0644\u064E", "Σ", "가", "\u1100\u1161", "\n", "1", "①"};
    for (int n = 0; n < 500; n++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(40); i > 0; i--) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      String[] normalised = TextNormalizer.normalize(text).split(" ");
      List<TextSpan> offsets = TextSketcher.wordOffsets(text);
      assertThat(offsets).hasSize(text.isEmpty() || normalised[0].isEmpty() ? 0 : normalised.length);
      int previousEnd = 0;
      for (int w = 0; w < offsets.size(); w++) {
        TextSpan span = offsets.get(w);
        assertThat(span.to()).isLessThanOrEqualTo(text.length());
        assertThat(span.from()).as("%s word %d", text, w).isGreaterThanOrEqualTo(
            w > 0 && span.equals(offsets.get(w - 1)) ? span.from() : previousEnd);
        previousEnd = span.to();
        List<String> alone = List.of(TextNormalizer.normalize(text.subSequence(span.from(), span.to())).split(" "));
        assertThat(alone).as("%s word %d", text, w).contains(normalised[w]);
      }
      // The query carries the same offsets, found in the pass that sketches the text.
      TextSketcher.WordOffsets carried = TextSketcher.query(text).offsets();
      assertThat(carried.count()).as("%s", text).isEqualTo(offsets.size());
      for (int w = 0; w < offsets.size(); w++) {
        assertThat(new TextSpan(carried.start(w), carried.end(w))).as("%s word %d", text, w).isEqualTo(offsets.get(w));
      }
    }
  }

  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    for (TextSpan span : TextSketcher.wordOffsets(text)) {
      out.add(text.substring(span.from(), span.to()));
    }
    return out;
  }
}
