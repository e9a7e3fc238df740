package org.countersignal.server.fetch;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Refuses host names that are numbers in any but the canonical dotted-quad form. Resolvers,
 * browsers and proxies disagree on {@code 0177.0.0.1} (octal 127.0.0.1 to some, 177.0.0.1 to
 * Java), {@code 0x7f.1}, {@code 2130706433} and {@code 127.1}; a form that means one address to
 * the check and another to whatever forwards the request cannot be checked at all. The rule is
 * the URL standard's: a host whose last label is a number is an IPv4 address, and here it must
 * then be written as four decimal numbers without leading zeros.
 */
final class HostLiteral {

  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final Pattern CANONICAL_IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
  private static final Pattern NUMBER = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");

  private HostLiteral() {}

  /** Why {@code host} (as in a URL, IPv6 in brackets) is not accepted, or empty when it is. */
  static Optional<String> ambiguity(String host) {
    if (host.startsWith("[")) {
      return Optional.empty();
    }
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String last = name.substring(name.lastIndexOf('.') + 1);
    if (!NUMBER.matcher(last).matches() || CANONICAL_IPV4.matcher(host).matches()) {
      return Optional.empty();
    }
    return Optional.of("host " + host + " is a number in an ambiguous form; write an IPv4 address as four decimal"
        + " numbers without leading zeros (e.g. 192.0.2.1) and an IPv6 address in brackets");
  }

  /** The host of a URL's authority ({@code [user@]host[:port]}), which {@link java.net.URI} leaves out when it is no valid name. */
  static String ofAuthority(String authority) {
    String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      return close < 0 ? hostPort : hostPort.substring(0, close + 1);
    }
    int colon = hostPort.lastIndexOf(':');
    return colon < 0 ? hostPort : hostPort.substring(0, colon);
  }
}
