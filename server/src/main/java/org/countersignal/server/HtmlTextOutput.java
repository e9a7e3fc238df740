package org.countersignal.server;

import gg.jte.TemplateOutput;
import gg.jte.html.OwaspHtmlTemplateOutput;
import java.util.Locale;
import java.util.Set;

/**
 * jte's HTML output, escaping text and plain attribute values as the server's pages always have
 * ({@link HtmlText#escape}: quotes as well, and {@code >} in attributes too). jte leaves quotes in
 * text as they are, which is safe, but the console's pages, the documents, their tests and the
 * people who read their source expect one way of writing a stored name or statement whatever
 * surrounds it. Scripts, event handlers and URL attributes keep jte's own escaping, which checks
 * what a URL may start with.
 */
final class HtmlTextOutput extends OwaspHtmlTemplateOutput {

  private static final Set<String> URL_ATTRIBUTES = Set.of("href", "src", "srcdoc", "action", "formaction");

  private String tag;
  private String attribute;

  HtmlTextOutput(TemplateOutput output) {
    super(output);
  }

  @Override
  public void setContext(String tagName, String attributeName) {
    super.setContext(tagName, attributeName);
    tag = tagName;
    attribute = attributeName;
  }

  @Override
  public void writeUserContent(String value) {
    if (value == null || !plain()) {
      super.writeUserContent(value);
      return;
    }
    writeContent(HtmlText.escape(value));
  }

  /** Text in an element other than a script or a style sheet, or a value of an attribute that is neither a URL nor a handler. */
  private boolean plain() {
    boolean inAttribute = tag != null && attribute != null;
    if (!inAttribute) {
      return !"script".equalsIgnoreCase(tag) && !"style".equalsIgnoreCase(tag);
    }
    String name = attribute.toLowerCase(Locale.ROOT);
    return !name.startsWith("on") && !URL_ATTRIBUTES.contains(name);
  }
}
