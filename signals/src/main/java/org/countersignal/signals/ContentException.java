package org.countersignal.signals;

/**
 * Content that cannot be turned into signals: unreadable, truncated, of an unsupported format,
 * or over a safety limit. The message is written for the person who submitted the content.
 */
public final class ContentException extends Exception {

  /** Why the content was refused; lets callers map refusals to responses without parsing text. */
  public enum Reason {
    /** Not a format any decoder recognises. */
    UNSUPPORTED_FORMAT,
    /** A recognised format whose data is broken. */
    CORRUPT,
    /** The data ends before the format says it should. */
    TRUNCATED,
    /** Over a configured limit, such as the pixel count of a decompression bomb. */
    TOO_LARGE,
    /** The content could not be read at all (I/O failure). */
    UNREADABLE,
  }

  private final Reason reason;

  public ContentException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ContentException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
