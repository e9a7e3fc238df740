package org.countersignal.server.incident.report;

import java.util.List;
import org.countersignal.server.incident.Incident;
import org.countersignal.server.incident.TimelineEvent;

/**
 * The report of an incident: what it was, how it spread, what was done and when. Written when the
 * incident is closed and kept as it was then; before that (and for an incident closed before
 * debriefs were kept) it is made from what the database holds now.
 *
 * @param draft true while the incident is not closed: the figures run to {@code madeAt} and will change
 * @param madeAt when it was made (the closing, for the one kept)
 * @param incident the incident as it stood then
 * @param figures how it spread, by span and by peer
 * @param timeline everything that happened to it, oldest first
 * @param shared the signals added to its bank, which peers receive as the bank's sharing allows
 * @param variants the edited copies found: contents not in the bank that matched at a distance
 */
public record Debrief(
    boolean draft,
    String madeAt,
    Incident incident,
    IncidentFigures figures,
    List<TimelineEvent> timeline,
    List<SharedEntry> shared,
    List<VariantFound> variants) {

  /**
   * A signal added to the incident's bank.
   *
   * @param origin the instance it came from (its id), or null when it was added here
   */
  public record SharedEntry(String at, String signalType, String signal, String origin) {}

  /** A variant: first seen when, matching which entry at what distance, how many uploads carried it. */
  public record VariantFound(String firstSeen, String signalType, String signal, int distance, long entryId, long matches) {}
}
