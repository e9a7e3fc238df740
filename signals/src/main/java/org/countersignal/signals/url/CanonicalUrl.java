package org.countersignal.signals.url;

import java.util.regex.Pattern;

/**
 * A URL in canonical form, written without a scheme: {@code host[:port][/path][?query]}. http and
 * https are one namespace here because mirrors serve the same pages on both.
 *
 * @param host lowercase ASCII (punycode) host without {@code www.} or trailing dot
 * @param port non-default port, or -1
 * @param path normalised path starting with {@code /}, or empty for the root
 * @param query sorted query without tracking parameters, without {@code ?}, or empty
 */
public record CanonicalUrl(String host, int port, String path, String query) {

  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

  /** The canonical text, e.g. {@code 8kun.top/pnd/res/123.html}. */
  public String text() {
    StringBuilder out = new StringBuilder(host.length() + path.length() + query.length() + 8);
    out.append(host);
    if (port >= 0) {
      out.append(':').append(port);
    }
    out.append(path);
    if (!query.isEmpty()) {
      out.append('?').append(query);
    }
    return out.toString();
  }

  /** Host with port, the part every prefix shares. */
  public String authority() {
    return port >= 0 ? host + ":" + port : host;
  }

  /** Whether the host is an IPv4 address or a bracketed IPv6 address rather than a name. */
  public boolean ipHost() {
    return host.startsWith("[") || IPV4.matcher(host).matches();
  }

  /**
   * The registrable domain of the host by the Public Suffix List, private section included: the
   * public suffix and one label more ({@code www.a.evil.co.uk} → {@code evil.co.uk},
   * {@code evil.github.io} → itself). Null for an IP address and for a host that is itself a
   * public suffix ({@code github.io}, {@code co.uk}).
   */
  public String registrableDomain() {
    return ipHost() ? null : PublicSuffixes.registrableDomain(host);
  }

  /** Whether the host is a known link shortener, whose target must be resolved to be judged. */
  public boolean shortener() {
    return UrlShorteners.isShortener(host);
  }

  @Override
  public String toString() {
    return text();
  }
}
