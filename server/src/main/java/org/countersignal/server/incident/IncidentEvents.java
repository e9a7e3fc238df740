package org.countersignal.server.incident;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Handle;

/** The stored part of incidents' timelines ({@code incident_events}): what was done to them and what peers told. */
final class IncidentEvents {

  private IncidentEvents() {}

  /** Puts an event on incident {@code incidentId}'s timeline, stamped now, in the caller's transaction. */
  static void append(Handle h, long incidentId, TimelineKind kind, Long actorKeyId, String peer, Map<String, Object> detail) {
    append(h, incidentId, kind, actorKeyId, peer, detail, Clock.now(h));
  }

  static void append(Handle h, long incidentId, TimelineKind kind, Long actorKeyId, String peer, Map<String, Object> detail,
      OffsetDateTime at) {
    h.createUpdate("INSERT INTO incident_events (incident_id, occurred_at, kind, actor_key_id, peer, detail) "
            + "VALUES (:incident, :at, :kind, :actor, :peer, :detail)")
        .bind("incident", incidentId).bind("at", at).bind("kind", kind.wireName()).bind("actor", actorKeyId).bind("peer", peer)
        .bind("detail", detail == null ? null : JsonText.write(detail)).execute();
  }

  /** Incident {@code incidentId}'s stored events, oldest first. */
  static List<TimelineEvent> of(Handle h, long incidentId) {
    return h.createQuery("SELECT occurred_at, kind, actor_key_id, peer, detail FROM incident_events WHERE incident_id = :id ORDER BY id")
        .bind("id", incidentId)
        .map((rs, ctx) -> {
          Object actor = rs.getObject("actor_key_id");
          String detail = rs.getString("detail");
          return new TimelineEvent(Clock.text(rs.getObject("occurred_at", OffsetDateTime.class)), rs.getString("kind"),
              actor == null ? null : ((Number) actor).longValue(), rs.getString("peer"), detail == null ? Map.of() : JsonText.objectMap(detail));
        })
        .list();
  }

  /** Whether incident {@code incidentId} has an event of {@code kind} about {@code peer}. */
  static boolean has(Handle h, long incidentId, TimelineKind kind, String peer) {
    return h.createQuery("SELECT COUNT(*) FROM incident_events WHERE incident_id = :id AND kind = :kind AND peer = :peer")
        .bind("id", incidentId).bind("kind", kind.wireName()).bind("peer", peer).mapTo(Long.class).one() > 0;
  }
}
