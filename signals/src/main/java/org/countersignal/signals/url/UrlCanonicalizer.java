package org.countersignal.signals.url;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentException.Reason;

/**
 * Reduces a URL to its {@link CanonicalUrl}, so that the spellings of one page compare equal:
 * scheme and host case, IDNA2008 (Unicode host to punycode, {@link HostNames}), default ports,
 * {@code www.}, trailing dots, user information (a classic disguise:
 * {@code http://trusted.com@evil.com}), dot segments, repeated and trailing slashes,
 * percent-encoding (unreserved characters decoded, the rest encoded in upper-case hex), tracking
 * parameters, parameter order and the fragment. Defanged
 * spellings ({@code hxxp://}, {@code example[.]com}) are accepted. No network access.
 */
public final class UrlCanonicalizer {

  /** Longer input is refused before any work; browsers themselves stop near this length. */
  public static final int MAX_LENGTH = 8192;

  // Compiled once: a text's every URL is canonicalised, and String.matches compiles its pattern on each call.
  private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
  private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");
  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
  private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");
  private static final Pattern HEX_LABEL = Pattern.compile("0x[0-9a-f]*");
  private static final Pattern OCTAL_LABEL = Pattern.compile("0[0-7]+");
  private static final Pattern DECIMAL_LABEL = Pattern.compile("[0-9]+");
  private static final Pattern QUERY_SEPARATOR = Pattern.compile("[&;]");

  private static final Set<String> TRACKING = Set.of(
      "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid",
      "igsh", "yclid", "twclid", "ttclid", "li_fat_id", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok",
      "vero_id", "oly_anon_id", "oly_enc_id", "rb_clickid", "s_cid", "ref_src", "ref_url", "spm",
      "scid", "epik", "__s", "wickedid", "srsltid");

  private UrlCanonicalizer() {}

