package org.countersignal.signals.url;

import com.google.common.net.InternetDomainName;

/**
 * Registrable domains by the Public Suffix List as bundled in Guava, its private section included:
 * {@code github.io} and {@code blogspot.com} are public suffixes like {@code co.uk}, because
 * anyone can get a site under them. A name under no listed suffix takes its last label as the
 * suffix (the list's default rule {@code *}).
 */
final class PublicSuffixes {

  private PublicSuffixes() {}

  /**
   * The public suffix plus one label ({@code a.evil.co.uk} → {@code evil.co.uk}), or null when
   * the host is itself a public suffix.
   */
  static String registrableDomain(String host) {
    int suffixStart = host.length() - publicSuffix(host).length();
    if (suffixStart == 0) {
      return null;
    }
    return host.substring(host.lastIndexOf('.', suffixStart - 2) + 1);
  }

  private static String publicSuffix(String host) {
    // Guava refuses some names that browsers reach (a label starting with a hyphen). The suffix
    // is decided by the rightmost labels, so leading labels are dropped until the rest parses.
    String name = host;
    while (true) {
      try {
        InternetDomainName parsed = InternetDomainName.from(name);
        return parsed.hasPublicSuffix() ? parsed.publicSuffix().toString() : lastLabel(host);
      } catch (IllegalArgumentException e) {
        int dot = name.indexOf('.');
        if (dot < 0) {
          return lastLabel(host);
        }
        name = name.substring(dot + 1);
      }
    }
  }

  private static String lastLabel(String host) {
    return host.substring(host.lastIndexOf('.') + 1);
  }
}
