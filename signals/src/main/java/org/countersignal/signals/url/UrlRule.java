package org.countersignal.signals.url;

/** How a banked URL matches; written as a prefix of its text form, see {@link UrlPattern}. */
public enum UrlRule {
  /** The same canonical URL. */
  EXACT,
  /**
   * URLs on the same host (and port) whose path starts with the entry's path at a segment
   * boundary: {@code board.example/pnd} matches {@code board.example/pnd/res/1.html}, not
   * {@code board.example/pndx}.
   */
  PREFIX,
  /**
   * Every URL whose host has the entry's registrable domain: {@code evil.co.uk} covers
   * {@code a.b.evil.co.uk}, {@code evil.github.io} covers {@code x.evil.github.io} but not
   * {@code other.github.io}. For an IP address, URLs on that address.
   */
  DOMAIN
}
