package org.countersignal.server.console;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** What the console's forms send, read as the services take it. */
final class FormFields {

  /** What a datetime-local field sends: a time with no offset, which the forms say is UTC. */
  private static final Pattern LOCAL_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?");

  private FormFields() {}

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

  /** {@code text} stripped, or null when it is absent or blank: a field left empty says nothing. */
  static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }

  /** Values typed comma-separated, each stripped; none typed is null, so the service's default applies. */
  static List<String> commaList(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    List<String> values = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        values.add(part.strip());
      }
    }
    return values.isEmpty() ? null : values;
  }
}
