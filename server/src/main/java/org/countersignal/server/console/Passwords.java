package org.countersignal.server.console;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes: PBKDF2-HMAC-SHA256 from the JDK, with a random salt and OWASP's current
 * iteration count. The count is stored with each hash, so it can be raised later without
 * breaking existing passwords.
 */
final class Passwords {

  static final String SCHEME = "pbkdf2-sha256";
  static final int ITERATIONS = 600_000;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  static final int MIN_LENGTH = 12;
  /** PBKDF2 hashes the whole password each iteration: a cap keeps a huge one from costing minutes. */
  static final int MAX_LENGTH = 256;

  private static final SecureRandom RANDOM = new SecureRandom();
  /** Checked against when the username is unknown, so the answer takes as long as for a known one. */
  private static final String DECOY = hash("decoy password that nobody has");

  private Passwords() {}

  static String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] hash = derive(password, salt, ITERATIONS);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return SCHEME + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  /** Whether {@code password} is the one {@code stored} was made from; null stored: the decoy, always false. */
  static boolean verify(String password, String stored) {
    boolean known = stored != null;
    String[] parts = (known ? stored : DECOY).split("\\$");
    if (parts.length != 4 || !SCHEME.equals(parts[0])) {
      return false;
    }
    Base64.Decoder b64 = Base64.getDecoder();
    byte[] expected = b64.decode(parts[3]);
    byte[] actual = derive(password, b64.decode(parts[2]), Integer.parseInt(parts[1]));
    return MessageDigest.isEqual(expected, actual) && known;
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is required of every Java runtime", e);
    } finally {
      spec.clearPassword();
    }
  }
}
