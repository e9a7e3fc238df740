package org.countersignal.server;

import java.util.Locale;
import org.countersignal.server.RequestException.Kind;

/**
 * Which characters text written by clients (names, tags, descriptions, notes, reasons) may hold.
 * Such text is shown to other people in the console, in webhook payloads and in exports, so it
 * must read there as it was written: no control characters (a NUL truncates it in C readers, a
 * CR or a BEL rewrites a terminal line, an LF forges a second line in a log), no bidirectional
 * overrides, embeddings or isolates (U+202A to U+202E, U+2066 to U+2069, which reorder the rest
 * of the line, so that a name shows as another), and no invisible formatting characters that make
 * two different names look alike (zero-width space, word joiner, byte-order mark, soft hyphen,
 * tag characters).
 *
 * <p>Right-to-left writing needs none of these and stays welcome: Arabic, Hebrew and Persian
 * letters carry their own direction. A few format characters belong to writing systems and are
 * kept: the zero-width non-joiner and joiner (Persian spelling, Indic scripts, emoji), the
 * left-to-right, right-to-left and Arabic letter marks (they only settle the direction of digits
 * and punctuation beside them, which mixed Arabic and Latin text needs, and cannot reorder the
 * letters of the line), and the Arabic and Syriac number and verse signs.
 *
 * <p>One-line fields (names, tags) take none of the refused characters; free text of several
 * lines (descriptions, notes, reasons, statements) also takes LF and TAB, with a CR LF pair (what
 * browsers send from a text area) kept as LF.
 */
public final class TextFields {

  private TextFields() {}

  /** {@code text} (null stays null) if it is one line of text this service accepts; else a 400 naming {@code field}. */
  public static String line(String text, String field) {
    return check(text, field, false);
  }

  /** {@code text} (null stays null) with CR LF as LF, if it is free text this service accepts; else a 400 naming {@code field}. */
  public static String paragraphs(String text, String field) {
    return text == null ? null : check(text.replace("\r\n", "\n"), field, true);
  }

  /**
   * The {@code reason} of a curator's decision as {@link #paragraphs}: required, since a decision
   * nobody explained cannot be reviewed, and at most {@code max} characters; else a 422 naming
   * {@code reason} that says it is kept with {@code keptWith} and in the audit log.
   */
  public static String reason(String text, int max, String keptWith) {
    String why = paragraphs(text, "reason");
    if (why == null || why.isBlank()) {
      throw RequestException.invalid("reason", "say why: it is kept with " + keptWith + " and in the audit log");
    }
    if (why.length() > max) {
      throw RequestException.invalid("reason", "at most " + max + " characters");
    }
    return why;
  }

  private static String check(String text, String field, boolean multiLine) {
    if (text == null) {
      return null;
    }
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (refused(c, multiLine)) {
        throw new RequestException(Kind.MALFORMED, field, field + ": character " + (text.codePointCount(0, i) + 1) + " is "
            + describe(c) + ", which is not allowed here; "
            + (multiLine ? "text here has no control or invisible formatting characters other than line breaks and tabs"
                : "a name or tag is one line without control or invisible formatting characters"));
      }
      i += Character.charCount(c);
    }
    return text;
  }

  private static boolean refused(int c, boolean multiLine) {
    if (multiLine && (c == '\n' || c == '\t')) {
      return false;
    }
    return switch (Character.getType(c)) {
      // Controls (C0, DEL, C1), line and paragraph separators, and half a surrogate pair (which no
      // encoding can store).
      case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SURROGATE -> true;
      case Character.FORMAT -> !writingSystemFormat(c);
      default -> false;
    };
  }

  /** The format characters scripts need (see the class comment); every other one is refused. */
  private static boolean writingSystemFormat(int c) {
    return c == 0x200C || c == 0x200D // zero-width non-joiner, joiner
        || c == 0x200E || c == 0x200F || c == 0x061C // left-to-right, right-to-left, Arabic letter marks
        || (c >= 0x0600 && c <= 0x0605) || c == 0x06DD || c == 0x070F || c == 0x0890 || c == 0x0891 || c == 0x08E2;
  }

  private static String describe(int c) {
    String name = Character.getName(c);
    return String.format(Locale.ROOT, "U+%04X", c) + (name == null ? "" : " (" + name.toLowerCase(Locale.ROOT) + ")");
  }
}
