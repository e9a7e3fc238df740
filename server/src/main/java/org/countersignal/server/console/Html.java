package org.countersignal.server.console;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * HTML building for the console. Every value that reaches a page goes through {@link #esc}
 * (text and attribute values alike, quotes included), so content ids, statements, reasons and
 * names a platform or a user sent can never become markup.
 */
final class Html {

  private Html() {}

  static String esc(Object value) {
    return org.countersignal.server.HtmlText.escape(value);
  }

  /** Labels or entity tags as a list of tags, or a dash when there are none. */
  static String tags(Collection<String> values) {
    if (values == null || values.isEmpty()) {
      return "<span class=\"muted\">none</span>";
    }
    return values.stream().map(v -> "<span class=\"tag\">" + esc(v) + "</span>").collect(Collectors.joining(" "));
  }

  /** The hidden field every console form carries. */
  static String csrfField(String csrf) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(csrf) + "\">";
  }

  /** A message shown above a page's content (role=alert so screen readers announce it). */
  static String message(String text, boolean error) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    return "<p class=\"" + (error ? "notice error" : "notice") + "\" role=\"" + (error ? "alert" : "status") + "\">" + esc(text) + "</p>";
  }
}
