package org.countersignal.signals.url;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.countersignal.signals.ContentException;

/**
 * Finds the URLs in free text and documents: with a scheme (also defanged {@code hxxp}), starting
 * with {@code www.}, or a bare domain with a path ({@code 8kun.top/pnd}) or a TLD from a short list
 * of ones common in the field. Full-width letters and zero-width characters are undone first,
 * since they are used to slip links past filters. Results are canonical, deduplicated, in order.
 */
public final class UrlExtractor {

  /** At most this many URLs are taken from one text, which bounds the work on hostile input. */
  public static final int MAX_URLS = 10_000;

  // Letters, digits and what some scripts need inside a word: combining marks (Devanagari vowel
  // signs and viramas) and the zero-width joiner and non-joiner.
  private static final String WORD = "\\p{L}\\p{M}\\p{N}\\u200C\\u200D";
  /** Top-level domains a host is taken for a link with, even without a scheme, "www." or a path. */
  private static final List<String> BARE_DOMAINS = List.of("com", "net", "org", "info", "top", "xyz", "io", "me", "co", "ru",
      "su", "onion", "site", "online", "to", "gg", "ly", "cc", "tk", "ml", "is", "in");
  private static final String HOST = "(?:[\\p{L}\\p{N}](?:[" + WORD + "_-]{0,62})?(?:\\.|\\[\\.\\]|\\(\\.\\))){1,10}"
      + "(?:\\p{L}[\\p{L}\\p{M}]{1,23}|xn--[a-z0-9-]{1,59})\\.?(?::\\d{1,5})?";
  private static final Pattern URL = Pattern.compile(
      "(?i)(?:\\b(?:https?|hxxps?)(?:://|\\[://\\])[^\\s<>\"'`{}|\\\\^]{1,8192}+)"
          + "|(?:\\bwww\\.[^\\s<>\"'`{}|\\\\^]{1,8192}+)"
          + "|(?:(?<![" + WORD + "@._-])" + HOST + "/[^\\s<>\"'`{}|\\\\^]{0,8192}+)"
          + "|(?:(?<![" + WORD + "@._-])(?:[" + WORD + "-]{1,63}(?:\\.|\\[\\.\\])){1,10}"
          + "(?:" + String.join("|", BARE_DOMAINS) + ")\\b(?![.@-]\\w))");

  private UrlExtractor() {}

  public static Set<CanonicalUrl> extract(CharSequence text) {
    String cleaned = clean(text);
    Set<CanonicalUrl> urls = new LinkedHashSet<>();
    Matcher m = URL.matcher(cleaned).useTransparentBounds(true).useAnchoringBounds(false);
    // A URL never contains white space, so the pattern only runs on the few white-space
    // separated tokens that could hold one: most prose has none, and this keeps extraction cheap.
    int length = cleaned.length();
    for (int start = 0; start < length && urls.size() < MAX_URLS; ) {
      while (start < length && Character.isWhitespace(cleaned.charAt(start))) {
        start++;
      }
      int end = start;
      while (end < length && !Character.isWhitespace(cleaned.charAt(end))) {
        end++;
      }
      if (end > start && mayHoldUrl(cleaned, start, end)) {
        m.region(start, end);
        while (m.find() && urls.size() < MAX_URLS) {
          CanonicalUrl url = canonicalOrNull(trimTrailing(m.group()));
          if (url != null) {
            urls.add(url);
          }
        }
      }
      start = end;
    }
    return urls;
  }

  /**
   * The canonical URL, or null: not every match is a URL (e.g. "file.name"). A joiner where
   * IDNA2008 allows none cannot be part of a working host name, so in text it is taken for a
   * disguise (a zero-width joiner inside {@code example.com}) and dropped.
   */
  private static CanonicalUrl canonicalOrNull(String match) {
    try {
      return UrlCanonicalizer.canonicalize(match);
    } catch (ContentException e) {
      String plain = UrlCanonicalizer.withoutJoiners(match);
      if (plain.equals(match)) {
        return null;
      }
      try {
        return UrlCanonicalizer.canonicalize(plain);
      } catch (ContentException again) {
        return null;
      }
    }
  }

