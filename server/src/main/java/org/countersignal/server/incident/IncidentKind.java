package org.countersignal.server.incident;

import java.util.Locale;

/** What happened, in the words of the field's crisis protocols. */
public enum IncidentKind {
  /** An attack streamed live by its perpetrator. */
  ATTACK_LIVESTREAMED,
  /** Perpetrator-produced content other than a livestream: recordings, images, claims. */
  PERPETRATOR_CONTENT,
  /** A perpetrator's manifesto or other written material. */
  MANIFESTO,
  /** A threat to life not yet carried out. */
  THREAT_TO_LIFE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind named {@code text} (any case), or null. */
  public static IncidentKind fromWire(String text) {
    for (IncidentKind kind : values()) {
      if (text != null && kind.wireName().equalsIgnoreCase(text.strip())) {
        return kind;
      }
    }
    return null;
  }
}
