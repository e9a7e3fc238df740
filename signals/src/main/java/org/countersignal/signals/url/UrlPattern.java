package org.countersignal.signals.url;

import java.util.Locale;
import java.util.Objects;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.MalformedSignalException;

/**
 * A banked URL with its scope, written as one text value ({@link #text()}) that {@link #parse}
 * reads back unchanged:
 *
 * <ul>
 *   <li>{@code evil.example/a} — {@link UrlRule#EXACT}: that canonical URL;
 *   <li>{@code prefix:board.example/pnd} — {@link UrlRule#PREFIX}: that host and port, paths at
 *       or below {@code /pnd} (the query is not part of a prefix);
 *   <li>{@code domain:evil.co.uk} — {@link UrlRule#DOMAIN}: every host whose registrable domain
 *       that is ({@link CanonicalUrl#registrableDomain()}), so the domain and its subdomains but
 *       never a neighbour under a shared suffix such as {@code github.io}; for an IP address, that
 *       address.
 * </ul>
 *
 * @param rule how the pattern matches
 * @param key what {@link UrlMatcher} compares: the canonical URL, host and path, or domain
 */
public record UrlPattern(UrlRule rule, String key) {

  private static final String PREFIX_MARK = "prefix:";
  private static final String DOMAIN_MARK = "domain:";
  // Written only where an exact URL would read as a scope: a host named "prefix" with a port.
  private static final String EXACT_MARK = "exact:";

  public UrlPattern {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(key, "key");
  }

  /**
   * Reads a pattern: a URL in any spelling the canonicalizer accepts, optionally after
   * {@code prefix:}, {@code domain:} or {@code exact:}. A domain scope widens to the registrable
   * domain ({@code domain:https://www.a.evil.co.uk/x} is {@code domain:evil.co.uk}).
   *
   * @throws MalformedSignalException if the URL is not accepted, or a domain scope names a public
   *     suffix
   */
  public static UrlPattern parse(String text) {
    if (text == null) {
      throw malformed("URL pattern is missing");
    }
    String trimmed = text.strip();
    String lower = trimmed.toLowerCase(Locale.ROOT);
    UrlRule rule = UrlRule.EXACT;
    int skip = 0;
    if (lower.startsWith(PREFIX_MARK)) {
      rule = UrlRule.PREFIX;
      skip = PREFIX_MARK.length();
    } else if (lower.startsWith(DOMAIN_MARK)) {
      rule = UrlRule.DOMAIN;
      skip = DOMAIN_MARK.length();
    } else if (lower.startsWith(EXACT_MARK)) {
      skip = EXACT_MARK.length();
    }
    try {
      return of(rule, UrlCanonicalizer.canonicalize(trimmed.substring(skip)));
    } catch (ContentException e) {
      throw malformed(e.getMessage());
    }
  }

  /**
   * The pattern of a rule on a canonical URL.
   *
   * @throws MalformedSignalException for a domain scope on a host that is a public suffix
   */
  public static UrlPattern of(UrlRule rule, CanonicalUrl url) {
    return switch (rule) {
      case EXACT -> new UrlPattern(rule, url.text());
      case PREFIX -> new UrlPattern(rule, url.authority() + url.path());
      case DOMAIN -> new UrlPattern(rule, domainKey(url));
    };
  }

  private static String domainKey(CanonicalUrl url) {
    if (url.ipHost()) {
      return url.host();
    }
    String domain = url.registrableDomain();
    if (domain == null) {
      throw malformed("domain:" + url.host() + " is refused: " + url.host()
          + " is a public suffix (Public Suffix List), a name under which anyone can register a"
          + " site, so banning it would ban every site under it; ban the registrable domain of the"
          + " site instead, such as domain:name." + url.host());
    }
    return domain;
  }

  /** The text form, which {@link #parse} reads back to this pattern. */
  public String text() {
    return switch (rule) {
      case EXACT -> startsWithScope(key) ? EXACT_MARK + key : key;
      case PREFIX -> PREFIX_MARK + key;
      case DOMAIN -> DOMAIN_MARK + key;
    };
  }

  private static boolean startsWithScope(String key) {
    return key.startsWith(PREFIX_MARK) || key.startsWith(DOMAIN_MARK) || key.startsWith(EXACT_MARK);
  }

  private static MalformedSignalException malformed(String problem) {
    return new MalformedSignalException(UrlSignalType.INSTANCE.name(), problem);
  }

  @Override
  public String toString() {
    return text();
  }
}
