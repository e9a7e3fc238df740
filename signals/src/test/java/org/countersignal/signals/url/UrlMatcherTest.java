package org.countersignal.signals.url;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UrlMatcherTest {

  private static CanonicalUrl url(String text) {
    return UrlSignalType.INSTANCE.parse(text);
  }

  @Test
  void appliesEachScope() {
    UrlMatcher matcher = new UrlMatcher();
    matcher.add(1, UrlPattern.parse("https://board.example/pnd/res/1.html"));
    matcher.add(2, UrlPattern.parse("prefix:https://board.example/pnd"));
    matcher.add(3, UrlPattern.parse("domain:mirror.example"));
    matcher.add(4, UrlPattern.parse("domain:https://www.a.evil.co.uk/x"));
    matcher.add(5, UrlPattern.parse("domain:evil.github.io"));
    matcher.add(6, UrlPattern.parse("domain:192.0.2.7"));

    assertThat(ids(matcher, "http://www.board.example/pnd/res/1.html?utm_source=x#p3")).containsExactly(1L, 2L);
    assertThat(ids(matcher, "https://board.example/pnd/res/2.html")).containsExactly(2L);
    assertThat(ids(matcher, "https://board.example/pnd")).containsExactly(2L);
    assertThat(ids(matcher, "https://board.example/pndx/res/1.html")).isEmpty();
    assertThat(ids(matcher, "https://other.board.example/pnd/1")).isEmpty();
    assertThat(ids(matcher, "https://a.b.mirror.example/anything")).containsExactly(3L);
    assertThat(ids(matcher, "https://MIRROR.example.")).containsExactly(3L);
    assertThat(ids(matcher, "https://notmirror.example/")).isEmpty();
    assertThat(ids(matcher, "https://mirror.example.org/")).isEmpty();
    assertThat(ids(matcher, "https://evil.co.uk/")).containsExactly(4L);
    assertThat(ids(matcher, "https://b.evil.co.uk:8080/y")).containsExactly(4L);
    assertThat(ids(matcher, "https://co.uk/")).isEmpty();
    assertThat(ids(matcher, "https://good.co.uk/")).isEmpty();
    assertThat(ids(matcher, "https://x.evil.github.io/")).containsExactly(5L);
    assertThat(ids(matcher, "https://github.io/")).isEmpty();
    assertThat(ids(matcher, "https://other.github.io/")).isEmpty();
    assertThat(ids(matcher, "http://192.0.2.7:8080/x")).containsExactly(6L);
    assertThat(ids(matcher, "http://192.0.2.8/")).isEmpty();
  }

  @Test
  void ordersExactThenLongestPrefixThenDomain() {
    UrlMatcher matcher = new UrlMatcher();
    matcher.add(1, UrlPattern.parse("domain:board.example"));
    matcher.add(2, UrlPattern.parse("prefix:board.example"));
    matcher.add(3, UrlPattern.parse("prefix:board.example/pnd/res"));
    matcher.add(4, UrlPattern.parse("prefix:board.example/pnd"));
    matcher.add(5, UrlPattern.parse("board.example/pnd/res/1.html"));
    List<UrlMatcher.Match> matches = matcher.lookup(url("board.example/pnd/res/1.html"));
    assertThat(matches).extracting(UrlMatcher.Match::id).containsExactly(5L, 3L, 4L, 2L, 1L);
    assertThat(matches).extracting(m -> m.pattern().text()).containsExactly(
        "board.example/pnd/res/1.html", "prefix:board.example/pnd/res", "prefix:board.example/pnd",
        "prefix:board.example", "domain:board.example");
  }

  @Test
  void keysPatternsByIdWithoutDuplicatesAndRemovesThem() {
    UrlMatcher matcher = new UrlMatcher();
    UrlPattern pattern = UrlPattern.parse("prefix:board.example/pnd");
    matcher.add(7, pattern);
    matcher.add(7, UrlPattern.parse("prefix:https://www.board.example/pnd/")); // the same pattern
    matcher.add(8, pattern);
    assertThat(matcher.size()).isEqualTo(2);
    assertThat(ids(matcher, "board.example/pnd/1")).containsExactly(7L, 8L);

    matcher.remove(7, pattern);
    matcher.remove(7, pattern);
    matcher.remove(9, pattern);
    matcher.remove(8, UrlPattern.parse("board.example/pnd")); // same id, other scope: not there
    assertThat(matcher.size()).isEqualTo(1);
    assertThat(ids(matcher, "board.example/pnd/1")).containsExactly(8L);

    matcher.remove(8, pattern);
    assertThat(matcher.size()).isZero();
    assertThat(matcher.lookup(url("board.example/pnd/1"))).isEmpty();
  }

  @Test
  void agreesWithABruteForceReadingOfTheScopes() {
    // Oracle: each scope checked directly on the canonical strings, pair by pair. None of these
    // hosts has a public suffix below its registrable domain, so a domain covers its subdomains.
    Random random = new Random(17);
    String[] hosts = {"a.example", "b.a.example", "c.b.a.example", "other.org", "a.example:8080",
        "x.github.io", "y.x.github.io", "github.io", "z.co.uk", "192.0.2.1", "[2001:db8::1]"};
    String[] segments = {"x", "y", "xy", "z"};
    String[] scopes = {"", "prefix:", "domain:"};
    Set<Banked> banked = new HashSet<>();
    UrlMatcher matcher = new UrlMatcher();
    for (int i = 0; i < 600; i++) {
      UrlPattern pattern;
      try {
        pattern = UrlPattern.parse(scopes[random.nextInt(3)] + randomUrl(random, hosts, segments));
      } catch (IllegalArgumentException publicSuffix) {
        continue; // domain:github.io
      }
      Banked pair = new Banked(random.nextInt(40), pattern);
      if (random.nextInt(4) == 0) {
        matcher.remove(pair.id(), pair.pattern());
        banked.remove(pair);
      } else {
        matcher.add(pair.id(), pair.pattern());
        banked.add(pair);
      }
    }
    assertThat(matcher.size()).isEqualTo(banked.size());
    Set<Banked> listed = new HashSet<>();
    matcher.forEach((id, pattern) -> listed.add(new Banked(id, pattern)));
    assertThat(listed).isEqualTo(banked);
    for (int q = 0; q < 500; q++) {
      CanonicalUrl u = url(randomUrl(random, hosts, segments));
      List<Banked> expected = new ArrayList<>();
      for (Banked b : banked) {
        String key = b.pattern().key();
        String hostAndPath = u.authority() + u.path();
        boolean hit = switch (b.pattern().rule()) {
          case EXACT -> key.equals(u.text());
          case PREFIX -> hostAndPath.equals(key) || hostAndPath.startsWith(key + "/");
          case DOMAIN -> u.host().equals(key) || u.host().endsWith("." + key);
        };
        if (hit) {
          expected.add(b);
        }
      }
      List<Banked> actual = matcher.lookup(u).stream().map(m -> new Banked(m.id(), m.pattern())).toList();
      assertThat(actual).as(u.text()).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  private record Banked(long id, UrlPattern pattern) {}

  private static String randomUrl(Random random, String[] hosts, String[] segments) {
    StringBuilder s = new StringBuilder("https://").append(hosts[random.nextInt(hosts.length)]);
    for (int i = random.nextInt(4); i > 0; i--) {
      s.append('/').append(segments[random.nextInt(segments.length)]);
    }
    if (random.nextInt(4) == 0) {
      s.append("?p=").append(random.nextInt(2));
    }
    return s.toString();
  }

  private static List<Long> ids(UrlMatcher matcher, String text) {
    return matcher.lookup(url(text)).stream().map(UrlMatcher.Match::id).toList();
  }
}
