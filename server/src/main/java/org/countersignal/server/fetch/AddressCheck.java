package org.countersignal.server.fetch;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses the service may fetch content from. Anything that is not a public unicast
 * address is refused, because a URL given by a caller must not reach the service's own machine,
 * its private network or a cloud metadata endpoint (server-side request forgery). An operator
 * can open chosen blocks and ports (e.g. an internal content store) with
 * {@code fetch-allow-networks}. Public addresses may be fetched from on any port.
 */
public final class AddressCheck {

  /** Blocks that are never public: private, loopback, link-local, shared, reserved, multicast. */
  private static final List<Network> NOT_PUBLIC = List.of(
      "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
      "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
      "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
      "::/128", "::1/128", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8")
      .stream().map(Network::parse).toList();

  /** IPv6 forms that carry an IPv4 address inside, which is what they reach. */
  private static final Network NAT64 = Network.parse("64:ff9b::/96");
  private static final Network SIX_TO_FOUR = Network.parse("2002::/16");

  private final List<AllowedNetwork> allowed;

  /** @param allowed blocks and ports the operator opened even though they are not public */
  public AddressCheck(List<AllowedNetwork> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  /**
   * Why {@code address} may not be fetched from on {@code port}, or empty when it may. The reason
   * names the address and is for the operator's log: a caller who learnt what an internal name
   * resolves to would be mapping the network with the service's help.
   */
  public Optional<String> refusal(InetAddress address, int port) {
    InetAddress effective = embeddedIpv4(address).orElse(address);
    for (AllowedNetwork network : allowed) {
      if (network.contains(address, port) || network.contains(effective, port)) {
        return Optional.empty();
      }
    }
    for (Network network : NOT_PUBLIC) {
      if (network.contains(effective)) {
        return Optional.of(effective.getHostAddress() + " is not a public address (" + describe(effective) + ")"
            + (opened(effective) ? " and port " + port + " is not opened on it" : ""));
      }
    }
    return Optional.empty();
  }

  private boolean opened(InetAddress address) {
    return allowed.stream().anyMatch(a -> a.network().contains(address));
  }

  /** The IPv4 address an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 address leads to. */
  static Optional<InetAddress> embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return Optional.empty();
    }
    byte[] a = address.getAddress();
    try {
      boolean zeros80 = true;
      for (int i = 0; i < 10; i++) {
        zeros80 &= a[i] == 0;
      }
      boolean mapped = zeros80 && a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
      boolean compatible = zeros80 && a[10] == 0 && a[11] == 0 && !(a[12] == 0 && a[13] == 0 && a[14] == 0);
      if (mapped || compatible || NAT64.contains(address)) {
        return Optional.of(InetAddress.getByAddress(new byte[] {a[12], a[13], a[14], a[15]}));
      }
      if (SIX_TO_FOUR.contains(address)) {
        return Optional.of(InetAddress.getByAddress(new byte[] {a[2], a[3], a[4], a[5]}));
      }
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    return Optional.empty();
  }

  private static String describe(InetAddress a) {
    if (a.isLoopbackAddress()) {
      return "loopback";
    }
    if (a.isLinkLocalAddress()) {
      return "link-local";
    }
    if (a.isSiteLocalAddress()) {
      return "private network";
    }
    if (a.isAnyLocalAddress()) {
      return "unspecified";
    }
    if (a.isMulticastAddress()) {
      return "multicast";
    }
    return "reserved or private range";
  }
}
