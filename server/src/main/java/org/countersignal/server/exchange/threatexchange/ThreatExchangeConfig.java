package org.countersignal.server.exchange.threatexchange;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.countersignal.server.exchange.SourceUrl;

/**
 * Which ThreatExchange privacy group an exchange follows, and where the Graph API is. The access
 * token is a credential, kept encrypted apart from this.
 *
 * @param privacyGroupId the id of the privacy group whose threat updates are fetched (GIFCT's
 *     hash-sharing database is one), digits as ThreatExchange shows them
 * @param baseUrl the Graph API with its version, such as {@value #DEFAULT_BASE_URL}; null for that.
 *     The access token travels in the query string, so it must be https, except to this machine (a
 *     stand-in or a local relay)
 * @param pageSize how many updates to ask for a page (a batch); null for {@value #DEFAULT_PAGE_SIZE}
 */
public record ThreatExchangeConfig(
    @JsonProperty("privacy_group_id") String privacyGroupId,
    @JsonProperty("base_url") String baseUrl,
    @JsonProperty("page_size") Integer pageSize) {

  /** Meta's Graph API at the version python-threatexchange currently pins. */
  public static final String DEFAULT_BASE_URL = "https://graph.facebook.com/v21.0";
  public static final int DEFAULT_PAGE_SIZE = 500;
  /** The largest page the Graph API gives ThreatExchange lists. */
  public static final int MAX_PAGE_SIZE = 1000;

  public static ThreatExchangeConfig of(String privacyGroupId) {
    return new ThreatExchangeConfig(privacyGroupId, null, null);
  }

  /**
   * Refuses a configuration that could never fetch.
   *
   * @throws IllegalArgumentException {@code "field: what is wrong"}
   */
  void check() {
    group();
    baseUri();
    if (pageSize != null && (pageSize < 1 || pageSize > MAX_PAGE_SIZE)) {
      throw new IllegalArgumentException("page_size: " + pageSize + " is not between 1 and " + MAX_PAGE_SIZE);
    }
  }

  String group() {
    if (privacyGroupId == null || privacyGroupId.isBlank()) {
      throw new IllegalArgumentException("privacy_group_id: missing (the id of the ThreatExchange privacy group to follow)");
    }
    String id = privacyGroupId.strip();
    if (!id.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("privacy_group_id: '" + id + "' is not a ThreatExchange id (digits only)");
    }
    return id;
  }

  int effectivePageSize() {
    return pageSize == null ? DEFAULT_PAGE_SIZE : pageSize;
  }

  /** The Graph API base without a trailing slash: routes are appended as {@code /<path>}. */
  String baseUri() {
    String text = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl.strip();
    SourceUrl.check(text, "base_url", DEFAULT_BASE_URL, "the access token is sent with every request");
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }
}
