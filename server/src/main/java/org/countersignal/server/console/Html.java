package org.countersignal.server.console;

import java.util.Collection;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * HTML building for the console. Every value that reaches a page goes through {@link #esc}
 * (text and attribute values alike, quotes included), so content ids, statements, reasons and
 * names a platform or a user sent can never become markup.
 */
final class Html {

  /** What a datetime-local field sends: a time with no offset, which the forms say is UTC. */
  private static final Pattern LOCAL_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?");

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

  /**
   * A form's time as the API takes it: a datetime-local value (no offset) is UTC, as the forms
   * say; anything else is passed on for the service to check; empty is null.
   */
  static String utcTime(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String stripped = text.strip();
    return LOCAL_TIME.matcher(stripped).matches() ? stripped + "Z" : stripped;
  }

  /** A message shown above a page's content (role=alert so screen readers announce it). */
  static String message(String text, boolean error) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    return "<p class=\"" + (error ? "notice error" : "notice") + "\" role=\"" + (error ? "alert" : "status") + "\">" + esc(text) + "</p>";
  }
}
