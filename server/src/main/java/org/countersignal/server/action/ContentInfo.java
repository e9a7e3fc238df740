package org.countersignal.server.action;

import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.countersignal.server.ContentTypes;
import org.countersignal.server.RequestException;

/**
 * What the platform says about the content it asks about, in its own ids: which post it is, who
 * posted it, whose content it shares, and what kind of content it is. Every field is optional;
 * without an id the service makes one up, so decisions can still be referred to.
 */
public record ContentInfo(String id, String account, String amplifies, String type) {

  public static final Set<String> TYPES = ContentTypes.ALL;
  public static final String PHOTO = ContentTypes.PHOTO;
  private static final int MAX_ID = 200;
  private static final Pattern PRINTABLE = Pattern.compile("[\\p{Graph} ]+");

  /** Checks the fields the caller gave and fills in what the service knows ({@code detectedType}). */
  public ContentInfo checked(String detectedType) {
    String kind = ContentTypes.canonical(type == null ? detectedType : type);
    if (kind == null) {
      kind = "other";
    }
    if (!TYPES.contains(kind)) {
      throw RequestException.invalid("content.type", "one of " + String.join(", ", new java.util.TreeSet<>(TYPES)) + " (image for photo)");
    }
    return new ContentInfo(
        id == null ? "cs-" + UUID.randomUUID() : text(id, "content.id"),
        account == null ? null : text(account, "content.account"),
        amplifies == null ? null : text(amplifies, "content.amplifies"),
        kind);
  }

  private static String text(String value, String field) {
    String stripped = value.strip();
    if (stripped.isEmpty() || stripped.length() > MAX_ID || !PRINTABLE.matcher(stripped).matches()) {
      throw RequestException.invalid(field, "1 to " + MAX_ID + " printable characters");
    }
    return stripped;
  }
}
