package org.countersignal.signals.text;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Reduces text to a canonical sequence of words, so that trivial evasions (full-width or
 * mathematical letters, Cyrillic/Greek look-alikes, accents, zero-width characters, odd spacing,
 * punctuation, case) do not change any signal computed from it.
 *
 * <p>Steps: NFKC; remove format and control characters (zero-width space/joiners, soft hyphen,
 * bidi controls, BOM) <em>without</em> a word break, so "te\u200Brror" stays one word; decompose
 * and drop combining marks; case fold; fold homoglyphs; everything that is not a letter or digit
 * becomes a word break. Ideographic and other scripts written without spaces are split into one
 * word per character so that shingles still form. Thread-safe and stateless.
 */
public final class TextNormalizer {

  private TextNormalizer() {}

  /** The canonical form: words separated by single spaces, no leading or trailing space. */
  public static String normalize(CharSequence text) {
    StringBuilder out = new StringBuilder(text.length());
    forEachWord(text, word -> {
      if (!out.isEmpty()) {
        out.append(' ');
      }
      out.append(word);
    });
    return out.toString();
  }

  /** Receives each normalised word in order. */
  @FunctionalInterface
  public interface WordSink {
    void word(CharSequence word);
  }

  /** Streams the normalised words of {@code text}. */
  public static void forEachWord(CharSequence text, WordSink sink) {
    String folded = fold(text);
    StringBuilder word = new StringBuilder(32);
    for (int i = 0; i < folded.length(); ) {
      char c = folded.charAt(i);
      if (c < 0x80) {
        // ASCII fast path: after folding only lowercase letters and digits are word characters.
        i++;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
          word.append(c);
        } else {
          flush(word, sink);
        }
        continue;
      }
      int cp = folded.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetterOrDigit(cp)) {
        if (isUnspaced(cp)) {
          flush(word, sink);
          word.appendCodePoint(cp);
          flush(word, sink);
        } else {
          word.appendCodePoint(cp);
        }
      } else {
        flush(word, sink);
      }
    }
    flush(word, sink);
  }

  private static void flush(StringBuilder word, WordSink sink) {
    if (!word.isEmpty()) {
      sink.word(word);
      word.setLength(0);
    }
  }

  /** NFKC, invisible characters dropped, marks dropped, case folded, homoglyphs folded. */
  static String fold(CharSequence text) {
    if (isPlainAscii(text)) {
      // NFKC, NFD and mark removal are the identity on printable ASCII; only case remains.
      return text.toString().toLowerCase(Locale.ROOT);
    }
    String compatible = Normalizer.normalize(text, Normalizer.Form.NFKC);
    StringBuilder visible = new StringBuilder(compatible.length());
    for (int i = 0; i < compatible.length(); ) {
      int cp = compatible.codePointAt(i);
      i += Character.charCount(cp);
      int category = Character.getType(cp);
      if (category == Character.FORMAT || isInvisibleFiller(cp)) {
        continue;
      }
      if (category == Character.CONTROL) {
        visible.append(' ');
        continue;
      }
      visible.appendCodePoint(cp);
    }
    String decomposed = Normalizer.normalize(visible, Normalizer.Form.NFD);
    // Locale.ROOT so that Turkish dotless-i rules never depend on the server's locale.
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
      out.append(Homoglyphs.fold(c));
    }
    return out.toString();
  }

  /** Printable ASCII, tabs and line breaks only: the common case, with nothing to normalise. */
  private static boolean isPlainAscii(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x7F || (c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
        return false;
      }
    }
    return true;
  }

  /** Characters that render as nothing but are not in the format category. */
  private static boolean isInvisibleFiller(int cp) {
    return cp == 0x034F // combining grapheme joiner
        || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 // Hangul fillers
        || (cp >= 0xFE00 && cp <= 0xFE0F) // variation selectors
        || (cp >= 0xE0100 && cp <= 0xE01EF);
  }

  private static boolean isUnspaced(int cp) {
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return switch (script) {
      case HAN, HIRAGANA, KATAKANA, THAI, LAO, KHMER, MYANMAR, TIBETAN -> true;
      default -> false;
    };
  }
}
