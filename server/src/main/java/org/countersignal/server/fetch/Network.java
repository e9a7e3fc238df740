package org.countersignal.server.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An address block in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}), IPv4 or IPv6. */
public record Network(byte[] prefix, int bits) {

  public Network {
    prefix = prefix.clone();
    if (bits < 0 || bits > prefix.length * 8) {
      throw new IllegalArgumentException("prefix length " + bits + " does not fit a " + prefix.length * 8 + "-bit address");
    }
  }

  /**
   * Parses {@code address/bits}; a bare address is a block of one. Only literal addresses are
   * accepted (a host name here would make the block depend on DNS).
   */
  public static Network parse(String text) {
    String s = text.strip();
    int slash = s.indexOf('/');
    String address = slash < 0 ? s : s.substring(0, slash);
    if (!address.matches("[0-9a-fA-F.:]+")) {
      throw new IllegalArgumentException("'" + text + "' is not an address block such as 10.0.0.0/8 or fd00::/8");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress(); // a literal: no lookup happens
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + text + "' is not an address block such as 10.0.0.0/8 or fd00::/8");
    }
    int bits = bytes.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
      }
    }
    return new Network(bytes, bits);
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != prefix.length) {
      return false;
    }
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != prefix[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (a[full] & mask) == (prefix[full] & mask);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Network n && n.bits == bits && Arrays.equals(n.prefix, prefix);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(prefix) + bits;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(prefix).getHostAddress() + "/" + bits;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
