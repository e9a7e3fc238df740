package org.countersignal.server.pdf;

import java.awt.Color;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The type and colours of Countersignal's PDF documents, and text made printable in them. They are
 * set in the standard PDF fonts (Helvetica, Courier), which every reader has and which need no
 * font file; those hold only the Latin characters of Windows-1252, so any other character (an
 * Arabic name, say) is printed as '?'. The HTML and JSON forms of a document carry the text as it
 * was given.
 */
public final class PdfText {

  public static final PDFont REGULAR = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
  public static final PDFont BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
  public static final PDFont MONO = new PDType1Font(Standard14Fonts.FontName.COURIER);
  public static final Color INK = new Color(0x222222);
  public static final Color MUTED = new Color(0x666666);
  public static final Color RULE = new Color(0xCCCCCC);
  public static final Color SHADE = new Color(0xF3F3F3);
  /** What marks a draft or a preview. */
  public static final Color WARNING = new Color(0xB03A00);
  /** Whether a standard font can show a character, by font and code point; a few hundred entries at most in practice. */
  private static final Map<String, Boolean> ENCODABLE = new ConcurrentHashMap<>();

  private PdfText() {}

  /** {@code text} as {@code font} can show it: characters it cannot encode become '?', control characters spaces. */
  public static String safe(PDFont font, String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> {
      if (Character.isISOControl(cp)) {
        out.append(' ');
      } else if (ENCODABLE.computeIfAbsent(font.getName() + ":" + cp, key -> encodable(font, cp))) {
        out.appendCodePoint(cp);
      } else {
        out.append('?');
      }
    });
    return out.toString();
  }

  private static boolean encodable(PDFont font, int cp) {
    try {
      font.encode(new String(Character.toChars(cp)));
      return true;
    } catch (IllegalArgumentException | IOException e) {
      return false;
    }
  }

}
