package org.countersignal.server.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/**
 * The console's templates ({@code src/main/jte/console}), compiled to classes in this package by
 * the build. They escape every value by where it lands (text, attribute, URL, script), so a
 * statement, a note or a name that an attacker wrote is shown as text, never run as markup;
 * nothing in them writes raw HTML.
 */
final class Templates {

  private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(null, ContentType.Html, null, "org.countersignal.server");

  private Templates() {}

  /** Renders {@code console/NAME.jte}, whose one parameter is {@code model}. */
  static String render(String name, Object model) {
    StringOutput out = new StringOutput();
    ENGINE.render("console/" + name + ".jte", model, new ConsoleHtmlOutput(out));
    return out.toString();
  }

  /** Renders {@code console/NAME.jte} with its parameters by name. */
  static String render(String name, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    ENGINE.render("console/" + name + ".jte", params, new ConsoleHtmlOutput(out));
    return out.toString();
  }

  /** A page that only says the server lacks a feature: its heading and one line. */
  static String placeholder(Viewer viewer, String title, String heading, String text) {
    return render("placeholder", Map.of("viewer", viewer, "title", title, "heading", heading, "text", text));
  }
}
