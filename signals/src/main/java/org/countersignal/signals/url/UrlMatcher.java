package org.countersignal.signals.url;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Matches canonical URLs against banked {@link UrlPattern}s, each added under the caller's id
 * (a bank entry's, say). A lookup costs one hash probe for the exact URL, one per path segment
 * for prefixes and one for the domain, whatever the number of patterns.
 *
 * <p>Not synchronised: lookups may run concurrently with each other, but an {@link #add} or
 * {@link #remove} must not overlap anything else. The caller serialises changes and keeps
 * lookups out while one runs, for instance with a read-write lock (lookups under the read lock).
 */
public final class UrlMatcher {

  /** A banked pattern, added under {@code id}, that the submitted URL falls under. */
  public record Match(long id, UrlPattern pattern) {}

  private static final long[] NONE = {};

  // Pattern key to the ids added with it, in the order they were added. Arrays rather than sets:
  // nearly every key has one id, and a bank holds many keys.
  private final Map<String, long[]> exact = new HashMap<>();
  private final Map<String, long[]> prefixes = new HashMap<>();
  private final Map<String, long[]> domains = new HashMap<>();
  private int size;

  /** Adds the pattern under the id; adding the same pair again changes nothing. */
  public void add(long id, UrlPattern pattern) {
    Map<String, long[]> map = map(pattern.rule());
    long[] ids = map.getOrDefault(pattern.key(), NONE);
    if (indexOf(ids, id) >= 0) {
      return;
    }
    long[] more = Arrays.copyOf(ids, ids.length + 1);
    more[ids.length] = id;
    map.put(pattern.key(), more);
    size++;
  }

  /** Removes the pattern from under the id; removing a pair that is not there changes nothing. */
  public void remove(long id, UrlPattern pattern) {
    Map<String, long[]> map = map(pattern.rule());
    long[] ids = map.getOrDefault(pattern.key(), NONE);
    int at = indexOf(ids, id);
    if (at < 0) {
      return;
    }
    if (ids.length == 1) {
      map.remove(pattern.key());
    } else {
      long[] fewer = new long[ids.length - 1];
      System.arraycopy(ids, 0, fewer, 0, at);
      System.arraycopy(ids, at + 1, fewer, at, ids.length - at - 1);
      map.put(pattern.key(), fewer);
    }
    size--;
  }

  /** Every (id, pattern) pair added and not removed, in no particular order. */
  public void forEach(BiConsumer<Long, UrlPattern> pair) {
    for (UrlRule rule : UrlRule.values()) {
      map(rule).forEach((key, ids) -> {
        UrlPattern pattern = new UrlPattern(rule, key);
        for (long id : ids) {
          pair.accept(id, pattern);
        }
      });
    }
  }

  /** The number of (id, pattern) pairs added and not removed. */
  public int size() {
    return size;
  }

  /**
   * Every pattern the URL falls under: the exact one first, then prefixes from the longest, then
   * the domain. Patterns with one key come in the order they were added.
   */
  public List<Match> lookup(CanonicalUrl url) {
    List<Match> matches = new ArrayList<>();
    collect(exact, UrlRule.EXACT, url.text(), matches);
    String path = url.path();
    String authority = url.authority();
    for (int end = path.length(); end >= 0; end = path.lastIndexOf('/', end - 1)) {
      collect(prefixes, UrlRule.PREFIX, authority + path.substring(0, end), matches);
      if (end == 0) {
        break;
      }
    }
    String domain = url.ipHost() ? url.host() : url.registrableDomain();
    if (domain != null) {
      collect(domains, UrlRule.DOMAIN, domain, matches);
    }
    return matches;
  }

  private Map<String, long[]> map(UrlRule rule) {
    return switch (rule) {
      case EXACT -> exact;
      case PREFIX -> prefixes;
      case DOMAIN -> domains;
    };
  }

  private static void collect(Map<String, long[]> map, UrlRule rule, String key, List<Match> out) {
    long[] ids = map.get(key);
    if (ids != null) {
      UrlPattern pattern = new UrlPattern(rule, key);
      for (long id : ids) {
        out.add(new Match(id, pattern));
      }
    }
  }

  private static int indexOf(long[] ids, long id) {
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == id) {
        return i;
      }
    }
    return -1;
  }
}
