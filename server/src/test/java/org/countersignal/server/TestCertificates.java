package org.countersignal.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates for tests, made by the JDK's own {@code keytool} (the JDK has no public
 * API that makes certificates) and written as the PEM files an operator would have from a CA: the
 * certificate, and its private key as PKCS#8.
 */
final class TestCertificates {

  /**
   * One certificate and its key, as files and as text.
   *
   * @param certificatePem the certificate's PEM text, what a peer's {@code tls_certificate} holds
   */
  record Issued(Path certificate, Path key, String certificatePem) {

    /** A client that trusts this certificate alone (host names verified, as always). */
    HttpClient client() {
      try {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("trusted", java.security.cert.CertificateFactory.getInstance("X.509")
            .generateCertificate(new java.io.ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private TestCertificates() {}

  /**
   * A new key pair and a certificate for {@code names} ({@code keytool}'s form: {@code
   * ip:127.0.0.1,dns:localhost}), written to {@code name.crt.pem} and {@code name.key.pem} in
   * {@code dir}.
   *
   * @param algorithm {@code EC} (P-256) or {@code RSA} (2048 bits)
   */
  static Issued issue(Path dir, String name, String algorithm, String names) throws IOException, InterruptedException {
    Path store = dir.resolve(name + ".p12");
    String password = "test-only";
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-noprompt", "-alias", "server", "-keyalg", algorithm,
        "-dname", "CN=" + name, "-ext", "san=" + names, "-validity", "30",
        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password, "-keypass", password));
    command.addAll(algorithm.equals("EC") ? List.of("-groupname", "secp256r1") : List.of("-keysize", "2048"));
    Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, password.toCharArray());
      Certificate certificate = keys.getCertificate("server");
      String certificatePem = pem("CERTIFICATE", certificate.getEncoded());
      Path certificateFile = Files.writeString(dir.resolve(name + ".crt.pem"), certificatePem);
      // A PKCS#12 key store hands keys out in their PKCS#8 encoding.
      Path keyFile = Files.writeString(dir.resolve(name + ".key.pem"),
          pem("PRIVATE KEY", keys.getKey("server", password.toCharArray()).getEncoded()));
      return new Issued(certificateFile, keyFile, certificatePem);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }
}
