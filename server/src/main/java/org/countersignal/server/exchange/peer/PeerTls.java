package org.countersignal.server.exchange.peer;

import java.io.IOException;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTP client a feed is read with. A publisher with a certificate from a public CA is reached
 * with the server's shared client, which trusts the JDK's CAs. For one whose certificate is its
 * own (self-signed, or from an organisation's CA), the exchange's {@code tls_certificate} is the
 * only thing trusted: a client of its own whose TLS accepts a chain to those certificates and to
 * nothing else. Host names are verified either way (the JDK's HTTP client does, on every https
 * connection), so the certificate must name the host of the exchange's url.
 */
final class PeerTls {

  /** Clients kept for reuse (their connections stay open between fetches); a few peers at most. */
  private static final int KEPT = 16;

  /** What makes two clients alike: the trusted certificates, and the shared client's settings they copy. */
  private record Settings(String certificates, Optional<Duration> connectTimeout, HttpClient.Redirect redirect, HttpClient.Version version) {}

  private static final Map<Settings, HttpClient> CLIENTS = new LinkedHashMap<>(KEPT, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Settings, HttpClient> eldest) {
      // Dropped, not closed: a fetch may still be using it, and it stops once nothing refers to it.
      return size() > KEPT;
    }
  };

  private PeerTls() {}

  /**
   * The client to reach {@code config}'s publisher with: {@code shared} when it sets no
   * {@code tls_certificate}, else one that trusts only that, with {@code shared}'s timeouts and
   * redirect policy.
   *
   * @throws IllegalArgumentException {@code "tls_certificate: what is wrong"}
   */
  static HttpClient client(PeerConfig config, HttpClient shared) {
    if (config.tlsCertificate() == null || config.tlsCertificate().isBlank()) {
      return shared;
    }
    Settings settings = new Settings(config.tlsCertificate().strip(), shared.connectTimeout(), shared.followRedirects(), shared.version());
    synchronized (CLIENTS) {
      // The certificates are read only to make a client: a kept one is used as it is.
      return CLIENTS.computeIfAbsent(settings, s -> {
        HttpClient.Builder builder = HttpClient.newBuilder()
            .sslContext(trusting(config.trusted()))
            .followRedirects(s.redirect())
            .version(s.version());
        s.connectTimeout().ifPresent(builder::connectTimeout);
        return builder.build();
      });
    }
  }

  /** A TLS context that accepts a server whose chain leads to one of {@code certificates}, and no other. */
  static SSLContext trusting(List<X509Certificate> certificates) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        store.setCertificateEntry("trusted-" + i, certificates.get(i));
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("a TLS context trusting the exchange's certificate could not be made", e);
    }
  }
}
