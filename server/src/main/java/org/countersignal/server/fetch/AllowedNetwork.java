package org.countersignal.server.fetch;

import java.net.InetAddress;
import java.util.Set;

/**
 * A non-public block the operator opened to fetching, on chosen ports only: opening an internal
 * content store must not also open the database, admin and metadata ports of every machine in
 * its block. Written {@code 10.0.0.0/8:8080} or {@code [fd00::/8]:443}; a block without a port
 * ({@code 10.0.0.0/8}, {@code fd00::/8}) is opened on the web's ports 80 and 443 only.
 *
 * @param network the addresses
 * @param ports the ports fetched from on them
 */
public record AllowedNetwork(Network network, Set<Integer> ports) {

  /** The ports of a block written without one: plain HTTP and HTTPS. */
  public static final Set<Integer> DEFAULT_PORTS = Set.of(80, 443);

  public AllowedNetwork {
    ports = Set.copyOf(ports);
    if (ports.isEmpty()) {
      throw new IllegalArgumentException("an opened network needs at least one port");
    }
  }

  public static AllowedNetwork parse(String text) {
    String s = text.strip();
    String block = s;
    String port = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || (close + 1 < s.length() && s.charAt(close + 1) != ':')) {
        throw invalid(text);
      }
      block = s.substring(1, close);
      port = close + 1 < s.length() ? s.substring(close + 2) : null;
    } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
      // One colon is an IPv4 block and a port; an IPv6 address has at least two.
      block = s.substring(0, s.indexOf(':'));
      port = s.substring(s.indexOf(':') + 1);
    }
    Network network;
    try {
      network = Network.parse(block);
    } catch (IllegalArgumentException e) {
      throw invalid(text);
    }
    return new AllowedNetwork(network, port == null ? DEFAULT_PORTS : Set.of(port(text, port)));
  }

  public boolean contains(InetAddress address, int port) {
    return ports.contains(port) && network.contains(address);
  }

  private static int port(String text, String port) {
    try {
      int n = Integer.parseInt(port);
      if (n >= 1 && n <= 65535) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("'" + text + "' has no valid port (1 to 65535)");
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("'" + text + "' is not an address block with an optional port such as"
        + " 10.0.0.0/8, 10.0.0.0/8:8080, fd00::/8 or [fd00::/8]:443");
  }

  @Override
  public String toString() {
    String net = network.prefix().length == 16 ? "[" + network + "]" : network.toString();
    return ports.equals(DEFAULT_PORTS) ? network.toString() : net + ":" + ports.iterator().next();
  }
}
