package org.countersignal.signals.text;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Folds one segment of text (a character and the marks attached to it): NFKC; format characters
 * and invisible fillers dropped <em>without</em> a word break, so "te\u200Brror" stays one word;
 * control characters become spaces; NFD and combining marks dropped (accents, harakat); case
 * folded with {@link Locale#ROOT}; {@code ß} to {@code ss}; decimal digits of every script to
 * ASCII; Arabic-script letter forms folded ({@link ArabicLetters}); homoglyphs folded. Segments of
 * one BMP character (nearly all of them) are remembered, so non-Latin text costs a table look-up
 * per character.
 */
final class SegmentFolding {

  /** Folded form of each BMP character, filled as met; a benign race, as Strings are immutable. */
  private static final String[] SINGLE = new String[0x10000];

  private SegmentFolding() {}

  static String fold(CharSequence text, int start, int end) {
    if (end == start + 1) {
      char c = text.charAt(start);
      String folded = SINGLE[c];
      if (folded == null) {
        folded = foldUncached(String.valueOf(c));
        SINGLE[c] = folded;
      }
      return folded;
    }
    return foldUncached(text.subSequence(start, end));
  }

  private static String foldUncached(CharSequence segment) {
    String compatible = Normalizer.normalize(segment, Normalizer.Form.NFKC);
    StringBuilder visible = new StringBuilder(compatible.length());
    for (int i = 0; i < compatible.length(); ) {
      int cp = compatible.codePointAt(i);
      i += Character.charCount(cp);
      int category = Character.getType(cp);
      if (category == Character.FORMAT || isInvisibleFiller(cp)) {
        continue;
      }
      visible.appendCodePoint(category == Character.CONTROL ? ' ' : cp);
    }
    String decomposed = Normalizer.normalize(visible, Normalizer.Form.NFD);
    String lower = decomposed.toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      int category = Character.getType(c);
      if (category == Character.NON_SPACING_MARK || category == Character.ENCLOSING_MARK
          || category == Character.COMBINING_SPACING_MARK) {
        continue;
      }
      if (c == 'ß') {
        out.append("ss");
        continue;
      }
      if (c >= 0x80 && category == Character.DECIMAL_DIGIT_NUMBER) {
        // Arabic-Indic, Persian, Devanagari, ... digits: NFKC leaves them, readers do not tell them apart.
        out.append((char) ('0' + Character.digit(c, 10)));
        continue;
      }
      char arabic = ArabicLetters.fold(c);
      if (arabic != ArabicLetters.DROP) {
        out.append(Homoglyphs.fold(arabic));
      }
    }
    return out.toString();
  }

  /** Characters that render as nothing but are not in the format category. */
  private static boolean isInvisibleFiller(int cp) {
    return cp == 0x034F // combining grapheme joiner
        || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 // Hangul fillers
        || (cp >= 0xFE00 && cp <= 0xFE0F) // variation selectors
        || (cp >= 0xE0100 && cp <= 0xE01EF);
  }
}
