package org.countersignal.signals.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.countersignal.signals.MalformedSignalException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlPatternTest {

  @ParameterizedTest
  @CsvSource(delimiter = ' ', value = {
      "https://Evil.example/a?utm_source=x EXACT evil.example/a",
      "evil.example/a?b=2&a=1 EXACT evil.example/a?a=1&b=2",
      "prefix:https://www.Board.example/pnd/?x=1 PREFIX prefix:board.example/pnd",
      "PREFIX:board.example:8080 PREFIX prefix:board.example:8080",
      "domain:https://www.a.evil.co.uk/x DOMAIN domain:evil.co.uk",
      "domain:evil.github.io DOMAIN domain:evil.github.io",
      "domain:deep.evil.github.io/x DOMAIN domain:evil.github.io",
      "domain:x.blogspot.com DOMAIN domain:x.blogspot.com",
      "domain:bücher.example DOMAIN domain:xn--bcher-kva.example",
      "domain:faß.de DOMAIN domain:xn--fa-hia.de",
      "domain:http://3232235777/ DOMAIN domain:192.168.1.1",
      "domain:[2001:DB8::1]:8080 DOMAIN domain:[2001:db8::1]",
      "domain:a.b.evil.unlistedtld DOMAIN domain:evil.unlistedtld",  // the list's default rule
      "prefix:prefix:8080/x PREFIX prefix:prefix:8080/x",
      "exact:prefix:8080/x EXACT exact:prefix:8080/x",                // host "prefix", port 8080
  })
  void readsEachScopeToOneText(String input, UrlRule rule, String text) {
    UrlPattern pattern = UrlPattern.parse(input);
    assertThat(pattern.rule()).isEqualTo(rule);
    assertThat(pattern.text()).isEqualTo(text);
    assertThat(UrlPattern.parse(pattern.text())).isEqualTo(pattern);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ' ', value = {"github.io", "https://www.github.io/x", "co.uk", "com",
      "blogspot.com", "localhost", "xn--p1ai"})
  void refusesADomainScopeOnAPublicSuffix(String host) {
    assertThatThrownBy(() -> UrlPattern.parse("domain:" + host))
        .isInstanceOf(MalformedSignalException.class)
        .hasMessageContaining("is a public suffix")
        .hasMessageContaining("would ban every site under it");
  }

  @Test
  void refusesWhatIsNotAUrl() {
    for (String text : new String[] {null, "", "prefix:", "domain:", "ftp://x.example/",
        "prefix:javascript:alert(1)", "domain:\u0301abc.example", "exa mple.com"}) {
      assertThatThrownBy(() -> UrlPattern.parse(text)).as(String.valueOf(text))
          .isInstanceOf(MalformedSignalException.class)
          .satisfies(e -> assertThat(e.getMessage()).startsWith("malformed url signal: "));
    }
  }

  @Test
  void parseOfRandomTextRoundTripsOrRefuses() {
    Random random = new Random(5);
    String[] pieces = {"prefix:", "domain:", "exact:", "https://", "http:", "//", "www.", "a", "B",
        "0", "9", ".", "..", "-", "_", ":", "8080", "/", "?", "&", "=", "#", "%", "%2F", "@", "[", "]",
        "::1", "github.io", "co.uk", "com", "ß", "Σ", "ς", "\u0301", "\u200C", "\u200D", "\u094D",
        "क", "ا", "\u0663", "。", "xn--", "xn--fa-hia", " ", "\t", "\u0000", "\uD800", "☃"};
    int accepted = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(12); i >= 0; i--) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      UrlPattern pattern;
      try {
        pattern = UrlPattern.parse(text.toString());
      } catch (MalformedSignalException e) {
        assertThat(e.getMessage()).isNotBlank();
        continue;
      }
      accepted++;
      assertThat(UrlPattern.parse(pattern.text())).as(text.toString()).isEqualTo(pattern);
    }
    assertThat(accepted).isGreaterThan(1000);
  }
}
