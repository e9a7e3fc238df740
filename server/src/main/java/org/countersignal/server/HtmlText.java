package org.countersignal.server;

/**
 * Text made safe to put in HTML, as element content and as a quoted attribute value alike. The
 * console's pages and the incident debrief both show what users and peers wrote.
 */
public final class HtmlText {

  private HtmlText() {}

  /** {@code value}'s text with {@code & < > " '} escaped; null gives the empty string. */
  public static String escape(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
