package org.countersignal.signals.url;

/** How a URL bank entry matches. */
public enum UrlRule {
  /** The same canonical URL. */
  EXACT,
  /**
   * URLs on the same host (and port) whose path starts with the entry's path at a segment
   * boundary: {@code board.example/pnd} matches {@code board.example/pnd/res/1.html}, not
   * {@code board.example/pndx}.
   */
  PREFIX,
  /** Every URL on the entry's host or any of its subdomains. */
  DOMAIN
}
