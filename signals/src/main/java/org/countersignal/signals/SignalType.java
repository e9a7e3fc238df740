package org.countersignal.signals;

import java.util.Set;

/**
 * One kind of fingerprint: how to compute it from content, write and read it as text, and
 * compare two of them. Every signal type (pdq, md5, sha256, and later vpdq, text, url)
 * implements this, so banks, indexes and matching can treat them alike.
 *
 * @param <S> the signal value
 */
public interface SignalType<S> {

  /** Stable lowercase name, e.g. {@code pdq}; used in APIs, files and storage. */
  String name();

  /** The content types this signal is computed for. */
  Set<ContentType> contentTypes();

  default boolean appliesTo(ContentType type) {
    return contentTypes().contains(type);
  }

  /** Computes the signal of {@code content}. */
  S hash(Content content) throws ContentException;

  /** Reads the text form; a malformed one is a {@link MalformedSignalException}. */
  S parse(String text);

  /** The canonical text form, which {@link #parse} reads back. */
  String format(S signal);

  /** Distance between two signals: 0 for identical, larger for less alike. */
  int distance(S a, S b);

  /** The largest distance that counts as a match unless a bank sets its own. */
  int defaultThreshold();
}
