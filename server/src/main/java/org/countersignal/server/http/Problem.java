package org.countersignal.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail. {@code field} is an extension member naming the request field at
 * fault (e.g. {@code signals.pdq}), when there is one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String field) {

  public static final String MEDIA_TYPE = "application/problem+json";

  /** Problem type URIs: one per kind of refusal, stable so clients can branch on them. */
  public static String typeUri(String slug) {
    return "urn:countersignal:problem:" + slug;
  }
}
