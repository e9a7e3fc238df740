package org.countersignal.signals.url;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UrlMatcherTest {

  private static CanonicalUrl url(String text) {
    return UrlSignalType.INSTANCE.parse(text);
  }

  @Test
  void appliesEachRule() {
    UrlMatcher matcher = new UrlMatcher();
    int exact = matcher.add(url("https://board.example/pnd/res/1.html"), UrlRule.EXACT);
    int prefix = matcher.add(url("https://board.example/pnd"), UrlRule.PREFIX);
    int domain = matcher.add(url("mirror.example"), UrlRule.DOMAIN);

    assertThat(entries(matcher, "http://www.board.example/pnd/res/1.html?utm_source=x#p3"))
        .containsExactlyInAnyOrder(exact, prefix);
    assertThat(entries(matcher, "https://board.example/pnd/res/2.html")).containsExactly(prefix);
    assertThat(entries(matcher, "https://board.example/pnd")).containsExactly(prefix);
    assertThat(entries(matcher, "https://board.example/pndx/res/1.html")).isEmpty();
    assertThat(entries(matcher, "https://other.board.example/pnd/1")).isEmpty();
    assertThat(entries(matcher, "https://a.b.mirror.example/anything")).containsExactly(domain);
    assertThat(entries(matcher, "https://MIRROR.example.")).containsExactly(domain);
    assertThat(entries(matcher, "https://notmirror.example/")).isEmpty();
    assertThat(entries(matcher, "https://mirror.example.org/")).isEmpty();
  }

  @Test
  void agreesWithABruteForceReadingOfTheRules() {
    // Oracle: each rule checked directly on the canonical strings, entry by entry.
    Random random = new Random(17);
    String[] hosts = {"a.example", "b.a.example", "c.b.a.example", "example", "other.org"};
    String[] segments = {"x", "y", "xy", "z"};
    List<CanonicalUrl> banked = new ArrayList<>();
    List<UrlRule> rules = new ArrayList<>();
    UrlMatcher matcher = new UrlMatcher();
    for (int i = 0; i < 200; i++) {
      CanonicalUrl u = url(randomUrl(random, hosts, segments));
      UrlRule rule = UrlRule.values()[random.nextInt(3)];
      banked.add(u);
      rules.add(rule);
      matcher.add(u, rule);
    }
    for (int q = 0; q < 500; q++) {
      CanonicalUrl u = url(randomUrl(random, hosts, segments));
      Set<Integer> expected = new java.util.HashSet<>();
      for (int i = 0; i < banked.size(); i++) {
        CanonicalUrl b = banked.get(i);
        boolean hit = switch (rules.get(i)) {
          case EXACT -> b.text().equals(u.text());
          case PREFIX -> b.authority().equals(u.authority())
              && (u.path().equals(b.path()) || u.path().startsWith(b.path() + "/"));
          case DOMAIN -> u.host().equals(b.host()) || u.host().endsWith("." + b.host());
        };
        if (hit) {
          expected.add(i);
        }
      }
      assertThat(entries(matcher, u.text())).as(u.text()).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

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

  private static List<Integer> entries(UrlMatcher matcher, String text) {
    return matcher.lookup(url(text)).stream().map(UrlMatcher.Match::entry).collect(Collectors.toList());
  }
}
