package org.countersignal.signals;

import java.util.Locale;

/** The kinds of content a platform submits; each signal type applies to some of them. */
public enum ContentType {
  PHOTO, VIDEO, DOCUMENT, TEXT, URL;

  /** The lowercase name used in JSON and on the command line. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
