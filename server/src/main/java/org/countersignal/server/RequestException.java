package org.countersignal.server;

/**
 * A request the service refuses, with the kind of refusal; the HTTP layer turns it into a
 * problem detail with the matching status. Services throw it so they need not know about HTTP.
 */
public final class RequestException extends RuntimeException {

  /** The kinds of refusal, each with the HTTP status it becomes. */
  public enum Kind {
    MALFORMED(400, "Malformed request"),
    UNAUTHENTICATED(401, "Authentication required"),
    /** A key past its {@code expires_at}: its own type, so that an integration can tell it from a wrong key. */
    KEY_EXPIRED(401, "API key expired"),
    FORBIDDEN(403, "Forbidden"),
    NOT_FOUND(404, "Not found"),
    CONFLICT(409, "Conflict"),
    TOO_LARGE(413, "Content too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    INVALID(422, "Invalid value"),
    TOO_MANY_REQUESTS(429, "Too many requests"),
    NOT_READY(503, "Not ready"),
    BUSY(503, "Busy"),
    /** The server could not write its data: its disk (or the database's) is full. */
    INSUFFICIENT_STORAGE(507, "Insufficient storage");

    private final int status;
    private final String title;

    Kind(int status, String title) {
      this.status = status;
      this.title = title;
    }

    public int status() {
      return status;
    }

    public String title() {
      return title;
    }
  }

  private final Kind kind;
  private final String field;
  private long retryAfterSeconds;

  public RequestException(Kind kind, String detail) {
    this(kind, null, detail);
  }

  /** @param field the request field at fault (e.g. {@code signals.pdq}), or null */
  public RequestException(Kind kind, String field, String detail) {
    super(detail);
    this.kind = kind;
    this.field = field;
  }

  public static RequestException notFound(String what, Object id) {
    return new RequestException(Kind.NOT_FOUND, what + " " + id + " does not exist");
  }

  public static RequestException invalid(String field, String detail) {
    return new RequestException(Kind.INVALID, field, field + ": " + detail);
  }

  /** Tells the caller to come back after {@code seconds} ({@code Retry-After}). */
  public RequestException retryAfter(long seconds) {
    this.retryAfterSeconds = seconds;
    return this;
  }

  /** Seconds the caller should wait before retrying, or 0 when a retry would not help. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public Kind kind() {
    return kind;
  }

  public String field() {
    return field;
  }
}
