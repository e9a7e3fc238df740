package org.countersignal.server.review;

/**
 * Where a page of the queue starts: just after, or just before, a case that a previous page
 * showed. The queue changes while a reviewer pages through it (cases are decided, new ones come
 * in), so a page is anchored on a case rather than on a count of rows, which would skip or
 * repeat cases as rows above it come and go.
 */
public record QueueCursor(Direction direction, long caseId) {

  public enum Direction {
    /** The page after the case: the next page. */
    AFTER,
    /** The page before the case: the previous page. */
    BEFORE
  }

  public static QueueCursor after(long caseId) {
    return new QueueCursor(Direction.AFTER, caseId);
  }

  public static QueueCursor before(long caseId) {
    return new QueueCursor(Direction.BEFORE, caseId);
  }
}
