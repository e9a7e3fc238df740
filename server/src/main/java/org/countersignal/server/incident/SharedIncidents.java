package org.countersignal.server.incident;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.countersignal.server.RequestException;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;
import org.countersignal.server.exchange.ExchangeView;
import org.countersignal.server.exchange.Exchanges;
import org.countersignal.server.exchange.IncidentOffers;
import org.countersignal.server.exchange.IncidentPolicy;
import org.countersignal.server.exchange.SharedIncident;
import org.countersignal.server.federation.Feeds;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Incidents between instances. As the publisher: the list of incidents each peer may follow
 * ({@code GET /api/v1/federation/incidents}), those whose feed it is a peer of. As the subscriber:
 * the incidents a source shares arrive before each fetch of its exchange ({@link #offered}) and are
 * kept as proposals, which a coordinator accepts (or the exchange's policy does at once) or
 * declines. Accepting follows the incident's feed with an exchange of its own, urgent, into the
 * incident's bank here; what the publisher later says of the incident (its level, its status) goes
 * on the timeline here, while the status here stays this instance's to set.
 */
public final class SharedIncidents implements IncidentOffers {

  /** The list a peer reads: the publisher's id, the version a wait for updates compares, the incidents. */
  public record Published(String instanceId, long version, List<Item> items) {}

  /** One incident as peers see it. */
  public record Item(long id, String name, String kind, String level, String region, String description, String status,
      String startedAt, String declaredAt, String closedAt, String updatedAt, String feed, String sharing) {}

  private final Jdbi jdbi;
  private final Exchanges exchanges;
  private final IncidentStates states;
  private final java.util.function.Supplier<String> instanceId;

  public SharedIncidents(Jdbi jdbi, Exchanges exchanges, IncidentStates states, java.util.function.Supplier<String> instanceId) {
    this.jdbi = jdbi;
    this.exchanges = exchanges;
    this.states = states;
    this.instanceId = instanceId;
  }

  /** The incidents declared here that {@code caller} (a peer, or an admin: all) may follow, oldest first. */
  public Published publishedTo(Principal caller) {
    return jdbi.withHandle(h -> {
      // The version first: an incident committed between the two reads is then listed under an
      // older version, and the peer's next wait answers at once for it; read the other way round,
      // it would be missing from the list under a version that says it is known.
      long version = Feeds.incidentVersion(h, caller);
      var query = h.createQuery("SELECT i.*, f.name AS feed, b.sharing AS bank_sharing, b.labels AS bank_labels FROM incidents i "
          + "JOIN feeds f ON f.incident_id = i.id JOIN banks b ON b.id = i.bank_id WHERE i.origin IS NULL AND b.sharing <> 'red'"
          + (caller.role() == Role.PEER ? " AND EXISTS (SELECT 1 FROM feed_peers p WHERE p.feed_id = f.id AND p.key_id = :key)" : "")
          + " ORDER BY i.id");
      if (caller.role() == Role.PEER) {
        query.bind("key", caller.keyId());
      }
      List<Item> items = query.map((rs, ctx) -> {
        Incident i = Incidents.map(rs);
        return new Item(i.id(), i.name(), i.kind(), i.level(), i.region(), i.description(), i.status(), i.startedAt(), i.declaredAt(),
            i.closedAt(), i.updatedAt(), rs.getString("feed"), rs.getString("bank_sharing"));
      }).list();
      return new Published(instanceId.get(), version, items);
    });
  }

  /**
   * Keeps what a source shares: a proposal for each incident not seen before (accepted at once
   * when the exchange's policy says so), and what changed of those seen before on their timeline.
   */
  @Override
  public void offered(long exchangeId, IncidentPolicy policy, List<SharedIncident> incidents) {
    if (policy == IncidentPolicy.IGNORE) {
      return;
    }
    for (SharedIncident shared : incidents) {
      Long proposed = jdbi.inTransaction(h -> keep(h, exchangeId, shared));
      if (proposed != null && policy == IncidentPolicy.ACCEPT) {
        accept(null, proposed);
      }
    }
  }

  /** Keeps one shared incident; returns its id here when it is new (a proposal), else null. */
  private static Long keep(Handle h, long exchangeId, SharedIncident shared) {
    OffsetDateTime now = Clock.now(h);
    Optional<Incident> known = h.createQuery("SELECT id FROM incidents WHERE origin = :origin AND origin_id = :id")
        .bind("origin", shared.origin()).bind("id", shared.id()).mapTo(Long.class).findOne().flatMap(id -> Incidents.find(h, id));
    if (known.isEmpty()) {
      IncidentKind kind = IncidentKind.fromWire(shared.kind());
      IncidentLevel level = IncidentLevel.fromWire(shared.level());
      OffsetDateTime started = parse(shared.startedAt(), now);
      long id = h.createUpdate("INSERT INTO incidents (name, kind, level, region, description, status, started_at, declared_at, updated_at, "
              + "origin, origin_id, origin_status, via_exchange_id, origin_feed) "
              + "VALUES (:name, :kind, :level, :region, :description, :status, :started, :now, :now, :origin, :originId, :originStatus, :via, "
              + ":feed)")
          .bind("name", Incidents.name(shared.name()))
          // A kind or level this version does not know is kept as the nearest it does, rather than refused: a crisis is no time to drop news.
          .bind("kind", (kind == null ? IncidentKind.PERPETRATOR_CONTENT : kind).wireName())
          .bind("level", (level == null ? IncidentLevel.CONTENT_INCIDENT_PROTOCOL : level).wireName())
          .bind("region", Incidents.region(shared.region()))
          .bind("description", Incidents.description(shared.description()))
          .bind("status", IncidentStatus.PROPOSED.wireName())
          .bind("started", started).bind("now", now)
          .bind("origin", shared.origin()).bind("originId", shared.id()).bind("originStatus", shared.status()).bind("via", exchangeId)
          .bind("feed", shared.feed())
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("origin", shared.origin());
      detail.put("origin_id", shared.id());
      detail.put("exchange_id", exchangeId);
      detail.put("publisher_status", shared.status());
      IncidentEvents.append(h, id, TimelineKind.PROPOSED, null, null, detail);
      AuditLog.append(h, null, "incident.proposed", "incident", id, null, Incidents.find(h, id).orElseThrow());
      return id;
    }
    Incident before = known.get();
    Map<String, Object> changed = new LinkedHashMap<>();
    String level = IncidentLevel.fromWire(shared.level()) == null ? before.level() : shared.level();
    if (!level.equals(before.level())) {
      changed.put("level", level);
    }
    if (!Objects.equals(shared.name(), before.name())) {
      changed.put("name", shared.name());
    }
    if (!Objects.equals(Incidents.region(shared.region()), before.region())) {
      changed.put("region", shared.region());
    }
    String lastStatus = h.createQuery("SELECT origin_status FROM incidents WHERE id = :id").bind("id", before.id()).mapTo(String.class).one();
    if (!Objects.equals(lastStatus, shared.status())) {
      changed.put("publisher_status", shared.status());
    }
    if (changed.isEmpty()) {
      return null;
    }
    h.createUpdate("UPDATE incidents SET name = :name, level = :level, region = :region, origin_status = :originStatus, updated_at = :now "
            + "WHERE id = :id")
        .bind("name", Incidents.name(shared.name())).bind("level", level).bind("region", Incidents.region(shared.region()))
        .bind("originStatus", shared.status()).bind("now", now).bind("id", before.id()).execute();
    if (changed.containsKey("level")) {
      IncidentEvents.append(h, before.id(), TimelineKind.LEVEL_CHANGED, null, null, Map.of("from", before.level(), "to", level, "by", "publisher"));
    }
    IncidentEvents.append(h, before.id(), TimelineKind.PUBLISHER_CHANGED, null, null, changed);
    AuditLog.append(h, null, "incident.publisher_changed", "incident", before.id(), before, Incidents.find(h, before.id()).orElseThrow());
    return null;
  }

  /**
   * Accepts a proposal: its entries are followed from the publisher, into a bank here, and match
   * as soon as they are fetched (at once: the exchange is urgent). {@code actor} null: the
   * exchange's policy accepted it; its exchange is then made in the name of whoever made the
   * exchange it came through.
   */
  public Incident accept(Principal actor, long id) {
    Incident proposal = jdbi.withHandle(h -> Incidents.find(h, id)).orElseThrow(() -> RequestException.notFound("incident", id));
    if (proposal.state() != IncidentStatus.PROPOSED) {
      throw new RequestException(RequestException.Kind.CONFLICT, "status", "incident " + id + " is " + proposal.status() + ", not proposed");
    }
    String feed = jdbi.withHandle(h -> h.createQuery("SELECT origin_feed FROM incidents WHERE id = :id").bind("id", id)
        .mapTo(String.class).one());
    if (proposal.viaExchangeId() == null) {
      throw new RequestException(RequestException.Kind.CONFLICT, "status",
          "the exchange incident " + id + " came through was deleted: nothing can follow it");
    }
    Principal maker = actor != null ? actor : new Principal(jdbi.withHandle(h -> h.createQuery(
            "SELECT created_by FROM exchanges WHERE id = :id").bind("id", proposal.viaExchangeId()).mapTo(Long.class).one()), Role.ADMIN);
    SharedIncident shared = new SharedIncident(proposal.origin(), proposal.originId(), proposal.name(), proposal.kind(), proposal.level(),
        proposal.region(), proposal.description(), proposal.status(), proposal.startedAt(), proposal.declaredAt(), null, proposal.updatedAt(),
        feed, null);
    ExchangeView follows = exchanges.followIncident(maker, proposal.viaExchangeId(), shared,
        exchangeName(proposal.viaExchangeId(), proposal.originId()), Incidents.bankName(id, proposal.name()));
    Incident accepted = jdbi.inTransaction(h -> {
      Incident before = Incidents.lock(h, id);
      h.createUpdate("UPDATE incidents SET status = :status, bank_id = :bank, follow_exchange_id = :exchange, updated_at = :now WHERE id = :id")
          .bind("status", IncidentStatus.ACTIVE.wireName()).bind("bank", follows.bankId()).bind("exchange", follows.id())
          .bind("now", Clock.now(h)).bind("id", id).execute();
      IncidentEvents.append(h, id, TimelineKind.ACCEPTED, actor == null ? null : actor.keyId(), null,
          Map.of("automatically", actor == null, "exchange_id", follows.id(), "bank_id", follows.bankId()));
      Incident after = Incidents.find(h, id).orElseThrow();
      AuditLog.append(h, actor == null ? null : actor.keyId(), "incident.accepted", "incident", id, before, after);
      return after;
    });
    states.reload();
    return accepted;
  }

  /** Declines a proposal: nothing of it is followed; it stays listed as declined. */
  public Incident decline(Principal actor, long id) {
    return jdbi.inTransaction(h -> {
      Incident before = Incidents.lock(h, id);
      if (before.state() != IncidentStatus.PROPOSED) {
        throw new RequestException(RequestException.Kind.CONFLICT, "status", "incident " + id + " is " + before.status() + ", not proposed");
      }
      h.createUpdate("UPDATE incidents SET status = :status, updated_at = :now WHERE id = :id")
          .bind("status", IncidentStatus.DECLINED.wireName()).bind("now", Clock.now(h)).bind("id", id).execute();
      IncidentEvents.append(h, id, TimelineKind.DECLINED, actor.keyId(), null, Map.of());
      Incident after = Incidents.find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "incident.declined", "incident", id, before, after);
      return after;
    });
  }

  /** The name of the exchange that follows a publisher's incident: unique for that exchange and incident. */
  private String exchangeName(long viaExchangeId, long originId) {
    String via = exchanges.name(viaExchangeId);
    String suffix = "-incident-" + originId;
    return (via.length() + suffix.length() > 200 ? via.substring(0, 200 - suffix.length()) : via) + suffix;
  }

  private static OffsetDateTime parse(String text, OffsetDateTime fallback) {
    try {
      return text == null ? fallback : Clock.utc(OffsetDateTime.parse(text).toInstant());
    } catch (java.time.format.DateTimeParseException e) {
      return fallback;
    }
  }
}
