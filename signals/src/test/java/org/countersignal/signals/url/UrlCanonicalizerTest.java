package org.countersignal.signals.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlCanonicalizerTest {

  @ParameterizedTest
  @CsvSource(delimiter = ' ', value = {
      "HTTP://WWW.Example.COM/ example.com",
      "https://example.com:443/a/ example.com/a",
      "http://example.com:80 example.com",
      "http://example.com:8080/a example.com:8080/a",
      "https://example.com./a//b/./c/../d/ example.com/a/b/d",
      "https://user:pw@example.com/x example.com/x",
      "https://trusted.com@evil.example/x evil.example/x",
      "https://example.com/a?utm_source=x&b=2&fbclid=abc&a=1&gclid=z example.com/a?a=1&b=2",
      "https://example.com/a#section example.com/a",
      "https://example.com/%7euser/%41b%2fc example.com/~user/Ab%2Fc",
      "https://example.com/caf%c3%a9 example.com/caf%C3%A9",
      "https://example.com/café example.com/caf%C3%A9",
      "https://bücher.example/x xn--bcher-kva.example/x",
      "https://ＥＸＡＭＰＬＥ.com/x example.com/x",
      "hxxps://evil[.]example/path evil.example/path",
      "example.com/page example.com/page",
      "//example.com/page example.com/page",
      "http://3232235777/ 192.168.1.1",
      "http://0xC0.0250.1.1/ 192.168.1.1",
      "http://[2001:DB8::1]:8080/ [2001:db8::1]:8080",
      "https://www.youtube.com/watch?v=abc&si=tracking youtube.com/watch?v=abc",
      "https://WWW.www.example.org/x example.org/x",
      "https://www.www.org/x www.org/x",
      "https://example.com/a(\u200C.)b example.com/a.b",
      "hxxps://evil[(.)]example/x evil.example/x",
      "https://x.com/user/status/1?s=20&t=abc x.com/user/status/1",
      "https://example.com/search?q=a+b&q=c example.com/search?q=a+b&q=c",
      "<https://example.com/x> example.com/x",
      "https://exa\u200Bmple.com/x example.com/x",
  })
  void canonicalisesTheSpellingsOfOnePage(String input, String expected) throws Exception {
    assertThat(UrlCanonicalizer.canonicalize(input).text()).isEqualTo(expected);
  }

  /** Where IDNA2003 (java.net.IDN) and IDNA2008 nontransitional disagree, the browser's host wins. */
  @ParameterizedTest
  @CsvSource(delimiter = ' ', value = {
      "https://faß.de/x xn--fa-hia.de/x",                 // IDNA2003: fass.de
      "https://FASS.de/x fass.de/x",
      "https://ΣΟΦΟΣ.gr/ xn--0xaakcn.gr",                 // capitals fold to σ everywhere
      "https://σοφος.gr/ xn--0xaajbq.gr",                 // final ς kept; IDNA2003: the σ form
      "https://xn--fa-hia.de/ xn--fa-hia.de",             // punycode input is validated and kept
      "https://\u0915\u094D\u200C\u0937.in/ xn--11b2ezcs70k.in", // ZWNJ after a virama is needed; IDNA2003 dropped it
      "https://пример.рф/ xn--e1afmkfd.xn--p1ai",
      "https://♥.example/ xn--g6h.example",               // symbols that browsers still accept
      "https://example。com/x example.com/x",             // ideographic full stop is a dot
      "https://r3---sn-4g5e6nz7.googlevideo.com/v r3---sn-4g5e6nz7.googlevideo.com/v",
      "https://-name.blogspot.com/ -name.blogspot.com",
      "https://exa\u200Bmple.com/a\u200Db example.com/ab",  // invisible characters hiding a name
  })
  void followsIdna2008(String input, String expected) throws Exception {
    assertThat(UrlCanonicalizer.canonicalize(input).text()).isEqualTo(expected);
  }

  @Test
  void refusesHostsThatIdna2008Forbids() {
    assertRefused("https://\u0301abc.example/", "starts with a combining mark");
    assertRefused("https://exa\u200Cmple.com/", "joiner");         // ZWNJ between Latin letters
    assertRefused("https://exa\u200Dmple.com/", "joiner");         // ZWJ outside a virama context
    assertRefused("https://xn--zz.com/", "punycode");
    assertRefused("https://\u0663\u0664.com/", "Bidi");            // Arabic-Indic digits leading a label
    assertRefused("https://a..b.example/", "empty label");
    assertRefused("https://" + "a".repeat(64) + ".com/", "63");
    assertRefused("https://1.2.3.999/", "IPv4");
  }

  @Test
  void isIdempotent() throws Exception {
    Random random = new Random(3);
    String alphabet = "abcXYZ019-._~%/?&=#:@+ é";
    for (int n = 0; n < 2000; n++) {
      StringBuilder url = new StringBuilder("https://Host").append(random.nextInt(5)).append(".example");
      for (int i = random.nextInt(30); i > 0; i--) {
        url.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      CanonicalUrl once;
      try {
        once = UrlCanonicalizer.canonicalize(url.toString());
      } catch (ContentException e) {
        continue;
      }
      assertThat(UrlCanonicalizer.canonicalize(once.text())).as(url.toString()).isEqualTo(once);
    }
  }

  @Test
  void refusesWhatIsNotAWebUrl() {
    assertReason("javascript:alert(1)://x", Reason.UNSUPPORTED_FORMAT);
    assertReason("ftp://example.com/file", Reason.UNSUPPORTED_FORMAT);
    assertReason("https://", Reason.CORRUPT);
    assertReason("https://exa mple.com/", Reason.CORRUPT);
    assertReason("https://example.com:99999/", Reason.CORRUPT);
    assertReason("https://" + "a".repeat(300) + ".com/", Reason.CORRUPT);
    assertReason("https://example.com/" + "a".repeat(UrlCanonicalizer.MAX_LENGTH), Reason.TOO_LARGE);
    assertReason("   ", Reason.CORRUPT);
  }

  @Test
  void hostileInputFinishesQuickly() {
    Random random = new Random(9);
    assertThat(Duration.ofSeconds(5)).satisfies(limit -> org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(limit, () -> {
      for (int n = 0; n < 3000; n++) {
        char[] chars = new char[random.nextInt(UrlCanonicalizer.MAX_LENGTH)];
        for (int i = 0; i < chars.length; i++) {
          chars[i] = "a.%/:@[]?&=#\\x0"
              .charAt(random.nextInt(15));
        }
        try {
          UrlCanonicalizer.canonicalize("https://" + new String(chars));
        } catch (ContentException e) {
          assertThat(e.getMessage()).isNotBlank();
        }
      }
    }));
  }

  @Test
  void flagsKnownShorteners() throws Exception {
    assertThat(UrlCanonicalizer.canonicalize("https://bit.ly/3abc").shortener()).isTrue();
    assertThat(UrlCanonicalizer.canonicalize("http://www.TinyURL.com/x").shortener()).isTrue();
    assertThat(UrlCanonicalizer.canonicalize("https://j.mp/3abc").shortener()).isTrue();
    assertThat(UrlCanonicalizer.canonicalize("https://vk.cc/abc").shortener()).isTrue();
    assertThat(UrlCanonicalizer.canonicalize("https://example.com/bit.ly").shortener()).isFalse();
    // Pages that are content themselves, not redirects.
    assertThat(UrlCanonicalizer.canonicalize("https://linktr.ee/someone").shortener()).isFalse();
    assertThat(UrlCanonicalizer.canonicalize("https://t.me/channel").shortener()).isFalse();
  }

  private static void assertRefused(String url, String why) {
    assertThatThrownBy(() -> UrlCanonicalizer.canonicalize(url)).as(url)
        .isInstanceOfSatisfying(ContentException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
          assertThat(e.getMessage()).contains(why);
        });
  }

  private static void assertReason(String url, Reason reason) {
    assertThatThrownBy(() -> UrlCanonicalizer.canonicalize(url)).as(url)
        .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
