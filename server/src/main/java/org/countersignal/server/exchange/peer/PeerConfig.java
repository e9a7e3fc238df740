package org.countersignal.server.exchange.peer;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.security.PublicKey;
import org.countersignal.server.exchange.SourceUrl;
import org.countersignal.server.federation.FeedPages;

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
 */
public record PeerConfig(
    @JsonProperty("url") String url,
    @JsonProperty("feed") String feed,
    @JsonProperty("public_key") String publicKey,
    @JsonProperty("page_size") Integer pageSize) {

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

  /** The base URL with a trailing slash, so the routes resolve beneath any path it has. */
  URI baseUri() {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("url: missing (the publishing instance's address)");
    }
    return SourceUrl.directory(SourceUrl.check(url, "url", "https://countersignal.example.org/",
        "the peer key goes with every request"));
  }
}
