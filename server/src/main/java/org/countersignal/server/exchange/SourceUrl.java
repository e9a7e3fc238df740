package org.countersignal.server.exchange;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The address of a source that a kind reaches over HTTP, checked the same way for every kind: an
 * https URL (plain http only to this machine, a stand-in or a local relay, since a secret goes
 * with every request), with a host, and with no user name, password, query or fragment (a URL is
 * stored, logged and shown as it is; secrets belong in the encrypted credentials).
 */
public final class SourceUrl {

  private SourceUrl() {}

  /**
   * {@code text} parsed, if it is such an address.
   *
   * @param field the configuration field, which every message starts with
   * @param example an address of the right form, shown when the scheme is wrong
   * @param secret what goes with every request, shown when plain http is refused (such as "the
   *     password goes with every token request")
   * @throws IllegalArgumentException {@code "field: what is wrong"}
   */
  public static URI check(String text, String field, String example, String secret) {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      // The reason alone: the full message quotes the URL, and any password written into it.
      throw new IllegalArgumentException(field + ": not a URL (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException(field + ": must be an https URL, such as " + example);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(field + ": has no host");
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      throw new IllegalArgumentException(field + ": must be https (" + secret + "); plain http is taken only to this machine");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(field + ": must not hold a user name or password (give them as credentials)");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(field + ": must not have a query or fragment");
    }
    return uri;
  }

  /** {@code uri} with its path ending in a slash, so that routes resolve beneath any path it has. */
  public static URI directory(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.resolve(path.endsWith("/") ? path : path + "/");
  }

  private static boolean isLoopback(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    return name.equals("localhost") || name.startsWith("127.") || name.equals("[::1]");
  }
}
