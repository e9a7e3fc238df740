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
 * The console's markup lives in its templates, where jte escapes every value by context: no page
 * may go back to building HTML in Java strings (where escaping is opt-in and one forgotten call
 * lets an attacker's statement become script), and no template may write a value unescaped.
 */
class ConsoleTemplatesTest {

  private static final Path TEMPLATES = Path.of("src/main/jte/console");
  private static final Path CONSOLE_SOURCES = Path.of("src/main/java/org/countersignal/server/console");
  /** A string literal that opens or closes an HTML or SVG element: markup built in Java (not a query's {@code <ids>}). */
  private static final Pattern MARKUP_LITERAL = Pattern.compile("\"[^\"\\n]*</?(a|b|blockquote|br|button|code|details|div|dl|dd|dt|em"
      + "|fieldset|figcaption|figure|form|h[1-6]|img|input|label|legend|li|ol|option|p|pre|section|select|small|span|strong|summary"
      + "|svg|table|tbody|td|textarea|th|thead|time|tr|ul|video|rect|text|line|path|g)[ >/\"][^\"\\n]*\"");

  @Test
  void noTemplateWritesAValueUnescaped() throws IOException {
    List<Path> templates = files(TEMPLATES, ".jte");
    assertThat(templates).as("templates in " + TEMPLATES.toAbsolutePath()).hasSizeGreaterThan(10);
    for (Path template : templates) {
      assertThat(Files.readString(template)).as(template.toString()).doesNotContain("$unsafe").doesNotContain("raw(");
    }
  }

  @Test
  void noConsoleClassBuildsMarkupInStrings() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path source : files(CONSOLE_SOURCES, ".java")) {
      String text = Files.readString(source);
      Matcher literal = MARKUP_LITERAL.matcher(text);
      while (literal.find()) {
        found.add(source.getFileName() + ": " + literal.group());
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
