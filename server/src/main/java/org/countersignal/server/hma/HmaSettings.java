package org.countersignal.server.hma;

/**
 * Where the HMA-compatible routes are served and who may call them without a key.
 *
 * @param prefix the path they are served under: empty for the root, as HMA serves them (the
 *     default), or a path such as {@code /hma}; null when they are not served ({@code off})
 * @param keyless the private networks an unchanged HMA client may call from without a key, as
 *     which key; null (the default) when every call needs a key
 */
public record HmaSettings(String prefix, KeylessAccess keyless) {

  public static final HmaSettings DEFAULT = new HmaSettings("", null);

  public HmaSettings {
    if (prefix != null && !prefix.isEmpty() && !prefix.matches("(/[a-z0-9_-]+)+")) {
      throw new IllegalArgumentException("hma-prefix is 'off', '/' or a path such as /hma (lower-case letters, digits, - and _), got: " + prefix);
    }
  }

  /** Parses {@code hma-prefix}: {@code off}, {@code /} (the root) or a path. */
  public HmaSettings withPrefix(String text) {
    String given = text.strip();
    return new HmaSettings("off".equals(given) ? null : "/".equals(given) ? "" : given, keyless);
  }

  public HmaSettings withKeyless(String text) {
    String given = text.strip();
    return new HmaSettings(prefix, given.isEmpty() || "off".equals(given) ? null : KeylessAccess.parse(given));
  }

  public boolean served() {
    return prefix != null;
  }
}
