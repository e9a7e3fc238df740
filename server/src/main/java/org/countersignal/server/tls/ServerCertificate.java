package org.countersignal.server.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server presents over HTTPS: its certificate chain (its own certificate first) and the
 * private key of that certificate, read from the two PEM files the settings name. Everything is
 * checked when the files are read, at start-up, so a server that would fail every handshake does
 * not start at all. The files are read once: a renewed certificate takes a restart.
 *
 * @param key the private key of {@code chain}'s first certificate
 * @param chain the server's certificate, then the CAs that issued it
 */
public record ServerCertificate(PrivateKey key, List<X509Certificate> chain) {

  private static final Logger LOG = LoggerFactory.getLogger(ServerCertificate.class);

  /** The largest certificate or key file read: far above any real chain. */
  private static final long MAX_FILE_BYTES = 1 << 20;

  public ServerCertificate {
    chain = List.copyOf(chain);
  }

  /**
   * Reads and checks the two files: both readable PEM, the key PKCS#8 and the key of the chain's
   * first certificate. A certificate outside its validity at {@code now} is only logged (clients
   * will refuse it; the operator may be renewing it).
   *
   * @throws IllegalArgumentException naming the setting and the file, and what is wrong
   */
  public static ServerCertificate read(Path certificateFile, Path keyFile, Instant now) {
    List<X509Certificate> chain;
    try {
      chain = Pem.certificates(text(certificateFile));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(prefix("tls-certificate", certificateFile) + e.getMessage(), e);
    }
    PrivateKey key;
    try {
      key = Pem.privateKey(text(keyFile));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(prefix("tls-key", keyFile) + e.getMessage(), e);
    }
    X509Certificate own = chain.getFirst();
    if (!belongTogether(key, own.getPublicKey())) {
      throw new IllegalArgumentException(prefix("tls-key", keyFile) + "is not the private key of the certificate in " + certificateFile
          + " (" + own.getSubjectX500Principal().getName() + "); the certificate file must start with the server's own certificate");
    }
    if (now.isAfter(own.getNotAfter().toInstant())) {
      LOG.warn("The TLS certificate in {} ({}) expired at {}: clients will refuse it until it is renewed and the server restarted",
          certificateFile, own.getSubjectX500Principal().getName(), own.getNotAfter().toInstant());
    } else if (now.isBefore(own.getNotBefore().toInstant())) {
      LOG.warn("The TLS certificate in {} ({}) is valid only from {}: clients will refuse it until then",
          certificateFile, own.getSubjectX500Principal().getName(), own.getNotBefore().toInstant());
    }
    return new ServerCertificate(key, chain);
  }

  /**
   * An in-memory key store holding the key and its chain under {@code password}, the form TLS
   * libraries take them in.
   */
  public KeyStore keyStore(char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, password);
      store.setKeyEntry("server", key, password, chain.toArray(new X509Certificate[0]));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("the server's key and certificate could not be put in a key store", e);
    }
  }

  /** The subject of the server's own certificate, for the start-up log. */
  public String subject() {
    return chain.getFirst().getSubjectX500Principal().getName();
  }

  /**
   * Whether {@code key} is the private half of {@code certified}: a signature made with it verifies
   * with the certificate's key (the one check that works alike for RSA, EC and EdDSA).
   */
  private static boolean belongTogether(PrivateKey key, PublicKey certified) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm(); // EdDSA, Ed25519, Ed448 sign as themselves
    };
    byte[] probe = "countersignal: does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certified);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      // a key of another algorithm than the certificate's, or one this JDK cannot sign with
      return false;
    }
  }

  private static String text(Path file) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException("is larger than " + (MAX_FILE_BYTES >> 10) + " KB, which no PEM file of this kind is");
      }
      // Latin-1 reads any bytes: a file that is not PEM is then told apart by its content.
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file");
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException("not readable by this user");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static String prefix(String setting, Path file) {
    return setting + " " + file + ": ";
  }
}
