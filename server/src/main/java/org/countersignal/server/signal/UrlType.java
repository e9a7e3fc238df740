package org.countersignal.server.signal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.signals.ContentType;
import org.countersignal.signals.MalformedSignalException;
import org.countersignal.signals.url.CanonicalUrl;
import org.countersignal.signals.url.UrlPattern;
import org.countersignal.signals.url.UrlSignalType;

/**
 * Links: a value is a URL in canonical form ({@code evil.example/a}), or, in a bank, a URL with
 * its scope: {@code prefix:board.example/pnd} (the paths below it) or {@code domain:evil.co.uk}
 * (the registrable domain by the Public Suffix List and its subdomains; a public suffix such as
 * {@code github.io} is refused). Matched in a {@link UrlSignalIndex}: a URL hits every banked
 * pattern it falls under, at distance 0.
 *
 * <p>The URLs a text or document contains are looked up the same way, and a known link shortener
 * is flagged ({@code "shortener": {"url": true}}): its target must be resolved to be judged.
 */
public final class UrlType implements ServerSignalType {

  public static final String NAME = "url";
  static final int MAX_BANKED = 512;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String canonical(String text, String field) {
    return pattern(text, field).text();
  }

  static UrlPattern pattern(String text, String field) {
    try {
      return UrlPattern.parse(text);
    } catch (MalformedSignalException e) {
      throw RequestException.invalid(field, e.getMessage());
    }
  }

  /** The URL a value names, to look up: a scoped value ({@code domain:evil.co.uk}) names the URL of its key. */
  static CanonicalUrl url(UrlPattern pattern) {
    return UrlSignalType.INSTANCE.parse(pattern.key());
  }

  @Override
  public Map<String, Object> facts(Object computed) {
    return computed instanceof CanonicalUrl url ? Map.of("shortener", url.shortener()) : Map.of();
  }

  /** Entries keep a value in a column of {@value #MAX_BANKED} characters; longer URLs are looked up, not banked. */
  @Override
  public void checkBankable(String canonical, String field) {
    if (canonical.length() > MAX_BANKED) {
      throw RequestException.invalid(field, "this URL has " + canonical.length() + " characters in canonical form; a bank holds"
          + " URLs of at most " + MAX_BANKED + " (bank a prefix: or domain: scope instead)");
    }
  }

  @Override
  public int maxThreshold() {
    return 0;
  }

  @Override
  public int defaultThreshold() {
    return 0;
  }

  @Override
  public Set<ContentType> hashedFrom() {
    return Set.of(ContentType.URL);
  }

  @Override
  public String contentKind() {
    return "url";
  }

  @Override
  public SignalIndex newIndex() {
    return new UrlSignalIndex();
  }

  @Override
  public SignalIndex readIndex(Path file) throws IOException {
    return UrlSignalIndex.read(file);
  }
}
