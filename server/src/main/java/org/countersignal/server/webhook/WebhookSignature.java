package org.countersignal.server.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Countersignal-Signature} header: {@code v1=} and the hex HMAC-SHA256, keyed with the
 * endpoint's secret (its UTF-8 bytes), of the timestamp, a dot and the raw body. The timestamp is
 * signed so a receiver that refuses old timestamps cannot be fed a recorded delivery later.
 */
public final class WebhookSignature {

  public static final String SCHEME = "v1";

  private WebhookSignature() {}

  /** The header value for {@code body} sent at {@code unixSeconds}. */
  public static String sign(String secret, long unixSeconds, byte[] body) {
    return SCHEME + "=" + HexFormat.of().formatHex(mac(secret, unixSeconds, body));
  }

  /**
   * Whether {@code header} carries a valid {@code v1} signature of {@code body} at
   * {@code unixSeconds} (compared in constant time). Receivers also check the timestamp is recent.
   */
  public static boolean verify(String secret, long unixSeconds, byte[] body, String header) {
    if (header == null) {
      return false;
    }
    byte[] expected = mac(secret, unixSeconds, body);
    for (String part : header.split(",")) {
      String value = part.strip();
      if (value.startsWith(SCHEME + "=")) {
        try {
          if (MessageDigest.isEqual(expected, HexFormat.of().parseHex(value.substring(SCHEME.length() + 1)))) {
            return true;
          }
        } catch (IllegalArgumentException notHex) {
          // a malformed signature is simply not a match
        }
      }
    }
    return false;
  }

  private static byte[] mac(String secret, long unixSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }
}
