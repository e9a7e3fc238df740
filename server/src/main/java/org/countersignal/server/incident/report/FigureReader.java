package org.countersignal.server.incident.report;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.countersignal.server.incident.Incident;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Handle;

/**
 * Reads what an incident's figures count: its bank's matches here (from the submissions the match
 * path records), the uploads removed, and what peers reported (incident_peer_hours). Counts are
 * made by the hour in the database, so an incident with a million matches reads a few hundred
 * rows; a lookup that was not recorded (no content, {@code record} off) left nothing to count.
 */
final class FigureReader {

  /** The hour (UTC) a time falls in, as seconds since the epoch: the same on H2 and PostgreSQL, whatever the session's zone. */
  private static final String HOUR = "CAST(FLOOR(EXTRACT(EPOCH FROM %s) / 3600) AS BIGINT)";
  /** The submissions that matched the bank. */
  private static final String MATCHED = "s.id IN (SELECT m.submission_id FROM submission_matches m WHERE m.bank_id = :bank)";

  private FigureReader() {}

  /** The figures of {@code incident} up to its closing, or up to {@code now} while it is open. */
  static IncidentFigures read(Handle h, Incident incident, OffsetDateTime now) {
    Instant end = incident.closedAt() == null ? now.toInstant() : Instant.parse(incident.closedAt());
    Long bank = incident.bankId();
    SortedMap<Instant, Long> matches = new TreeMap<>();
    SortedMap<Instant, Long> stopped = new TreeMap<>();
    Instant firstMatch = null;
    Instant firstBlock = null;
    Map<String, Long> bySignalType = new TreeMap<>();
    long entries = 0;
    long variants = 0;
    if (bank != null) {
      matches = hourly(h, bank, "s.submitted_at", end);
      stopped = hourly(h, bank, "s.removed_at", end);
      firstMatch = first(h, bank, "s.submitted_at", end);
      firstBlock = first(h, bank, "s.removed_at", end);
      h.createQuery("SELECT es.signal_type, COUNT(*) AS n FROM entry_signals es JOIN entries e ON e.id = es.entry_id "
              + "WHERE e.bank_id = :bank GROUP BY es.signal_type")
          .bind("bank", bank)
          .map((rs, ctx) -> bySignalType.put(rs.getString("signal_type"), rs.getLong("n")))
          .list();
      entries = h.createQuery("SELECT COUNT(*) FROM entries WHERE bank_id = :bank").bind("bank", bank).mapTo(Long.class).one();
      variants = h.createQuery("SELECT COUNT(*) FROM (SELECT DISTINCT m.signal_type, m.query FROM submission_matches m "
              + "JOIN submissions s ON s.id = m.submission_id WHERE m.bank_id = :bank AND m.distance > 0 AND s.submitted_at <= :end) x")
          .bind("bank", bank).bind("end", Clock.utc(end)).mapTo(Long.class).one();
    }
    Map<String, SortedMap<Instant, Long>> peers = new HashMap<>();
    h.createQuery("SELECT peer, hour_start, matches FROM incident_peer_hours WHERE incident_id = :id AND hour_start <= :end")
        .bind("id", incident.id()).bind("end", Clock.utc(end))
        .map((rs, ctx) -> peers.computeIfAbsent(rs.getString("peer"), p -> new TreeMap<>())
            .merge(Granularity.HOUR.floor(rs.getObject("hour_start", OffsetDateTime.class).toInstant()), rs.getLong("matches"), Long::sum))
        .list();
    return IncidentFigures.of(incident.id(), new IncidentFigures.Raw(Instant.parse(incident.declaredAt()), Instant.parse(incident.startedAt()),
        end, matches, stopped, peers, firstMatch, firstBlock, bySignalType, entries, variants));
  }

  /** How many of the bank's matched submissions had {@code column} in each hour up to {@code end}. */
  private static SortedMap<Instant, Long> hourly(Handle h, long bank, String column, Instant end) {
    SortedMap<Instant, Long> hours = new TreeMap<>();
    h.createQuery("SELECT hr, COUNT(*) AS n FROM (SELECT " + HOUR.formatted(column) + " AS hr FROM submissions s WHERE " + MATCHED
            + " AND " + column + " <= :end) x GROUP BY hr")
        .bind("bank", bank).bind("end", Clock.utc(end))
        .map((rs, ctx) -> hours.put(Instant.ofEpochSecond(rs.getLong("hr") * 3600), rs.getLong("n")))
        .list();
    return hours;
  }

  private static Instant first(Handle h, long bank, String column, Instant end) {
    OffsetDateTime first = h.createQuery("SELECT MIN(" + column + ") FROM submissions s WHERE " + MATCHED + " AND " + column + " <= :end")
        .bind("bank", bank).bind("end", Clock.utc(end))
        .mapTo(OffsetDateTime.class).one();
    return first == null ? null : first.toInstant();
  }
}
