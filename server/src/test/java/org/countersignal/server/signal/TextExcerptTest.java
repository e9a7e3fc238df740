package org.countersignal.server.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TextExcerptTest {

  /** What a reviewer is shown of a span: its white space collapsed, cut at 280 characters. */
  private static String wholeSpanCollapsed(String text, int from, int to) {
    String span = text.substring(from, to).strip().replaceAll("\\s+", " ");
    return span.length() <= 280 ? span : span.substring(0, 280).strip() + " …";
  }

  @Test
  void excerptsOfLongSpansAreTheWholeSpanCollapsedAndCut() {
    // Words and white-space runs of every length, spans from a few characters to the whole text:
    // collapsing only a start of a long span must show exactly what collapsing all of it shows.
    Random random = new Random(31);
    String[] gaps = {" ", "  ", "\n", "\t \n", " ".repeat(300), "\n".repeat(2_000), "\u2003"};
    for (int round = 0; round < 300; round++) {
      StringBuilder text = new StringBuilder();
      while (text.length() < 20_000) {
        text.append("w".repeat(1 + random.nextInt(random.nextInt(10) == 0 ? 400 : 12)));
        text.append(gaps[random.nextInt(gaps.length)]);
      }
      int from = random.nextInt(text.length() - 1);
      int to = from + 1 + random.nextInt(Math.min(text.length() - from, random.nextBoolean() ? 400 : 20_000));
      assertThat(TextParts.excerpt(text.toString(), from, to)).as("round %d, [%d, %d)", round, from, to)
          .isEqualTo(wholeSpanCollapsed(text.toString(), from, to));
    }
  }
}
