package org.countersignal.signals.text;

/**
 * Reduces text to a canonical sequence of words, so that trivial evasions (full-width or
 * mathematical letters, Cyrillic/Greek look-alikes, accents, zero-width characters, odd spacing,
 * punctuation, case) do not change any signal computed from it.
 *
 * <p>The text is read one <em>segment</em> at a time: a character with the combining marks (and
 * Hangul vowel and final jamo) that follow it. Each segment is folded on its own
 * ({@link SegmentFolding}: NFKC, invisible characters dropped, marks dropped, case folded,
 * homoglyphs folded), so every normalised word knows the original characters it came from
 * ({@link PositionedWordSink}). Everything that is not a letter or digit becomes a word break;
 * ideographic and other scripts written without spaces are split into one word per character so
 * that shingles still form. Thread-safe and stateless.
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

  /** Receives each normalised word in order with the original characters {@code [start, end)} it came from. */
  @FunctionalInterface
  public interface PositionedWordSink {
    void word(CharSequence word, int start, int end);
  }

  /** Streams the normalised words of {@code text}. */
  public static void forEachWord(CharSequence text, WordSink sink) {
    forEachWord(text, (word, start, end) -> sink.word(word));
  }

  /** Streams the normalised words of {@code text} with their places in it. */
  public static void forEachWord(CharSequence text, PositionedWordSink sink) {
    Words words = new Words(sink);
    int length = text.length();
    for (int i = 0; i < length; ) {
      char c = text.charAt(i);
      // Most text is ASCII with no mark after it: a segment of one character, found without
      // segmentEnd's code point decoding.
      if (c < 0x80 && (i + 1 == length || text.charAt(i + 1) < 0x300)) {
        words.add(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c, i, i + 1);
        i++;
        continue;
      }
      int end = segmentEnd(text, i);
      if (c < 0x80 && end == i + 1) {
        // ASCII fast path: folding is the identity on it except for case.
        words.add(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c, i, end);
      } else {
        String folded = SegmentFolding.fold(text, i, end);
        for (int k = 0; k < folded.length(); ) {
          int cp = folded.codePointAt(k);
          k += Character.charCount(cp);
          words.add(cp, i, end);
        }
      }
      i = end;
    }
    words.flush();
  }

  /**
   * End of the segment starting at {@code start}: its first code point and the marks that follow
   * (which NFKC may compose with it), plus Hangul vowel and final jamo, which compose with the
   * preceding syllable.
   */
  private static int segmentEnd(CharSequence text, int start) {
    int end = start + Character.charCount(Character.codePointAt(text, start));
    while (end < text.length()) {
      char next = text.charAt(end);
      if (next < 0x300) {
        return end;
      }
      int cp = Character.codePointAt(text, end);
      if (!attaches(cp)) {
        return end;
      }
      end += Character.charCount(cp);
    }
    return end;
  }

  private static boolean attaches(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK
        || (cp >= 0x1160 && cp <= 0x11FF) || (cp >= 0xD7B0 && cp <= 0xD7FF);
  }

  /** Builds words from folded code points, remembering where in the original text each began and ended. */
  private static final class Words {
    private final PositionedWordSink sink;
    private final StringBuilder word = new StringBuilder(32);
    private int start;
    private int end;

    Words(PositionedWordSink sink) {
      this.sink = sink;
    }

    void add(int cp, int from, int to) {
      boolean ascii = cp < 0x80;
      if (ascii ? !((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) : !Character.isLetterOrDigit(cp)) {
        flush();
        return;
      }
      if (!ascii && isUnspaced(cp)) {
        flush();
        append(cp, from, to);
        flush();
        return;
      }
      append(cp, from, to);
    }

    private void append(int cp, int from, int to) {
      if (word.isEmpty()) {
        start = from;
      }
      word.appendCodePoint(cp);
      end = to;
    }

    void flush() {
      if (!word.isEmpty()) {
        sink.word(word, start, end);
        word.setLength(0);
      }
    }
  }

  private static boolean isUnspaced(int cp) {
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return switch (script) {
      case HAN, HIRAGANA, KATAKANA, THAI, LAO, KHMER, MYANMAR, TIBETAN -> true;
      default -> false;
    };
  }
}