  /**
   * Whether the pattern could match in the token: a dot between two letters or digits, a
   * defanged dot, or "://"; and a slash, "www." or one of the {@link #BARE_DOMAINS} after a dot,
   * which every form of the pattern needs. Prose has many dotted words ("e.g.", "file.txt") and
   * few links, and the pattern is far slower than this scan.
   */
  private static boolean mayHoldUrl(String s, int start, int end) {
    return hasHostDot(s, start, end) && hasLinkMark(s, start, end);
  }

  private static boolean hasHostDot(String s, int start, int end) {
    for (int i = start + 1; i < end - 1; i++) {
      char c = s.charAt(i);
      if (c == '.' && isWordChar(s.charAt(i - 1)) && Character.isLetterOrDigit(s.charAt(i + 1))) {
        return true;
      }
      if ((c == '.' && (s.charAt(i - 1) == '[' || s.charAt(i - 1) == '(')) || (c == ':' && s.startsWith("//", i + 1))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasLinkMark(String s, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if ((c == ':' && s.startsWith("//", i + 1)) || (c == '/' && hostBefore(s, start, i))
          || ((c == 'w' || c == 'W') && i + 4 <= end && s.regionMatches(true, i, "www.", 0, 4))) {
        return true;
      }
      // A bare domain follows a dot, or the bracket of a defanged "[.]".
      if (c == '.' || c == ']') {
        for (String domain : BARE_DOMAINS) {
          if (i + 1 + domain.length() <= end && s.regionMatches(true, i + 1, domain, 0, domain.length())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Whether a top-level label ends right before position {@code at} (a slash), after its dot and
   * before an optional root dot and port, as the pattern's host must.
   */
  private static boolean hostBefore(String s, int start, int at) {
    int k = at - 1;
    int beforePort = k;
    while (k >= start && s.charAt(k) >= '0' && s.charAt(k) <= '9') {
      k--;
    }
    k = k >= start && k < beforePort && s.charAt(k) == ':' ? k - 1 : beforePort;
    if (k >= start && s.charAt(k) == '.') {
      k--;
    }
    int labelEnd = k;
    while (k >= start && isLabelChar(s.charAt(k))) {
      k--;
    }
    return k < labelEnd && k >= start && (s.charAt(k) == '.' || s.charAt(k) == ']' || s.charAt(k) == ')');
  }

  private static boolean isLabelChar(char c) {
    int type = Character.getType(c);
    return Character.isLetter(c) || (c >= '0' && c <= '9') || c == '-' || type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK;
  }

  /** A letter or digit, or a combining mark ending a word: {@code हिन्दी.} ends in a vowel sign. */
  private static boolean isWordChar(char c) {
    int type = Character.getType(c);
    return Character.isLetterOrDigit(c) || type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK;
  }

  /** NFKC and without invisible characters, except joiners, which the canonicalizer judges. */
  private static String clean(CharSequence text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.getType(c) != Character.FORMAT || UrlCanonicalizer.isJoiner(c)) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Sentence punctuation after a URL is not part of it; a closing bracket is only if opened. */
  private static String trimTrailing(String url) {
    int end = url.length();
    while (end > 0) {
      char c = url.charAt(end - 1);
      if (".,;:!?'\"".indexOf(c) >= 0) {
        end--;
      } else if (c == ')' && count(url, '(', end) < count(url, ')', end)) {
        end--;
      } else if (c == ']' && count(url, '[', end) < count(url, ']', end)) {
        end--;
      } else {
        break;
      }
    }
    return url.substring(0, end);
  }

  private static int count(String s, char c, int end) {
    int n = 0;
    for (int i = 0; i < end; i++) {
      if (s.charAt(i) == c) {
        n++;
      }
    }
    return n;
  }
}
