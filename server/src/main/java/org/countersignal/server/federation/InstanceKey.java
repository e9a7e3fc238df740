package org.countersignal.server.federation;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import org.countersignal.server.store.Clock;
import org.countersignal.server.webhook.SecretBox;
import org.jdbi.v3.core.Jdbi;

/**
 * This instance's Ed25519 signing key: made at the first start and kept in the database, its
 * private half sealed with the server's secret key file, so every replica signs with the same key
 * and peers pin it once.
 */
public final class InstanceKey {

  private static final String PURPOSE = "instance signing key";

  private final PublicKey publicKey;
  private final PrivateKey privateKey;

  private InstanceKey(PublicKey publicKey, PrivateKey privateKey) {
    this.publicKey = publicKey;
    this.privateKey = privateKey;
  }

  /** The instance's key, made and stored first if it has none. */
  public static InstanceKey loadOrCreate(Jdbi jdbi, SecretBox secrets) {
    return load(jdbi, secrets).orElseGet(() -> {
      KeyPair pair = generate();
      String sealed = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
      jdbi.useHandle(h -> h.createUpdate(
              "INSERT INTO instance_keys (public_key, private_key_cipher, created_at) VALUES (:public, :private, :now)")
          .bind("public", FeedPages.text(pair.getPublic()))
          .bind("private", secrets.seal(PURPOSE, sealed))
          .bind("now", Clock.now(h))
          .execute());
      // Another replica may have stored one first: the oldest is the one every replica uses.
      return load(jdbi, secrets).orElseThrow();
    });
  }

  private static Optional<InstanceKey> load(Jdbi jdbi, SecretBox secrets) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT public_key, private_key_cipher FROM instance_keys ORDER BY id FETCH FIRST 1 ROWS ONLY")
        .map((rs, ctx) -> {
          PublicKey publicKey = FeedPages.publicKey(rs.getString(1));
          byte[] pkcs8 = Base64.getDecoder().decode(secrets.open(PURPOSE, rs.getBytes(2)));
          try {
            PrivateKey privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return new InstanceKey(publicKey, privateKey);
          } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the stored instance signing key cannot be read", e);
          }
        })
        .findFirst());
  }

  private static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is unavailable", e);
    }
  }

  /** The public key as peers pin it (base64 of its X.509 encoding). */
  public String publicKeyText() {
    return FeedPages.text(publicKey);
  }

  FeedPages.Signed sign(FeedPages.Payload payload) {
    return FeedPages.sign(payload, privateKey);
  }
}
