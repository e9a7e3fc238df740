package org.countersignal.server.webhook;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The delivery loop's SQL: events fanned out into deliveries, due deliveries claimed, outcomes
 * recorded. Each step is one short transaction over a batch of rows.
 */
final class DeliveryStore {

  /** A claimed delivery with what it takes to send it. */
  record Due(long id, UUID eventId, String eventType, String payload, OffsetDateTime eventCreatedAt, long endpointId,
      String url, byte[] secretCipher, int attempts) {}

  /** How one attempt ended: delivered (a 2xx), or failed with a status and/or an error. */
  record Outcome(Due due, Integer status, String error, boolean delivered) {}

  private record EventRow(UUID id, String type, Long target) {}

  private final Jdbi jdbi;
  private final boolean postgresql;

  DeliveryStore(Jdbi jdbi, boolean postgresql) {
    this.jdbi = jdbi;
    this.postgresql = postgresql;
  }

  /**
   * Turns up to {@code limit} new events into one pending delivery per enabled endpoint that
   * subscribes to them (or per target, for an event meant for one endpoint); returns how many
   * events were taken. An event no endpoint wants is marked fanned out all the same: endpoints
   * made later do not receive earlier events.
   */
  int fanOut(int limit) {
    return jdbi.inTransaction(h -> {
      List<EventRow> events = h.createQuery("""
              SELECT id, event_type, target_endpoint_id FROM webhook_events WHERE fanned_out = FALSE
              ORDER BY fanned_out, created_at FETCH FIRST :limit ROWS ONLY""")
          .bind("limit", limit)
          .map((rs, ctx) -> new EventRow(rs.getObject(1, UUID.class), rs.getString(2), (Long) rs.getObject(3, Long.class)))
          .list();
      if (events.isEmpty()) {
        return 0;
      }
      List<WebhookEndpoint> endpoints = h.createQuery("""
              SELECT id, url, description, event_types, enabled, created_at, updated_at
              FROM webhook_endpoints WHERE enabled = TRUE""")
          .map((rs, ctx) -> WebhookService.endpoint(rs))
          .list();
      OffsetDateTime now = Clock.now(h);
      PreparedBatch insert = h.prepareBatch("""
          INSERT INTO webhook_deliveries (event_id, endpoint_id, status, attempts, next_attempt_at, created_at)
          VALUES (:event, :endpoint, %s, 0, :now, :now)""".formatted(DeliveryStatus.PENDING.sql()));
      int deliveries = 0;
      for (EventRow event : events) {
        for (WebhookEndpoint endpoint : endpoints) {
          boolean wanted = event.target() != null ? event.target() == endpoint.id() : endpoint.subscribesTo(event.type());
          if (wanted) {
            insert.bind("event", event.id()).bind("endpoint", endpoint.id()).bind("now", now).add();
            deliveries++;
          }
        }
      }
      if (deliveries > 0) {
        insert.execute();
      }
      h.createUpdate("UPDATE webhook_events SET fanned_out = TRUE WHERE id IN (<ids>)")
          .bindList("ids", events.stream().map(EventRow::id).toList())
          .execute();
      return events.size();
    });
  }

