package org.countersignal.signals.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** One pass gives the same signal and query as computing each on its own. */
class TextSketchedTest {

  @Test
  void theSignalAndTheQueryOfOnePassAreThoseOfTwo() {
    Random random = new Random(5);
    for (int words : new int[] {0, 2, 50, 900, 4000}) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < words; i++) {
        text.append("w").append(random.nextInt(3000)).append(i % 11 == 10 ? ".\n" : " ");
      }
      TextSketcher.Sketched both = TextSketcher.sketched(text);
      assertThat(both.signal()).as("%d words", words).isEqualTo(TextSketcher.signal(text));
      TextSketcher.Query alone = TextSketcher.query(text);
      assertThat(both.query().normalizedSha256()).isEqualTo(alone.normalizedSha256());
      assertThat(both.query().words()).isEqualTo(alone.words());
      assertThat(both.query().whole()).isEqualTo(alone.whole());
      assertThat(both.query().chunks()).isEqualTo(alone.chunks());
      assertThat(both.query().chunkWords()).isEqualTo(alone.chunkWords());
    }
  }
}
