package org.countersignal.server.console;

import java.util.ArrayList;
import java.util.List;

/** What the console's forms send, read as the services take it. */
final class FormFields {

  private FormFields() {}

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
