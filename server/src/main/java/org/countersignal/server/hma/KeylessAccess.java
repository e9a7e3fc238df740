package org.countersignal.server.hma;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.countersignal.server.fetch.AddressCheck;
import org.countersignal.server.fetch.Network;

/**
 * Lets an unchanged HMA client, which sends no key, call the HMA-compatible routes from a
 * private network as one chosen key: its role, rate limit and audit identity. Off unless the
 * operator sets it ({@code hma-keyless = KEY_ID@BLOCK[,BLOCK...]}), only for blocks no public
 * address is in, and only on the HMA routes; a request that sends a key is judged by that key.
 * Revoking the key closes the door at once.
 */
public record KeylessAccess(long keyId, List<Network> networks) {

  public KeylessAccess {
    networks = List.copyOf(networks);
    if (networks.isEmpty()) {
      throw new IllegalArgumentException("hma-keyless needs at least one address block");
    }
  }

  /** Parses {@code KEY_ID@BLOCK[,BLOCK...]}, refusing a block that holds a public address. */
  public static KeylessAccess parse(String text) {
    int at = text.indexOf('@');
    if (at <= 0) {
      throw new IllegalArgumentException("hma-keyless is KEY_ID@BLOCK[,BLOCK...], e.g. 7@10.0.0.0/8, got: " + text);
    }
    long keyId;
    try {
      keyId = Long.parseLong(text.substring(0, at).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("hma-keyless: '" + text.substring(0, at).strip() + "' is not a key id", e);
    }
    List<Network> networks = new ArrayList<>();
    for (String block : text.substring(at + 1).split(",")) {
      if (block.isBlank()) {
        continue;
      }
      Network network = Network.parse(block.strip());
      publicAddress(network).ifPresent(address -> {
        throw new IllegalArgumentException("hma-keyless: " + block.strip() + " holds public addresses (" + address
            + "); only private, loopback and link-local blocks may call without a key");
      });
      networks.add(network);
    }
    return new KeylessAccess(keyId, networks);
  }

  public boolean admits(InetAddress caller) {
    return networks.stream().anyMatch(network -> network.contains(caller));
  }

  /**
   * A public address in {@code network}, if any. The blocks that are not public are aligned and
   * none is larger than a /8 (IPv4) or a /7 (IPv6), so a block at least that narrow whose first
   * and last addresses are not public holds no public address.
   */
  private static Optional<String> publicAddress(Network network) {
    byte[] first = network.prefix().clone();
    byte[] last = network.prefix().clone();
    for (int bit = network.bits(); bit < first.length * 8; bit++) {
      last[bit / 8] |= (byte) (0x80 >>> (bit % 8));
    }
    int narrowest = first.length == 4 ? 8 : 7;
    AddressCheck check = new AddressCheck(List.of());
    try {
      for (byte[] bytes : List.of(first, last)) {
        InetAddress address = InetAddress.getByAddress(bytes);
        if (check.refusal(address, 80).isEmpty()) {
          return Optional.of(address.getHostAddress());
        }
      }
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
    return network.bits() < narrowest ? Optional.of(network.toString() + " is wider than any private block") : Optional.empty();
  }

  @Override
  public String toString() {
    return keyId + "@" + String.join(",", networks.stream().map(Network::toString).toList());
  }
}
