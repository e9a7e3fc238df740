package org.countersignal.server.tls;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates and private keys in the PEM files operators get from their CA or certbot, read with
 * the JDK alone: X.509 certificates by its {@link CertificateFactory}, PKCS#8 keys by its
 * {@link KeyFactory} once the armour is stripped. Other key encodings are refused with the command
 * that converts them, rather than parsed here.
 */
public final class Pem {

  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

  /** The key algorithms a PKCS#8 key is tried as, in turn: what CAs issue certificates for. */
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA");

  private Pem() {}

  /**
   * Every certificate of {@code text}, in order (a chain: the server's own first, then the CAs
   * that issued it).
   *
   * @throws IllegalArgumentException what is wrong, for a message that names the file or field
   */
  public static List<X509Certificate> certificates(String text) {
    List<X509Certificate> certificates = new ArrayList<>();
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("this JDK reads no X.509 certificates", e);
    }
    for (Block block : blocks(text)) {
      if (!block.label().equals("CERTIFICATE")) {
        continue;
      }
      try {
        certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
      } catch (CertificateException e) {
        throw new IllegalArgumentException("certificate " + (certificates.size() + 1) + " of the PEM text is not a readable X.509 certificate");
      }
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("holds no PEM certificate (a block from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----)");
    }
    return certificates;
  }

  /**
   * The one private key of {@code text}, an unencrypted PKCS#8 key ({@code -----BEGIN PRIVATE
   * KEY-----}) of RSA, EC or EdDSA.
   *
   * @throws IllegalArgumentException what is wrong, and how to convert a key in another encoding
   */
  public static PrivateKey privateKey(String text) {
    List<Block> keys = new ArrayList<>();
    for (Block block : blocks(text)) {
      switch (block.label()) {
        case "PRIVATE KEY" -> keys.add(block);
        case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IllegalArgumentException("holds an " + block.label()
            + " (PKCS#1 or SEC 1); give the same key as PKCS#8 (-----BEGIN PRIVATE KEY-----), converted with"
            + " openssl pkcs8 -topk8 -nocrypt -in OLD.pem -out NEW.pem");
        case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException("holds an encrypted key; give it unencrypted"
            + " (a file only the server's user can read), decrypted with openssl pkcs8 -in OLD.pem -out NEW.pem");
        default -> {
          // certificates or parameters beside the key: not ours to read
        }
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("holds no PEM private key (a block from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----)");
    }
    if (keys.size() > 1) {
      throw new IllegalArgumentException("holds " + keys.size() + " private keys; give the one of the certificate alone");
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(keys.getFirst().der());
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // not a key of this algorithm: try the next
      }
    }
    throw new IllegalArgumentException("holds a private key that is not a readable PKCS#8 key of " + String.join(", ", KEY_ALGORITHMS));
  }

  /** One PEM block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY}) and what is between its lines. */
  private record Block(String label, String body) {

    byte[] der() {
      try {
        return Base64.getMimeDecoder().decode(body.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("a " + label + " block of the PEM text is not base64");
      }
    }
  }

  private static List<Block> blocks(String text) {
    List<Block> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(text == null ? "" : text);
    while (matcher.find()) {
      blocks.add(new Block(matcher.group(1), matcher.group(2)));
    }
    return blocks;
  }
}
