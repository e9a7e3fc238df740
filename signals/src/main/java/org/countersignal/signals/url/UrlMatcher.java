package org.countersignal.signals.url;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches canonical URLs against banked entries with {@link UrlRule}s. A lookup costs a few hash
 * probes per host label and path segment of the submitted URL, whatever the number of entries.
 * Adds and lookups must not run concurrently; lookups may run concurrently with each other.
 */
public final class UrlMatcher {

  /** One banked URL that the submitted URL falls under. */
  public record Match(int entry, UrlRule rule, String pattern) {}

  private final Map<String, List<Integer>> exact = new HashMap<>();
  private final Map<String, List<Integer>> prefixes = new HashMap<>();
  private final Map<String, List<Integer>> domains = new HashMap<>();
  private int entries;

  /** Adds an entry and returns its number (0, 1, 2, ...). For DOMAIN only the host is used. */
  public int add(CanonicalUrl url, UrlRule rule) {
    int entry = entries++;
    Map<String, List<Integer>> map = switch (rule) {
      case EXACT -> exact;
      case PREFIX -> prefixes;
      case DOMAIN -> domains;
    };
    String key = switch (rule) {
      case EXACT -> url.text();
      case PREFIX -> url.authority() + url.path();
      case DOMAIN -> url.host();
    };
    map.computeIfAbsent(key, k -> new ArrayList<>(1)).add(entry);
    return entry;
  }

  public int size() {
    return entries;
  }

  /** Every entry the URL falls under: exact, then longest prefix first, then narrowest domain first. */
  public List<Match> lookup(CanonicalUrl url) {
    List<Match> matches = new ArrayList<>();
    collect(exact, url.text(), UrlRule.EXACT, matches);
    String path = url.path();
    String authority = url.authority();
    for (int end = path.length(); end >= 0; end = path.lastIndexOf('/', end - 1)) {
      collect(prefixes, authority + path.substring(0, end), UrlRule.PREFIX, matches);
      if (end == 0) {
        break;
      }
    }
    String host = url.host();
    if (!host.startsWith("[")) {
      for (int dot = -1; ; dot = host.indexOf('.', dot + 1)) {
        String suffix = host.substring(dot + 1);
        collect(domains, suffix, UrlRule.DOMAIN, matches);
        if (host.indexOf('.', dot + 1) < 0) {
          break;
        }
      }
    } else {
      collect(domains, host, UrlRule.DOMAIN, matches);
    }
    return matches;
  }

  private static void collect(Map<String, List<Integer>> map, String key, UrlRule rule, List<Match> out) {
    List<Integer> hits = map.get(key);
    if (hits != null) {
      for (int entry : hits) {
        out.add(new Match(entry, rule, key));
      }
    }
  }
}
