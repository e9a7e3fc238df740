package org.countersignal.server.console;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sign-in form's CSRF token, which cannot rest on a session because there is none yet. A plain
 * double submit (cookie equals form field) falls to anyone who can set a cookie for the console's
 * host, such as a page on a sibling subdomain: they plant a value and submit the same one. Here
 * the form's token is an HMAC-SHA256, under a server key, of the nonce in the pre-session cookie
 * and an expiry, so a planted cookie is worthless without a token the server signed for it, and
 * a token works only with its own cookie and only until it expires.
 *
 * <p>Form: {@code <expiry, epoch seconds>.<base64url MAC>}.
 */
public final class SignInTokens {

  /** How long a sign-in form may stay open before it must be reloaded. */
  public static final Duration LIFETIME = Duration.ofHours(1);
  private static final String PURPOSE = "countersignal console sign-in\n";

  private final SecretKeySpec key;
  private final Clock clock;

  /**
   * @param key at least 32 bytes of secret shared by every replica (derived from the server key)
   * @param clock the time tokens are issued and checked at
   */
  public SignInTokens(byte[] key, Clock clock) {
    if (key.length < 32) {
      throw new IllegalArgumentException("the sign-in token key must have at least 32 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    this.clock = clock;
  }

  /** A token for the form whose cookie holds {@code nonce}, valid for {@link #LIFETIME}. */
  public String issue(String nonce) {
    return text(nonce, clock.instant().plus(LIFETIME).getEpochSecond());
  }

  private String text(String nonce, long expiry) {
    return expiry + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(nonce, expiry));
  }

  /** Whether {@code token} was issued for {@code nonce} by a holder of the key and has not expired. */
  public boolean valid(String nonce, String token) {
    if (nonce == null || nonce.isEmpty() || token == null) {
      return false;
    }
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return false;
    }
    long expiry;
    try {
      expiry = Long.parseLong(token.substring(0, dot));
    } catch (NumberFormatException e) {
      return false;
    }
    // The whole token against the one this key would issue, in constant time: only the canonical
    // text passes (a decoder would let the unused bits of the last Base64 character, or a leading
    // zero in the expiry, vary), and the expiry of a forged token is not worth a faster answer.
    boolean signed = MessageDigest.isEqual(text(nonce, expiry).getBytes(StandardCharsets.US_ASCII),
        token.getBytes(StandardCharsets.UTF_8));
    return signed && clock.instant().getEpochSecond() < expiry;
  }

  private byte[] mac(String nonce, long expiry) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal((PURPOSE + nonce + "\n" + expiry).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }
}
