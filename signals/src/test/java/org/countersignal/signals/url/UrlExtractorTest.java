package org.countersignal.signals.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UrlExtractorTest {

  private static List<String> extract(String text) {
    return UrlExtractor.extract(text).stream().map(CanonicalUrl::text).toList();
  }

  @Test
  void findsLinksInTheWaysPostsWriteThem() {
    String post = "Read it at https://board.example/pnd/res/1.html, or the mirror (www.mirror.example/m).\n"
        + "Backup: hxxps://files[.]example/manifesto.pdf and 8kun.top/pnd/ — also short.example.com! "
        + "Shortened: bit.ly/3xyz. Full-width: ｈｔｔｐｓ://ｗｗｗ.full.example/ｘ and zero\u200Bwidth.example.org/y";
    assertThat(extract(post)).containsExactly(
        "board.example/pnd/res/1.html", "mirror.example/m", "files.example/manifesto.pdf",
        "8kun.top/pnd", "short.example.com", "bit.ly/3xyz", "full.example/x", "zerowidth.example.org/y");
  }

  @Test
  void readsInternationalNamesByIdna2008() {
    String post = "faß.de/flyer and https://ΣΟΦΟΣ.gr/x and हिन्दी.भारत/पृष्ठ and "
        + "\u0915\u094D\u200C\u0937.in/a";
    assertThat(extract(post)).containsExactly(
        "xn--fa-hia.de/flyer", "xn--0xaakcn.gr/x", "xn--j2bd4cyah0f.xn--h2brj9c/%E0%A4%AA%E0%A5%83%E0%A4%B7%E0%A5%8D%E0%A4%A0",
        "xn--11b2ezcs70k.in/a");
  }

  @Test
  void dropsJoinersThatOnlyDisguiseAName() {
    // A joiner between Latin letters is refused in a host name; in a post it is a disguise.
    assertThat(extract("see exa\u200Dmple.com/x and https://evil\u200C.example/y"))
        .containsExactly("example.com/x", "evil.example/y");
  }

  @Test
  void ignoresWordsThatOnlyLookLikeNames() {
    assertThat(extract("see file.txt, version 1.2.3, e.g. this, mail me at person@example.com")).isEmpty();
  }

  @Test
  void deduplicatesByCanonicalForm() {
    assertThat(extract("https://Example.com/a/ http://www.example.com/a?utm_source=x example.com/a"))
        .containsExactly("example.com/a");
  }

  @Test
  void boundedOnHostileText() {
    String hostile = "a.".repeat(200_000) + " " + "http://" + "x".repeat(100_000) + " " + "www.a.b.c.".repeat(20_000);
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      assertThat(UrlExtractor.extract(hostile).size()).isLessThanOrEqualTo(UrlExtractor.MAX_URLS);
    });
  }
}
