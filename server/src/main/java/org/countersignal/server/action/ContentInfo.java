package org.countersignal.server.action;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.countersignal.server.ContentTypes;
import org.countersignal.server.RequestException;
import org.countersignal.server.rules.Protected;

/**
 * What the platform says about the content it asks about, in its own ids: which post it is, who
 * posted it, whose content it shares, what kind of content it is, and the context it was posted
 * in. Every field is optional; without an id the service makes one up, so decisions can still be
 * referred to.
 *
 * @param context a protected context the platform knows the content was posted in ({@link
 *     Protected#CONTEXTS}): news reporting, a documentary, research, education, art or
 *     counter-speech. Such content may quote what it reports on, so whatever rules say, a person
 *     decides: every action waits for review, during an incident too
 * @param accountAttributes what the platform has verified of the account that posted it ({@link
 *     Protected#ACCOUNT_ATTRIBUTES}): the same, a person decides
 */
public record ContentInfo(String id, String account, String amplifies, String type, String context, List<String> accountAttributes) {

  public ContentInfo(String id, String account, String amplifies, String type) {
    this(id, account, amplifies, type, null, null);
  }

  public ContentInfo(String id, String account, String amplifies, String type, String context) {
    this(id, account, amplifies, type, context, null);
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
    return new ContentInfo(
        id == null ? "cs-" + UUID.randomUUID() : text(id, "content.id"),
        account == null ? null : text(account, "content.account"),
        amplifies == null ? null : text(amplifies, "content.amplifies"),
        kind,
        Protected.context(context, "content.context"),
        Protected.accountAttributes(accountAttributes, "content.account_attributes"));
  }

  /** Whether the content was posted in a protected context or by an account verified as such: a person decides about it. */
  public boolean protectedContext() {
    return context != null || (accountAttributes != null && !accountAttributes.isEmpty());
  }

  private static String text(String value, String field) {
    String stripped = value.strip();
    if (stripped.isEmpty() || stripped.length() > MAX_ID || !PRINTABLE.matcher(stripped).matches()) {
      throw RequestException.invalid(field, "1 to " + MAX_ID + " printable characters");
    }
    return stripped;
  }
}
