package org.countersignal.server.exchange.tat;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import org.countersignal.server.exchange.SourceUrl;

/**
 * Where a Tech Against Terrorism exchange fetches from, and how. The username and password are
 * credentials, kept encrypted apart from this.
 *
 * @param baseUrl the TCAP backend the token, hash list and verification routes hang off, such as
 *     {@code https://app.terrorismanalytics.org/}. The password goes with every token request, so
 *     it must be https, except to this machine (a stand-in or a local relay)
 * @param pageSize how many hash records to ask for a page (a batch); null for
 *     {@value #DEFAULT_PAGE_SIZE}, the source's own default and largest page
 * @param pdqConfidence how similar (0 to 1) a PDQ hash of the source must be for verification to
 *     count it; null for {@value #DEFAULT_PDQ_CONFIDENCE}, about the similarity of our default PDQ
 *     match distance (31 of 256 bits differ)
 */
public record TatConfig(
    @JsonProperty("base_url") String baseUrl,
    @JsonProperty("page_size") Integer pageSize,
    @JsonProperty("pdq_confidence") Double pdqConfidence) {

  public static final int DEFAULT_PAGE_SIZE = 1000;
  public static final int MAX_PAGE_SIZE = 1000;
  public static final double DEFAULT_PDQ_CONFIDENCE = 0.88;

  public static TatConfig of(String baseUrl) {
    return new TatConfig(baseUrl, null, null);
  }

  /**
   * Refuses a configuration that could never fetch.
   *
   * @throws IllegalArgumentException {@code "field: what is wrong"}
   */
  void check() {
    baseUri();
    if (pageSize != null && (pageSize < 1 || pageSize > MAX_PAGE_SIZE)) {
      throw new IllegalArgumentException("page_size: " + pageSize + " is not between 1 and " + MAX_PAGE_SIZE);
    }
    if (pdqConfidence != null && !(pdqConfidence > 0 && pdqConfidence <= 1)) {
      throw new IllegalArgumentException("pdq_confidence: " + pdqConfidence + " is not above 0 and at most 1");
    }
  }

  int effectivePageSize() {
    return pageSize == null ? DEFAULT_PAGE_SIZE : pageSize;
  }

  double effectivePdqConfidence() {
    return pdqConfidence == null ? DEFAULT_PDQ_CONFIDENCE : pdqConfidence;
  }

  /** The base URL with a trailing slash, so the routes resolve beneath any path it has. */
  URI baseUri() {
    if (baseUrl == null || baseUrl.isBlank()) {
      throw new IllegalArgumentException("base_url: missing (the TCAP address, such as https://app.terrorismanalytics.org/)");
    }
    return SourceUrl.directory(SourceUrl.check(baseUrl, "base_url", "https://app.terrorismanalytics.org/",
        "the password goes with every token request"));
  }
}
