package org.countersignal.signals.url;

import java.text.Normalizer;
import java.util.LinkedHashSet;
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

  private static final String HOST = "(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}_-]{0,62})?(?:\\.|\\[\\.\\]|\\(\\.\\))){1,10}"
      + "(?:[\\p{L}]{2,24}|xn--[a-z0-9-]{1,59})\\.?(?::\\d{1,5})?";
  private static final Pattern URL = Pattern.compile(
      "(?i)(?:\\b(?:https?|hxxps?)(?:://|\\[://\\])[^\\s<>\"'`{}|\\\\^]{1,8192}+)"
          + "|(?:\\bwww\\.[^\\s<>\"'`{}|\\\\^]{1,8192}+)"
          + "|(?:(?<![\\p{L}\\p{N}@._-])" + HOST + "/[^\\s<>\"'`{}|\\\\^]{0,8192}+)"
          + "|(?:(?<![\\p{L}\\p{N}@._-])(?:[\\p{L}\\p{N}-]{1,63}(?:\\.|\\[\\.\\])){1,10}"
          + "(?:com|net|org|info|top|xyz|io|me|co|ru|su|onion|site|online|to|gg|ly|cc|tk|ml|is|in)\\b(?![.@-]\\w))");

  private UrlExtractor() {}

  public static Set<CanonicalUrl> extract(CharSequence text) {
    String cleaned = clean(text);
    Set<CanonicalUrl> urls = new LinkedHashSet<>();
    Matcher m = URL.matcher(cleaned);
    while (m.find() && urls.size() < MAX_URLS) {
      String candidate = trimTrailing(m.group());
      try {
        urls.add(UrlCanonicalizer.canonicalize(candidate));
      } catch (ContentException e) {
        // Not every match is a URL (e.g. "file.name"); an unreadable one is simply skipped.
      }
    }
    return urls;
  }

  private static String clean(CharSequence text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.getType(c) != Character.FORMAT) {
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
