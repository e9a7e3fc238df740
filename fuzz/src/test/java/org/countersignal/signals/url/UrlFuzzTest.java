package org.countersignal.signals.url;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.countersignal.signals.ContentException;

/**
 * Text as a URL to canonicalise (a URL a client submits) and as prose to find URLs in (a post, a
 * document's text). Canonicalising may only refuse with a {@link ContentException}; extraction
 * never fails. Both must give canonical forms that canonicalise to themselves, or a banked URL
 * and the same URL found later would not be equal.
 */
class UrlFuzzTest {

  @FuzzTest(maxDuration = "5m")
  void canonicalizeAndExtract(byte[] data) throws ContentException {
    String text = new String(data, StandardCharsets.UTF_8);
    try {
      assertStable(UrlCanonicalizer.canonicalize(text));
    } catch (ContentException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    for (CanonicalUrl url : UrlExtractor.extract(text)) {
      assertStable(url);
    }
  }

  private static void assertStable(CanonicalUrl url) throws ContentException {
    assertThat(UrlCanonicalizer.canonicalize(url.text())).isEqualTo(url);
  }
}
