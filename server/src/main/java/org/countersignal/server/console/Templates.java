package org.countersignal.server.console;

import java.util.Map;
import org.countersignal.server.HtmlTemplates;

/**
 * The console's templates ({@code src/main/jte/console}), compiled to classes in this package by
 * the build so that they may use its package-private types. They are rendered by the server's one
 * engine ({@link HtmlTemplates}), which escapes every value by where it lands; nothing in them
 * writes raw HTML.
 */
final class Templates {

  private Templates() {}

  /** Renders {@code console/NAME.jte}, whose one parameter is {@code model}. */
  static String render(String name, Object model) {
    return HtmlTemplates.render("console/" + name + ".jte", model);
  }

  /** Renders {@code console/NAME.jte} with its parameters by name. */
  static String render(String name, Map<String, Object> params) {
    return HtmlTemplates.render("console/" + name + ".jte", params);
  }

  /** A page that only says the server lacks a feature: its heading and one line. */
  static String placeholder(Viewer viewer, String title, String heading, String text) {
    return render("placeholder", Map.of("viewer", viewer, "title", title, "heading", heading, "text", text));
  }
}
