package org.countersignal.signals.url;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.countersignal.signals.Content;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentType;
import org.countersignal.signals.MalformedSignalException;
import org.countersignal.signals.SignalType;

/**
 * The {@code url} signal: the canonical URL ({@link UrlCanonicalizer}). Distance 0 for the same
 * canonical URL and 1 otherwise; prefix and whole-domain scopes are a property of a bank entry
 * ({@link UrlPattern}) and are applied by {@link UrlMatcher}.
 */
public final class UrlSignalType implements SignalType<CanonicalUrl> {

  public static final UrlSignalType INSTANCE = new UrlSignalType();

  @Override
  public String name() {
    return "url";
  }

  @Override
  public Set<ContentType> contentTypes() {
    return EnumSet.of(ContentType.URL);
  }

  @Override
  public CanonicalUrl hash(Content content) throws ContentException {
    return UrlCanonicalizer.canonicalize(new String(content.bytes(), StandardCharsets.UTF_8));
  }

  /** Reads a canonical (or any) URL; canonicalisation is idempotent, so this round-trips. */
  @Override
  public CanonicalUrl parse(String text) {
    try {
      return UrlCanonicalizer.canonicalize(text);
    } catch (ContentException e) {
      throw new MalformedSignalException(name(), e.getMessage());
    }
  }

  @Override
  public String format(CanonicalUrl signal) {
    return signal.text();
  }

  @Override
  public int distance(CanonicalUrl a, CanonicalUrl b) {
    return a.equals(b) ? 0 : 1;
  }

  @Override
  public int defaultThreshold() {
    return 0;
  }
}
