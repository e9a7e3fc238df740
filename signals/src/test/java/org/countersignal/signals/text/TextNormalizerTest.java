package org.countersignal.signals.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextNormalizerTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Ｔｈｅ ＭＡＮＩＦＥＳＴＯ|the manifesto",
      "\u043C\u0430nif\u0435st\u043E|manifesto",
      "\u0391\u0392\u0395 \u03BF\u03BD\u03B5|abe ove",
      "te\u200Brr\u200Cor\u200D\u2060ist\uFEFF|terrorist",
      "soft\u00ADhyphen|softhyphen",
      "Crème  brûlée!!!   |creme brulee",
      "Straße|strasse",
      "hello,world...and;more|hello world and more",
      "\uD835\uDC00\uD835\uDC01\uD835\uDC02 \u2460|abc 1",
      "\u202Eevil\u202C text|evil text",
  })
  void foldsEvasionsOntoPlainWords(String input, String expected) {
    assertThat(TextNormalizer.normalize(input)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // tatweel (kashida) stretches a word without changing it
      "كـــتاب|كتاب",
      // harakat, shadda, sukun and superscript alef are dropped
      "كِتَابٌ مُحَمَّد هٰذا|كتاب محمد هذا",
      // alef with hamza above, below, madda, wasla
      "أحمد إسلام آمن ٱلله|احمد اسلام امن الله",
      // alef maksura, yeh with hamza, Farsi yeh and yeh barree are yeh
      "على مسئول علی ہے|علي مسيول علي هي",
      // teh marbuta (Arabic and Urdu) is heh
      "مدرسة صلوۃ|مدرسه صلوه",
      // Persian and Urdu letter forms: keheh, gaf, heh goal, heh doachashmee, noon ghunna
      "کتاب گل ہم ھم میں|كتاب كل هم هم مين",
      // Arabic-Indic and Extended Arabic-Indic (Persian) digits
      "٢٠١٩ ۲۰۱۹ २|2019 2019 2",
      // presentation forms and the lam-alef ligature fold through NFKC
      "ﻻﺎ|لاا",
  })
  void foldsArabicScriptSpellingsOntoOneForm(String input, String expected) {
    assertThat(TextNormalizer.normalize(input)).isEqualTo(expected);
  }

  @Test
  void arabicRespellingsNeverChangeTheResult() {
    // The same sentence with kashida, harakat, hamza forms, Persian letters and Persian digits.
    String plain = "قال الكاتب في المدينة على ١٢ بابا";
    String respelled = "قـالَ ٱلکـاتِبُ فی "
        + "ألمدینه علي ۱۲ بآبا";
    assertThat(TextNormalizer.normalize(respelled)).isEqualTo(TextNormalizer.normalize(plain));
  }

  @Test
  void controlCharactersAndOddSpacesBreakWords() {
    assertThat(TextNormalizer.normalize("line\u0000one\ttwo\r\nthree")).isEqualTo("line one two three");
    assertThat(TextNormalizer.normalize("  \u3000leading and trailing \u00A0")).isEqualTo("leading and trailing");
  }

  @Test
  void splitsScriptsWithoutSpacesIntoCharacters() {
    assertThat(TextNormalizer.normalize("恐怖主义 manifesto")).isEqualTo("恐 怖 主 义 manifesto");
  }

  @Test
  void emptyAndPunctuationOnlyTextHasNoWords() {
    assertThat(TextNormalizer.normalize("")).isEmpty();
    assertThat(TextNormalizer.normalize(" ,.;!? \u200B\n")).isEmpty();
  }

  @Test
  void isIdempotentOnRandomText() {
    Random random = new Random(7);
    for (int n = 0; n < 300; n++) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 60; i++) {
        text.appendCodePoint(random.nextInt(4) == 0 ? 0x20 + random.nextInt(0x60) : random.nextInt(0x3000));
      }
      String once = TextNormalizer.normalize(text);
      assertThat(TextNormalizer.normalize(once)).isEqualTo(once);
    }
  }

  @Test
  void invisibleInsertionsAndHomoglyphsNeverChangeTheResult() {
    Random random = new Random(11);
    String plain = "the attacker posted a long manifesto before the attack on the mosques";
    String expected = TextNormalizer.normalize(plain);
    char[] invisible = {'\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD'};
    for (int n = 0; n < 200; n++) {
      StringBuilder disguised = new StringBuilder();
      for (char c : plain.toCharArray()) {
        switch (random.nextInt(6)) {
          case 0 -> disguised.append(Character.toUpperCase(c));
          case 1 -> disguised.append(switch (c) {
            case 'a' -> '\u0430';
            case 'e' -> '\u0435';
            case 'o' -> '\u03BF';
            case 'p' -> '\u0440';
            case 'c' -> '\u0441';
            default -> c;
          });
          case 2 -> disguised.append(c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'ａ') : c);
          default -> disguised.append(c);
        }
        if (random.nextInt(4) == 0) {
          disguised.append(invisible[random.nextInt(invisible.length)]);
        }
        if (c == ' ' && random.nextBoolean()) {
          disguised.append(random.nextBoolean() ? "  \n" : " - ");
        }
      }
      assertThat(TextNormalizer.normalize(disguised)).as(disguised.toString()).isEqualTo(expected);
    }
  }
}
