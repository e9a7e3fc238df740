package org.countersignal.server.console;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.countersignal.server.RequestException;
import org.countersignal.server.store.Clock;

/**
 * Which audit records a search wants, checked: each part null when not asked for. A bad value is
 * refused with a message that names the field and says what it takes, since the page shows it.
 *
 * @param action the action, exactly, or its start when {@code actionIsPrefix} (typed as {@code key.*})
 * @param actor who acted: a key id; or null with {@code byServer} for what the server did by itself
 * @param from the first instant wanted
 * @param until the instant the records wanted come before
 */
record AuditFilter(String action, boolean actionIsPrefix, Long actor, boolean byServer, String targetType, String targetId,
    OffsetDateTime from, OffsetDateTime until) {

  /** The word in the actor field that asks for records the server made with no key. */
  static final String SERVER = "server";

  /**
   * @param userKey the key of the user a name names, if one does: a username in the actor field
   *     finds what that user did
   */
  static AuditFilter parse(AuditForm form, Function<String, Optional<Long>> userKey) {
    String action = form.action();
    boolean prefix = action != null && action.endsWith("*");
    if (prefix) {
      action = action.substring(0, action.length() - 1);
    }
    // The lengths of the columns: anything longer cannot match, and is more likely a paste gone wrong.
    longest("action", action, 64);
    longest("target type", form.targetType(), 32);
    longest("target id", form.targetId(), 64);
    Long actor = null;
    boolean server = false;
    String who = form.actor();
    if (who != null) {
      if (who.matches("[0-9]{1,18}")) {
        actor = Long.parseLong(who);
      } else if (who.equalsIgnoreCase(SERVER)) {
        server = true;
      } else {
        actor = userKey.apply(who.toLowerCase(Locale.ROOT)).orElseThrow(() -> refused("actor", "no user is named '" + who
            + "'; give a key id (a number), a username, or " + SERVER + " for what the server did by itself"));
      }
    }
    OffsetDateTime from = time("from", form.from());
    OffsetDateTime until = time("until", form.until());
    if (from != null && until != null && !from.isBefore(until)) {
      throw refused("until", "must be later than from");
    }
    return new AuditFilter(action == null || action.isEmpty() ? null : action, prefix && !action.isEmpty(), actor, server,
        form.targetType(), form.targetId(), from, until);
  }

  private static void longest(String field, String value, int length) {
    if (value != null && value.length() > length) {
      throw refused(field, "at most " + length + " characters");
    }
  }

  /** A form's time: UTC when it has no offset, as the form says (see {@link Html#utcTime}). */
  private static OffsetDateTime time(String field, String text) {
    String utc = FormFields.utcTime(text);
    if (utc == null) {
      return null;
    }
    try {
      return Clock.utc(OffsetDateTime.parse(utc).toInstant());
    } catch (DateTimeException e) {
      throw refused(field, "a date and time in UTC, such as 2026-03-01T09:30 (got '" + text + "')");
    }
  }

  private static RequestException refused(String field, String detail) {
    return new RequestException(RequestException.Kind.MALFORMED, field, field + ": " + detail);
  }
}
