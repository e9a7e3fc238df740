package org.countersignal.server.console;

import gg.jte.TemplateOutput;
import gg.jte.html.OwaspHtmlTemplateOutput;
import java.util.Locale;
import java.util.Set;
import org.countersignal.server.HtmlText;

/**
 * How the console's templates write a value: as jte's own HTML output does where the place needs
 * more than escaping (script, event handlers, URLs, which it checks for {@code javascript:}), and
 * elsewhere, in text and in plain attribute values, with all of {@code & < > " '} escaped by
 * {@link HtmlText#escape}. jte leaves quotes in text and {@code >} in attributes as they are,
 * which is safe but makes a name read differently from one page to the next, and from the
 * debrief, which escapes with {@link HtmlText} too.
 */
final class ConsoleHtmlOutput extends OwaspHtmlTemplateOutput {

  /** Attributes whose value is a URL or script: jte's own checks apply to them. */
  private static final Set<String> GUARDED = Set.of("href", "src", "srcdoc", "formaction", "action");

  private final TemplateOutput out;
  private String tag;
  private String attribute;

  ConsoleHtmlOutput(TemplateOutput out) {
    super(out);
    this.out = out;
  }

  @Override
  public void setContext(String tagName, String attributeName) {
    super.setContext(tagName, attributeName);
    tag = tagName;
    attribute = attributeName;
  }

  @Override
  public void writeUserContent(String value) {
    if (value != null && plain()) {
      out.writeContent(HtmlText.escape(value));
    } else {
      super.writeUserContent(value);
    }
  }

  private boolean plain() {
    if (tag == null || attribute == null) {
      return tag == null || !(tag.equalsIgnoreCase("script") || tag.equalsIgnoreCase("style"));
    }
    String name = attribute.toLowerCase(Locale.ROOT);
    return !name.startsWith("on") && !GUARDED.contains(name);
  }
}
