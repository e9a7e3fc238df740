package org.countersignal.server.action;

import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.countersignal.server.ContentTypes;
import org.countersignal.server.RequestException;

/**
 * What the platform says about the content it asks about, in its own ids: which post it is, who
 * posted it, whose content it shares, what kind of content it is, and the context it was posted
 * in. Every field is optional; without an id the service makes one up, so decisions can still be
 * referred to.
 *
 * @param context a protected context the platform knows the content was posted in ({@link
 *     #CONTEXTS}): news reporting, research, education, art or counter-speech. Such content may
 *     quote what it reports on, so whatever rules say, a person decides: every action waits for
 *     review, during an incident too (the TCO regulation's Art. 1(3) exempts such material)
 */
public record ContentInfo(String id, String account, String amplifies, String type, String context) {

  /** The contexts that make every action wait for a reviewer. */
  public static final Set<String> CONTEXTS = Set.of("news", "research", "education", "art", "counter_speech");

  public ContentInfo(String id, String account, String amplifies, String type) {
    this(id, account, amplifies, type, null);
  }

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
    String setting = context == null ? null : context.strip().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
    if (setting != null && !CONTEXTS.contains(setting)) {
      throw RequestException.invalid("content.context", "one of " + String.join(", ", new java.util.TreeSet<>(CONTEXTS))
          + " (leave it out for content posted in no such context)");
    }
    return new ContentInfo(
        id == null ? "cs-" + UUID.randomUUID() : text(id, "content.id"),
        account == null ? null : text(account, "content.account"),
        amplifies == null ? null : text(amplifies, "content.amplifies"),
        kind,
        setting);
  }

  /** Whether the content was posted in a protected context: a person decides about it. */
  public boolean protectedContext() {
    return context != null;
  }

  private static String text(String value, String field) {
    String stripped = value.strip();
    if (stripped.isEmpty() || stripped.length() > MAX_ID || !PRINTABLE.matcher(stripped).matches()) {
      throw RequestException.invalid(field, "1 to " + MAX_ID + " printable characters");
    }
    return stripped;
  }
}
