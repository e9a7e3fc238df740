package org.countersignal.server;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/**
 * The server's HTML templates ({@code src/main/jte}), compiled by the build into classes in the
 * package their folder names under this one: the console's pages, and the documents the service
 * hands out whole (the transparency report, the incident debrief). They escape every value by
 * where it lands (text, attribute, URL, script), so a statement, a note or a name that an attacker
 * wrote is shown as text, never run as markup; nothing in them writes raw HTML.
 */
public final class HtmlTemplates {

  private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(null, ContentType.Html, null, "org.countersignal.server");

  private HtmlTemplates() {}

  /**
   * Renders {@code template}, its path under {@code src/main/jte} (e.g. {@code "console/banks.jte"}),
   * whose one parameter is {@code model}.
   */
  public static String render(String template, Object model) {
    StringOutput out = new StringOutput();
    ENGINE.render(template, model, new HtmlTextOutput(out));
    return out.toString();
  }

  /** Renders {@code template} with its parameters by name. */
  public static String render(String template, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    ENGINE.render(template, params, new HtmlTextOutput(out));
    return out.toString();
  }
}
