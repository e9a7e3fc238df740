package org.countersignal.server.exchange.peer;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.countersignal.server.exchange.SourceUrl;
import org.countersignal.server.federation.FeedPages;
import org.countersignal.server.tls.Pem;

/**
 * Which feed of which Countersignal instance an exchange follows. The peer key the publisher gave
 * is a credential, kept encrypted apart from this.
 *
 * @param url the publishing instance's address, such as {@code https://countersignal.example.org/};
 *     the peer key goes with every request, so https, except to this machine
 * @param feed the feed's name at the publisher
 * @param publicKey the publisher's signing key, pinned: its {@code GET /api/v1/federation/key},
 *     obtained from the publisher's operator, not over the link itself
 * @param pageSize records a page (a batch); null for {@value #DEFAULT_PAGE_SIZE}
 * @param tlsCertificate for a publisher whose certificate no public CA issued (self-signed, or an
 *     organisation's own CA): the PEM of that certificate, or of the CA, which alone is then trusted
 *     for this exchange; null trusts the JDK's CAs
 */
public record PeerConfig(
    @JsonProperty("url") String url,
    @JsonProperty("feed") String feed,
    @JsonProperty("public_key") String publicKey,
    @JsonProperty("page_size") Integer pageSize,
    @JsonProperty("tls_certificate") String tlsCertificate) {

  public static final int DEFAULT_PAGE_SIZE = 1000;
  public static final int MAX_PAGE_SIZE = 5000;

  /**
   * Refuses a configuration that could never fetch.
   *
   * @throws IllegalArgumentException {@code "field: what is wrong"}
   */
  void check() {
    baseUri();
    if (feed == null || feed.isBlank()) {
      throw new IllegalArgumentException("feed: missing (the feed's name at the publisher)");
    }
    key();
    if (pageSize != null && (pageSize < 1 || pageSize > MAX_PAGE_SIZE)) {
      throw new IllegalArgumentException("page_size: " + pageSize + " is not between 1 and " + MAX_PAGE_SIZE);
    }
    trusted();
  }

  int effectivePageSize() {
    return pageSize == null ? DEFAULT_PAGE_SIZE : pageSize;
  }

  PublicKey key() {
    if (publicKey == null || publicKey.isBlank()) {
      throw new IllegalArgumentException("public_key: missing (the publisher's GET /api/v1/federation/key, from its operator)");
    }
    try {
      return FeedPages.publicKey(publicKey);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("public_key: " + e.getMessage());
    }
  }

  /**
   * The certificates {@code tls_certificate} trusts, empty when it is not set.
   *
   * @throws IllegalArgumentException {@code "tls_certificate: what is wrong"}
   */
  List<X509Certificate> trusted() {
    if (tlsCertificate == null || tlsCertificate.isBlank()) {
      return List.of();
    }
    if (!"https".equalsIgnoreCase(baseUri().getScheme())) {
      throw new IllegalArgumentException("tls_certificate: set for a plain http url; it is the certificate of an https one");
    }
    try {
      return Pem.certificates(tlsCertificate);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tls_certificate: " + e.getMessage());
    }
  }

  /** The base URL with a trailing slash, so the routes resolve beneath any path it has. */
  URI baseUri() {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("url: missing (the publishing instance's address)");
    }
    return SourceUrl.directory(SourceUrl.check(url, "url", "https://countersignal.example.org/",
        "the peer key goes with every request"));
  }
}