  /**
   * Up to {@code limit} pending deliveries that are due, to enabled endpoints, with their
   * next attempt pushed {@code lease} ahead so no other claim takes them while they are in
   * flight. If this process dies before recording an outcome, they fall due again when the lease
   * ends and are sent again: deliveries are at least once.
   *
   * @param roomFor how many more requests each endpoint may have in flight; no endpoint gets more
   *     than its room, so a receiver that hangs holds at most its share of the requests in flight
   *     and the others keep flowing
   * @param full endpoints without room, left out of the query
   */
  List<Due> claim(int limit, Duration lease, java.util.function.LongUnaryOperator roomFor, Set<Long> full) {
    return jdbi.inTransaction(h -> {
      OffsetDateTime now = Clock.now(h);
      Set<Long> skipped = new HashSet<>(full);
      skipped.addAll(h.createQuery("SELECT id FROM webhook_endpoints WHERE enabled = FALSE").mapTo(Long.class).list());
      // Ids first, from the index alone and in its order (ORDER BY both index columns lets H2 stop
      // after `limit` rows); joining the events and endpoints of a whole backlog before the
      // limit would cost a read of every due delivery per claim.
      var due = h.createQuery("SELECT id, endpoint_id FROM webhook_deliveries WHERE status = " + DeliveryStatus.PENDING.sql()
              + " AND next_attempt_at <= :now"
              + (skipped.isEmpty() ? "" : " AND endpoint_id NOT IN (<skipped>)")
              + " ORDER BY status, next_attempt_at FETCH FIRST :limit ROWS ONLY"
              // Only one node runs the delivery task at a time; this keeps a second one (a
              // takeover while the first is merely slow) off the same rows all the same.
              + (postgresql ? " FOR UPDATE SKIP LOCKED" : ""))
          .bind("now", now)
          .bind("limit", limit);
      if (!skipped.isEmpty()) {
        due.bindList("skipped", List.copyOf(skipped));
      }
      Map<Long, Long> taken = new HashMap<>();
      List<Long> ids = new ArrayList<>();
      // Rows past an endpoint's room are not leased: they stay due, first in line next time.
      due.map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).forEach(row -> {
        long endpoint = row[1];
        if (taken.merge(endpoint, 1L, Long::sum) <= roomFor.applyAsLong(endpoint)) {
          ids.add(row[0]);
        }
      });
      if (ids.isEmpty()) {
        return List.of();
      }
      h.createUpdate("UPDATE webhook_deliveries SET next_attempt_at = :lease WHERE id IN (<ids>)")
          .bind("lease", now.plus(lease))
          .bindList("ids", ids)
          .execute();
      return h.createQuery("""
              SELECT d.id, d.event_id, e.event_type, e.payload, e.created_at, d.endpoint_id, w.url, w.secret_cipher, d.attempts
              FROM webhook_deliveries d
              JOIN webhook_events e ON e.id = d.event_id
              JOIN webhook_endpoints w ON w.id = d.endpoint_id
              WHERE d.id IN (<ids>)""")
          .bindList("ids", ids)
          .map((rs, ctx) -> new Due(
              rs.getLong(1),
              rs.getObject(2, UUID.class),
              rs.getString(3),
              rs.getString(4),
              rs.getObject(5, OffsetDateTime.class),
              rs.getLong(6),
              rs.getString(7),
              rs.getBytes(8),
              rs.getInt(9)))
          .list();
    });
  }

  /**
   * Records outcomes: delivered; failed and due again after {@code backoff}; or failed for the
   * last time and dead.
   */
  void record(List<Outcome> outcomes, int maxAttempts, Backoff backoff) {
    if (outcomes.isEmpty()) {
      return;
    }
    jdbi.useTransaction(h -> {
      OffsetDateTime now = Clock.now(h);
      PreparedBatch failed = h.prepareBatch("""
          UPDATE webhook_deliveries SET status = :next, attempts = attempts + 1, last_status = :status,
            last_error = :error, next_attempt_at = :at
          WHERE id = :id AND status = %s""".formatted(DeliveryStatus.PENDING.sql()));
      List<Outcome> ok = new ArrayList<>();
      List<Outcome> notOk = new ArrayList<>();
      for (Outcome outcome : outcomes) {
        (outcome.delivered() ? ok : notOk).add(outcome);
      }
      // Successes are most outcomes: one statement per status code (nearly always one) rather
      // than one per delivery.
      Map<Integer, List<Long>> deliveredByStatus = new TreeMap<>();
      for (Outcome outcome : ok) {
        deliveredByStatus.computeIfAbsent(outcome.status(), k -> new ArrayList<>()).add(outcome.due().id());
      }
      deliveredByStatus.forEach((status, ids) -> h.createUpdate("""
              UPDATE webhook_deliveries SET status = %s, attempts = attempts + 1, last_status = :status,
                last_error = NULL, next_attempt_at = NULL, delivered_at = :now
              WHERE id IN (<ids>) AND status = %s""".formatted(DeliveryStatus.DELIVERED.sql(), DeliveryStatus.PENDING.sql()))
          .bind("status", status)
          .bind("now", now)
          .bindList("ids", ids)
          .execute());
      for (Outcome outcome : notOk) {
        int attempts = outcome.due().attempts() + 1;
        boolean dead = attempts >= maxAttempts;
        failed.bind("next", (dead ? DeliveryStatus.DEAD : DeliveryStatus.PENDING).wire())
            .bind("status", outcome.status())
            .bind("error", truncate(outcome.error()))
            .bind("at", dead ? null : now.plus(backoff.delay(attempts)))
            .bind("id", outcome.due().id())
            .add();
      }
      if (!notOk.isEmpty()) {
        failed.execute();
      }
    });
  }

  /** What one purge removed. */
  record Purged(int deliveries, int events) {}

  /**
   * Removes deliveries delivered before {@code before}, then events older than that with no
   * delivery left: what the platform has received need not be kept here (the decisions and the
   * audit log are the record). Pending and dead deliveries, and their events, stay until they are
   * delivered, replayed or their endpoint is deleted.
   */
  Purged purgeDelivered(OffsetDateTime before) {
    return jdbi.inTransaction(h -> {
      int deliveries = h.createUpdate("DELETE FROM webhook_deliveries WHERE status = " + DeliveryStatus.DELIVERED.sql() + " AND delivered_at < :before")
          .bind("before", before).execute();
      int events = h.createUpdate("""
              DELETE FROM webhook_events e WHERE e.fanned_out = TRUE AND e.created_at < :before
                AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id)""")
          .bind("before", before).execute();
      return new Purged(deliveries, events);
    });
  }

  /** Events not yet fanned out, and pending deliveries: what is left to do (for tests and benchmarks). */
  long backlog() {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT (SELECT COUNT(*) FROM webhook_events WHERE fanned_out = FALSE)
                 + (SELECT COUNT(*) FROM webhook_deliveries WHERE status = %s)""".formatted(DeliveryStatus.PENDING.sql()))
        .mapTo(Long.class).one());
  }

  private static String truncate(String error) {
    return error == null || error.length() <= 1000 ? error : error.substring(0, 997) + "...";
  }
}
