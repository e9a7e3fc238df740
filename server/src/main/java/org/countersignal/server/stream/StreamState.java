package org.countersignal.server.stream;

import java.util.Locale;

/** A livestream is {@code open} while the platform sends its frames, {@code closed} once it ends. */
public enum StreamState {
  OPEN,
  CLOSED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
