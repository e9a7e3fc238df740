package org.countersignal.signals.url;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlRegistrableDomainTest {

  @ParameterizedTest
  @CsvSource(delimiter = ' ', nullValues = "-", value = {
      "evil.example evil.example",
      "www.a.evil.co.uk/x evil.co.uk",
      "evil.github.io evil.github.io",       // private section: github.io is a public suffix
      "a.evil.github.io evil.github.io",
      "x.blogspot.com x.blogspot.com",
      "bucket.s3.amazonaws.com bucket.s3.amazonaws.com",
      "a.b.ck a.b.ck",                        // wildcard rule *.ck
      "пример.рф xn--e1afmkfd.xn--p1ai",
      "a.b.unlistedtld b.unlistedtld",        // default rule: the last label is the suffix
      "-name.blogspot.com -name.blogspot.com", // a label Guava refuses, below the suffix
      "github.io -",
      "co.uk -",
      "com -",
      "localhost -",
      "192.0.2.1 -",
      "[2001:db8::1] -",
  })
  void followsThePublicSuffixList(String url, String registrable) {
    assertThat(UrlSignalType.INSTANCE.parse(url).registrableDomain()).isEqualTo(registrable);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ' ', value = {"192.0.2.1 true", "[2001:db8::1] true", "3232235777 true",
      "1.2.3.example false", "example.com false"})
  void tellsAddressesFromNames(String url, boolean ip) {
    assertThat(UrlSignalType.INSTANCE.parse(url).ipHost()).isEqualTo(ip);
  }
}
