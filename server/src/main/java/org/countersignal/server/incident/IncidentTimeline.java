package org.countersignal.server.incident;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.countersignal.server.bank.BankHistory;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Handle;

/**
 * An incident's timeline as a coordinator reads it: the stored events (declared, level and status
 * changes, proposals, first matches peers reported) merged with what the service's own records
 * say, read when asked rather than copied: each hash added to or removed from its bank (from the
 * bank's change sequence, whichever way it came: the API, an upload, an import, a peer), the first
 * match here, the first upload stopped, and each variant found (a match that is not an exact copy
 * of a banked item: a distance above 0).
 */
public final class IncidentTimeline {

  /** The most bank changes and variants a timeline lists; the figures count all of them. */
  static final int MAX_LISTED = 5_000;

  private IncidentTimeline() {}

  /** The banks of incidents: their change history is the timeline, so it is never compacted. */
  public static List<Long> banks(Handle h) {
    return h.createQuery("SELECT bank_id FROM incidents WHERE bank_id IS NOT NULL").mapTo(Long.class).list();
  }

  public static List<TimelineEvent> of(Handle h, Incident incident) {
    List<TimelineEvent> events = new ArrayList<>(IncidentEvents.of(h, incident.id()));
    if (incident.bankId() != null) {
      long bank = incident.bankId();
      for (BankHistory.Change change : BankHistory.after(h, bank, 0, MAX_LISTED)) {
        if (change.restated()) {
          continue;
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("signal_type", change.signalType());
        detail.put("signal", change.signal());
        if (change.origin() != null) {
          detail.put("origin", change.origin());
        }
        events.add(new TimelineEvent(Clock.text(Clock.utc(change.changedAt())),
            (change.added() ? TimelineKind.ENTRY_ADDED : TimelineKind.ENTRY_REMOVED).wireName(), null, null, detail));
      }
      firstOf(h, bank, "s.submitted_at", TimelineKind.FIRST_MATCH, events);
      firstOf(h, bank, "s.removed_at", TimelineKind.FIRST_BLOCK, events);
      for (Variant variant : variants(h, bank, MAX_LISTED)) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("signal_type", variant.signalType());
        detail.put("signal", variant.query());
        detail.put("distance", variant.distance());
        detail.put("entry_id", variant.entryId());
        events.add(new TimelineEvent(Clock.text(variant.firstSeen()), TimelineKind.VARIANT_FOUND.wireName(), null, null, detail));
      }
    }
    // By instant, not by text (a time written without fractions sorts after one with them). Stable:
    // events at the same instant keep the order they were read in (stored ones first).
    events.sort(Comparator.comparing(event -> OffsetDateTime.parse(event.at()).toInstant()));
    return events;
  }

  /** A content not banked that matched the incident's bank at a distance: an edited copy. */
  public record Variant(String signalType, String query, int distance, long entryId, OffsetDateTime firstSeen, long matches) {}

  /** The incident bank's variants, first seen first. */
  public static List<Variant> variants(Handle h, long bankId, int limit) {
    return h.createQuery("SELECT m.signal_type, m.query, MIN(m.distance) AS distance, MIN(m.entry_id) AS entry_id, "
            + "MIN(s.submitted_at) AS first_seen, COUNT(*) AS matches FROM submission_matches m "
            + "JOIN submissions s ON s.id = m.submission_id WHERE m.bank_id = :bank AND m.distance > 0 "
            + "GROUP BY m.signal_type, m.query ORDER BY first_seen FETCH FIRST :limit ROWS ONLY")
        .bind("bank", bankId).bind("limit", limit)
        .map((rs, ctx) -> new Variant(rs.getString("signal_type"), rs.getString("query"), rs.getInt("distance"), rs.getLong("entry_id"),
            Clock.utc(rs.getObject("first_seen", OffsetDateTime.class).toInstant()), rs.getLong("matches")))
        .list();
  }

  private static void firstOf(Handle h, long bank, String column, TimelineKind kind, List<TimelineEvent> events) {
    h.createQuery("SELECT s.id, s.content_id, " + column + " AS at FROM submission_matches m JOIN submissions s ON s.id = m.submission_id "
            + "WHERE m.bank_id = :bank AND " + column + " IS NOT NULL ORDER BY " + column + ", s.id FETCH FIRST 1 ROWS ONLY")
        .bind("bank", bank)
        .map((rs, ctx) -> new TimelineEvent(Clock.text(rs.getObject("at", OffsetDateTime.class)), kind.wireName(), null, null,
            Map.of("submission_id", rs.getLong("id"), "content_id", rs.getString("content_id"))))
        .findOne()
        .ifPresent(events::add);
  }
}