  public static CanonicalUrl canonicalize(String input) throws ContentException {
    if (input == null) {
      throw new ContentException(Reason.CORRUPT, "URL is missing");
    }
    if (input.length() > MAX_LENGTH) {
      throw new ContentException(Reason.TOO_LARGE,
          String.format("URL has %,d characters, over the limit of %,d", input.length(), MAX_LENGTH));
    }
    String url = undecorate(input);
    if (url.isEmpty()) {
      throw new ContentException(Reason.CORRUPT, "URL is empty");
    }
    int fragment = url.indexOf('#');
    if (fragment >= 0) {
      url = url.substring(0, fragment);
    }
    String rest;
    int colon0 = url.indexOf(':');
    String schemeText = colon0 > 0 ? url.substring(0, colon0) : "";
    boolean hasScheme = SCHEME.matcher(schemeText).matches()
        && !(colon0 + 1 < url.length() && Character.isDigit(url.charAt(colon0 + 1)))
        && !(colon0 + 1 == url.length() && schemeText.contains("."));
    if (hasScheme) {
      String scheme = schemeText.toLowerCase(Locale.ROOT);
      switch (scheme) {
        case "hxxp", "hxxps", "http", "https" -> { }
        default -> throw new ContentException(Reason.UNSUPPORTED_FORMAT,
            "only http and https URLs are matched, not " + scheme);
      }
      rest = url.substring(colon0 + 1);
      while (rest.startsWith("/") || rest.startsWith("\\")) {
        rest = rest.substring(1);
      }
    } else if (url.startsWith("//")) {
      rest = url.substring(2);
    } else {
      rest = url; // bare "example.com/page", as pasted in posts
    }
    int pathStart = indexOfAny(rest, "/?\\");
    String authority = pathStart < 0 ? rest : rest.substring(0, pathStart);
    // Joiners are kept for the host, where IDNA2008 judges them; in a path they only hide text.
    // Defanging hidden by a joiner ("(\u200C.)") shows once the joiners go: undone here as well,
    // or the canonical text would be defanged text that canonicalises to something else.
    String pathAndQuery = pathStart < 0 ? "" : undefang(withoutJoiners(rest.substring(pathStart))).replace('\\', '/');
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authority = authority.substring(at + 1);
    }
    String hostPart = authority;
    int port = -1;
    int colon = authority.lastIndexOf(':');
    if (colon >= 0 && !authority.endsWith("]")) {
      hostPart = authority.substring(0, colon);
      String portText = authority.substring(colon + 1);
      if (!portText.isEmpty()) {
        if (!PORT.matcher(portText).matches() || Integer.parseInt(portText) > 65535) {
          throw new ContentException(Reason.CORRUPT, "URL port is not a number from 0 to 65535");
        }
        port = Integer.parseInt(portText);
      }
    }
    if (port == 80 || port == 443) {
      port = -1;
    }
    String host = canonicalHost(hostPart);
    int queryStart = pathAndQuery.indexOf('?');
    String path = queryStart < 0 ? pathAndQuery : pathAndQuery.substring(0, queryStart);
    String query = queryStart < 0 ? "" : pathAndQuery.substring(queryStart + 1);
    return new CanonicalUrl(host, port, canonicalPath(path), canonicalQuery(query, host));
  }

  /**
   * Strips what surrounds a pasted URL and undoes defanging and invisible characters, except the
   * zero-width joiner and non-joiner: some scripts need them in host names.
   */
  private static String undecorate(String input) {
    String s = Normalizer.normalize(input, Normalizer.Form.NFKC);
    StringBuilder visible = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((Character.getType(c) != Character.FORMAT || isJoiner(c)) && !Character.isISOControl(c)) {
        visible.append(c);
      }
    }
    s = visible.toString().strip();
    while (s.length() >= 2 && "<\"'(".indexOf(s.charAt(0)) >= 0 && ">\"')".indexOf(s.charAt(s.length() - 1)) >= 0) {
      s = s.substring(1, s.length() - 1).strip();
    }
    return undefang(s);
  }

  /** Undoes defanging until none is left: undoing one spelling can make another ({@code [(.)]}). */
  private static String undefang(String s) {
    String previous;
    do {
      previous = s;
      s = s.replace("[.]", ".").replace("(.)", ".").replace("{.}", ".").replace("[:]", ":")
          .replace("[://]", "://");
    } while (!s.equals(previous));
    return s;
  }

  static boolean isJoiner(char c) {
    return c == '\u200C' || c == '\u200D';
  }

  static String withoutJoiners(String s) {
    return s.replace("\u200C", "").replace("\u200D", "");
  }

  private static String canonicalHost(String raw) throws ContentException {
    String host = percentDecode(raw);
    if (host.startsWith("[") && host.endsWith("]")) {
      String inside = host.substring(1, host.length() - 1).toLowerCase(Locale.ROOT);
      if (!IPV6.matcher(inside).matches()) {
        throw new ContentException(Reason.CORRUPT, "URL has a malformed IPv6 host");
      }
      return "[" + inside + "]";
    }
    while (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (host.isEmpty()) {
      throw new ContentException(Reason.CORRUPT, "URL has no host");
    }
    String ascii = HostNames.toAscii(host);
    while (ascii.endsWith(".")) { // from dots that IDNA maps, such as the ideographic 。
      ascii = ascii.substring(0, ascii.length() - 1);
    }
    if (ascii.length() > 253 || !DOMAIN.matcher(ascii).matches()) {
      throw new ContentException(Reason.CORRUPT, "URL host is not a valid domain name");
    }
    String numeric = numericIpv4(ascii);
    if (numeric != null) {
      return numeric;
    }
    if (NUMERIC_LABEL.matcher(ascii.substring(ascii.lastIndexOf('.') + 1)).matches()) {
      // As in browsers: a name ending in a number is an IPv4 address or nothing.
      throw new ContentException(Reason.CORRUPT, "URL host ends in a number but is not an IPv4 address");
    }
    // Every leading www., not just one: the canonical text of www.www.example.org must itself be
    // canonical, or the value a bank stores would not equal the same URL canonicalised again.
    while (ascii.startsWith("www.") && ascii.indexOf('.', 4) > 0) {
      ascii = ascii.substring(4);
    }
    return ascii;
  }

  /** Decimal, octal or hex IPv4 spellings ({@code 3232235777}, {@code 0xC0.0250.1.1}) as a dotted quad. */
  private static String numericIpv4(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length > 4) {
      return null;
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      try {
        if (HEX_LABEL.matcher(p).matches()) {
          values[i] = p.length() == 2 ? 0 : Long.parseLong(p.substring(2), 16);
        } else if (OCTAL_LABEL.matcher(p).matches()) {
          values[i] = Long.parseLong(p.substring(1), 8);
        } else if (DECIMAL_LABEL.matcher(p).matches()) {
          values[i] = Long.parseLong(p);
        } else {
          return null;
        }
      } catch (NumberFormatException e) {
        return null;
      }
    }
    long address = 0;
    for (int i = 0; i < values.length - 1; i++) {
      if (values[i] > 255) {
        return null;
      }
      address = (address << 8) | values[i];
    }
    int lastBits = 8 * (5 - values.length);
    if (values[values.length - 1] >= (1L << lastBits)) {
      return null;
    }
    address = (address << lastBits) | values[values.length - 1];
    return ((address >> 24) & 255) + "." + ((address >> 16) & 255) + "." + ((address >> 8) & 255) + "." + (address & 255);
  }

  private static String canonicalPath(String raw) {
    List<String> segments = new ArrayList<>();
    for (String segment : raw.split("/", -1)) {
      String s = normalizeEncoding(segment, "/?#");
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        if (!segments.isEmpty()) {
          segments.removeLast();
        }
        continue;
      }
      segments.add(s);
    }
    return segments.isEmpty() ? "" : "/" + String.join("/", segments);
  }

  private static String canonicalQuery(String raw, String host) {
    if (raw.isEmpty()) {
      return "";
    }
    List<String[]> kept = new ArrayList<>();
    for (String pair : QUERY_SEPARATOR.split(raw)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = normalizeEncoding(eq < 0 ? pair : pair.substring(0, eq), "&=#+;");
      String value = eq < 0 ? null : normalizeEncoding(pair.substring(eq + 1), "&#+;");
      if (isTracking(key, host)) {
        continue;
      }
      kept.add(new String[] {key, value});
    }
    // Stable sort by key: the order of a repeated key's values can carry meaning.
    kept.sort((a, b) -> a[0].compareTo(b[0]));
    StringBuilder out = new StringBuilder();
    for (String[] pair : kept) {
      if (!out.isEmpty()) {
        out.append('&');
      }
      out.append(pair[0]);
      if (pair[1] != null) {
        out.append('=').append(pair[1]);
      }
    }
    return out.toString();
  }

  private static boolean isTracking(String key, String host) {
    String k = key.toLowerCase(Locale.ROOT);
    if (k.startsWith("utm_") || k.startsWith("pk_") || TRACKING.contains(k)) {
      return true;
    }
    return switch (host) {
      case "youtube.com", "m.youtube.com", "youtu.be" -> k.equals("si") || k.equals("feature");
      case "twitter.com", "x.com", "mobile.twitter.com" -> k.equals("s") || k.equals("t");
      case "instagram.com", "tiktok.com" -> k.equals("hl") || k.equals("is_from_webapp") || k.equals("sender_device");
      default -> false;
    };
  }

  /**
   * Decodes escapes of unreserved characters, re-encodes everything outside the URL character set
   * (and any character in {@code keepEncoded} that arrived encoded), upper-cases hex digits.
   */
  private static String normalizeEncoding(String raw, String keepEncoded) {
    byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xFF;
      if (b == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
        int decoded = hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]);
        i += 2;
        if (isUnreserved(decoded)) {
          out.append((char) decoded);
        } else {
          appendEscape(out, decoded);
        }
      } else if (b == '%') {
        appendEscape(out, b);
      } else if (b < 0x80 && (isUnreserved(b) || (isAllowed(b) && keepEncoded.indexOf(b) < 0) || b == '+' || b == '=' || b == '&')) {
        out.append((char) b);
      } else {
        appendEscape(out, b);
      }
    }
    return out.toString();
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  private static boolean isAllowed(int c) {
    return "!$'()*,:@".indexOf(c) >= 0;
  }

  private static void appendEscape(StringBuilder out, int b) {
    out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
        .append(Character.toUpperCase(Character.forDigit(b & 15, 16)));
  }

  private static int hex(byte b) {
    return Character.digit(b, 16);
  }

  private static String percentDecode(String raw) {
    byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[bytes.length];
    int n = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
        out[n++] = (byte) (hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
        i += 2;
      } else {
        out[n++] = bytes[i];
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
