package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console's markup, and that of the documents the service hands out whole (the transparency
 * report, the incident debrief), lives in templates, where jte escapes every value by context: no
 * page may go back to building HTML in Java strings (where escaping is opt-in and one forgotten
 * call lets an attacker's statement become script), and no template may write a value unescaped.
 */
class ConsoleTemplatesTest {

  private static final Path TEMPLATES = Path.of("src/main/jte");
  private static final Path CONSOLE_TEMPLATES = TEMPLATES.resolve("console");
  private static final Path SOURCES = Path.of("src/main/java/org/countersignal/server");
  /** The packages that render HTML: the console's pages, the transparency report, the incident debrief. */
  private static final List<Path> RENDERING_SOURCES = List.of(SOURCES.resolve("console"), SOURCES.resolve("transparency"),
      SOURCES.resolve("incident/report"));
  /** A string literal that opens or closes an HTML or SVG element: markup built in Java (not a query's {@code <ids>}). */
  private static final Pattern MARKUP_LITERAL = Pattern.compile("\"[^\"\\n]*</?(a|b|blockquote|br|button|code|details|div|dl|dd|dt|em"
      + "|fieldset|figcaption|figure|form|h[1-6]|img|input|label|legend|li|ol|option|p|pre|section|select|small|span|strong|summary"
      + "|svg|table|tbody|td|textarea|th|thead|time|tr|ul|video|rect|text|line|path|g)[ >/\"][^\"\\n]*\"");

  @Test
  void noTemplateWritesAValueUnescaped() throws IOException {
    List<Path> templates = files(TEMPLATES, ".jte");
    assertThat(files(CONSOLE_TEMPLATES, ".jte")).as("templates in " + CONSOLE_TEMPLATES.toAbsolutePath()).hasSizeGreaterThan(10);
    assertThat(templates).as("the documents' templates").contains(TEMPLATES.resolve("transparency/report.jte"),
        TEMPLATES.resolve("incident/report/debrief.jte"));
    for (Path template : templates) {
      assertThat(Files.readString(template)).as(template.toString()).doesNotContain("$unsafe").doesNotContain("raw(");
    }
  }

  @Test
  void noClassThatRendersHtmlBuildsMarkupInStrings() throws IOException {
    List<Path> sources = new ArrayList<>();
    for (Path dir : RENDERING_SOURCES) {
      sources.addAll(files(dir, ".java"));
    }
    assertThat(sources).as("the documents' classes").contains(SOURCES.resolve("transparency/ReportHtml.java"),
        SOURCES.resolve("incident/report/DebriefHtml.java"));
    List<String> found = new ArrayList<>();
    for (Path source : sources) {
      String text = Files.readString(source);
      Matcher literal = MARKUP_LITERAL.matcher(text);
      while (literal.find()) {
        found.add(SOURCES.relativize(source) + ": " + literal.group());
      }
    }
    assertThat(found).as("HTML in Java string literals").isEmpty();
  }

  @Test
  void theCheckRecognisesMarkupInAString() {
    assertThat(MARKUP_LITERAL.matcher("out.append(\"<td class=\\\"num\\\">\")").find()).isTrue();
    assertThat(MARKUP_LITERAL.matcher("return \"</table>\";").find()).isTrue();
    assertThat(MARKUP_LITERAL.matcher("\"a < b, as 2 <3\"").find()).isFalse();
    assertThat(MARKUP_LITERAL.matcher("\"WHERE k.id IN (<ids>)\"").find()).isFalse();
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(suffix)).toList();
    }
  }
}
