package org.countersignal.server.incident;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.countersignal.server.federation.FeedOpinions;
import org.jdbi.v3.core.Handle;

/**
 * What peers report of an incident declared here: each report of matches on the signals of an
 * incident's feed adds its new matches to that peer's count for the hour it arrived in
 * ({@code incident_peer_hours}), and the first such report from a peer goes on the timeline as
 * its first match. Reports arrive after the peer's fetches (at most once a minute by default), so
 * a peer's hour is the hour its report came, not the minute of each match.
 */
public final class PeerReports implements FeedOpinions.SeenListener {

  @Override
  public void seen(Handle h, long feedId, String peer, long added, OffsetDateTime at) {
    Long incident = h.createQuery("SELECT incident_id FROM feeds WHERE id = :feed").bind("feed", feedId).mapTo(Long.class)
        .findOne().orElse(null);
    if (incident == null) {
      return;
    }
    OffsetDateTime hour = at.truncatedTo(ChronoUnit.HOURS);
    int updated = h.createUpdate("UPDATE incident_peer_hours SET matches = matches + :added "
            + "WHERE incident_id = :incident AND peer = :peer AND hour_start = :hour")
        .bind("added", added).bind("incident", incident).bind("peer", peer).bind("hour", hour).execute();
    if (updated == 0) {
      h.createUpdate("INSERT INTO incident_peer_hours (incident_id, peer, hour_start, matches) VALUES (:incident, :peer, :hour, :added)")
          .bind("added", added).bind("incident", incident).bind("peer", peer).bind("hour", hour).execute();
    }
    if (!IncidentEvents.has(h, incident, TimelineKind.FIRST_MATCH_ON_PEER, peer)) {
      IncidentEvents.append(h, incident, TimelineKind.FIRST_MATCH_ON_PEER, null, peer, Map.of("matches", added), at);
    }
  }
}
