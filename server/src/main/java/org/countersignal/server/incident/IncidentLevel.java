package org.countersignal.server.incident;

import java.util.Locale;

/**
 * How grave an incident is, lowest first, after GIFCT's incident framework: situational awareness
 * (Tech Against Terrorism's tier 2, crisis), perpetrator content other than video, and the
 * Content Incident Protocol (perpetrator video of murder or attempted murder, live or recorded).
 */
public enum IncidentLevel {
  /** An attack or threat members should know of; no perpetrator content circulates yet. */
  INCIDENT,
  /** Perpetrator-produced content other than video of the attack (a manifesto, images). */
  CONTENT_INCIDENT,
  /** Perpetrator-produced video of murder or attempted murder: every member hashes and shares at once. */
  CONTENT_INCIDENT_PROTOCOL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The level named {@code text} (any case), or null. */
  public static IncidentLevel fromWire(String text) {
    for (IncidentLevel level : values()) {
      if (text != null && level.wireName().equalsIgnoreCase(text.strip())) {
        return level;
      }
    }
    return null;
  }
}
