package org.countersignal.signals.document;

import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentException.Reason;

/** Tracks one extraction against its limits; every check names the limit that was hit. */
final class Budget {

  private final DocumentLimits limits;
  private final long deadline;

  Budget(DocumentLimits limits) {
    this.limits = limits;
    this.deadline = System.nanoTime() + limits.timeout().toNanos();
  }

  DocumentLimits limits() {
    return limits;
  }

  void checkTime() throws ContentException {
    if (System.nanoTime() - deadline > 0) {
      throw new ContentException(Reason.TOO_LARGE,
          String.format(java.util.Locale.ROOT, "document took longer than %.1f s to read", limits.timeout().toMillis() / 1000.0));
    }
  }

  void checkChars(int chars) throws ContentException {
    if (chars > limits.maxChars()) {
      throw new ContentException(Reason.TOO_LARGE,
          String.format("document text is over the limit of %,d characters", limits.maxChars()));
    }
  }
}
