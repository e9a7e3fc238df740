package org.countersignal.server.incident;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.countersignal.server.RequestException;
import org.countersignal.server.TextFields;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.bank.Bank;
import org.countersignal.server.bank.BankChanges;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.bank.Sharing;
import org.countersignal.server.federation.Feeds;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Crisis incidents (table {@code incidents}, with their timeline in {@code incident_events}). An
 * incident is declared with a bank of its own, made in the same transaction, which holds its
 * hashes, URLs and texts like any bank; the incident adds what a crisis needs around it: a kind,
 * a level, a status that rules read, and a timeline. Every change is audited and put on the
 * timeline. Incidents a peer shares arrive through {@link SharedIncidents} as proposals.
 */
public final class Incidents {

  private static final int MAX_NAME = 200;
  private static final int MAX_REGION = 200;
  private static final int MAX_DESCRIPTION = 4000;
  /** A start this far ahead of the server's clock is a mistake in the date, not another clock's skew. */
  private static final Duration MAX_AHEAD = Duration.ofMinutes(5);

  private final Jdbi jdbi;
  private final BankService banks;
  private final IncidentStates states;
  private final Feeds feeds;

  /** @param feeds publishes incidents to this instance's peers; null: incidents stay here (an instance with no feeds) */
  public Incidents(Jdbi jdbi, BankService banks, IncidentStates states, Feeds feeds) {
    this.jdbi = jdbi;
    this.banks = banks;
    this.states = states;
    this.feeds = feeds;
  }

  /** Whether bank {@code bankId} is an incident's (from memory). */
  public boolean isIncidentBank(long bankId) {
    return states.incidentOf(bankId) != null;
  }

  /** Declares an incident, active from now, with its bank. */
  public Incident declare(Principal actor, IncidentChanges request) {
    String name = name(request.name());
    IncidentKind kind = kind(request.kind(), true);
    IncidentLevel level = level(request.level(), true);
    String region = region(request.region());
    String description = description(request.description());
    if (request.status() != null && IncidentStatus.fromWire(request.status()) != IncidentStatus.ACTIVE) {
      throw RequestException.invalid("status", "an incident is declared active; change its status afterwards");
    }
    Incident declared = jdbi.inTransaction(h -> {
      OffsetDateTime now = Clock.now(h);
      OffsetDateTime started = request.startedAt() == null ? now : startedAt(request.startedAt(), now);
      long id = h.createUpdate("INSERT INTO incidents (name, kind, level, region, description, status, started_at, declared_at, updated_at) "
              + "VALUES (:name, :kind, :level, :region, :description, :status, :started, :now, :now)")
          .bind("name", name).bind("kind", kind.wireName()).bind("level", level.wireName()).bind("region", region)
          .bind("description", description).bind("status", IncidentStatus.ACTIVE.wireName()).bind("started", started).bind("now", now)
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      Bank bank = banks.create(h, actor, new BankChanges(bankName(id, name), "The bank of incident " + id + ": " + name,
          request.labels(), null, null, null, request.sharing(), null, null, false));
      h.createUpdate("UPDATE incidents SET bank_id = :bank WHERE id = :id").bind("bank", bank.id()).bind("id", id).execute();
      if (feeds != null && bank.level() != Sharing.RED) {
        Feeds.publishIncident(h, actor, id, bank.id(), feedName(id));
      }
      Incident incident = find(h, id).orElseThrow();
      IncidentEvents.append(h, id, TimelineKind.DECLARED, actor.keyId(), null,
          Map.of("level", level.wireName(), "kind", kind.wireName(), "bank_id", bank.id(), "sharing", bank.sharing()));
      AuditLog.append(h, actor.keyId(), "incident.declared", "incident", id, null, incident);
      return incident;
    });
    states.reload();
    if (feeds != null) {
      feeds.incidentsChanged();
    }
    return declared;
  }

  /**
   * Changes what {@code request} gives. A level or status change goes on the timeline; closing
   * stamps the incident closed, reopening it clears that. An incident a peer shared keeps what
   * its publisher says of it; only its status here is this instance's.
   */
  public Incident update(Principal actor, long id, IncidentChanges request) {
    if (request.sharing() != null || request.labels() != null) {
      throw RequestException.invalid(request.sharing() != null ? "sharing" : "labels",
          "belongs to the incident's bank: change it there (PATCH /api/v1/banks/{id})");
    }
    Incident updated = jdbi.inTransaction(h -> {
      Incident before = lock(h, id);
      IncidentStatus status = before.state();
      if (status == IncidentStatus.PROPOSED || status == IncidentStatus.DECLINED) {
        throw new RequestException(RequestException.Kind.CONFLICT, "status",
            "incident " + id + " is " + status.wireName() + ": accept it first (POST /api/v1/incidents/" + id + "/accept)");
      }
      if (before.received() && (request.name() != null || request.kind() != null || request.level() != null
          || request.region() != null || request.description() != null || request.startedAt() != null)) {
        throw new RequestException(RequestException.Kind.CONFLICT, "level",
            "incident " + id + " was shared by a peer, which sets what it is; only its status here can be changed");
      }
      OffsetDateTime now = Clock.now(h);
      String name = request.name() == null ? before.name() : name(request.name());
      String kind = request.kind() == null ? before.kind() : kind(request.kind(), true).wireName();
      String level = request.level() == null ? before.level() : level(request.level(), true).wireName();
      String region = request.region() == null ? before.region() : region(request.region());
      String description = request.description() == null ? before.description() : description(request.description());
      OffsetDateTime started = request.startedAt() == null ? OffsetDateTime.parse(before.startedAt()) : startedAt(request.startedAt(), now);
      IncidentStatus next = status;
      if (request.status() != null) {
        next = IncidentStatus.fromWire(request.status());
        if (next == null || (next != status && !status.mayBecome(next))) {
          throw RequestException.invalid("status", "an incident " + status.wireName() + " may become "
              + String.join(", ", java.util.Arrays.stream(IncidentStatus.values()).filter(status::mayBecome).map(IncidentStatus::wireName).toList()));
        }
      }
      OffsetDateTime closedAt = next == IncidentStatus.CLOSED
          ? (status == IncidentStatus.CLOSED ? OffsetDateTime.parse(before.closedAt()) : now) : null;
      h.createUpdate("UPDATE incidents SET name = :name, kind = :kind, level = :level, region = :region, description = :description, "
              + "started_at = :started, status = :status, closed_at = :closed, updated_at = :now WHERE id = :id")
          .bind("name", name).bind("kind", kind).bind("level", level).bind("region", region).bind("description", description)
          .bind("started", started).bind("status", next.wireName()).bind("closed", closedAt).bind("now", now).bind("id", id).execute();
      Incident after = find(h, id).orElseThrow();
      if (!level.equals(before.level())) {
        IncidentEvents.append(h, id, TimelineKind.LEVEL_CHANGED, actor.keyId(), null, Map.of("from", before.level(), "to", level));
      }
      if (next != status) {
        IncidentEvents.append(h, id, next == IncidentStatus.CLOSED ? TimelineKind.CLOSED : TimelineKind.STATUS_CHANGED, actor.keyId(), null,
            Map.of("from", status.wireName(), "to", next.wireName()));
      }
      Map<String, Object> changed = changedFields(before, after);
      changed.remove("level");
      changed.remove("status");
      if (!changed.isEmpty()) {
        IncidentEvents.append(h, id, TimelineKind.CHANGED, actor.keyId(), null, changed);
      }
      if (next == IncidentStatus.CLOSED && status != IncidentStatus.CLOSED) {
        // Kept as it stands now, with the closing on its timeline: the report of the incident.
        org.countersignal.server.incident.report.Debriefs.keep(h, after);
      }
      AuditLog.append(h, actor.keyId(), "incident.updated", "incident", id, before, after);
      Feeds.announceIncident(h, id);
      return after;
    });
    states.reload();
    if (feeds != null) {
      feeds.incidentsChanged();
    }
    return updated;
  }

  /** Every incident, newest first; only those of {@code status} when it is given. */
  public List<Incident> list(String status) {
    IncidentStatus wanted = status == null ? null : IncidentStatus.fromWire(status);
    if (status != null && wanted == null) {
      throw RequestException.invalid("status", "one of proposed, active, monitoring, closed, declined");
    }
    return jdbi.withHandle(h -> {
      var query = h.createQuery(SELECT + (wanted == null ? "" : " WHERE i.status = :status") + " ORDER BY i.id DESC");
      if (wanted != null) {
        query.bind("status", wanted.wireName());
      }
      return query.map((rs, ctx) -> map(rs)).list();
    });
  }

  public Incident get(long id) {
    return jdbi.withHandle(h -> find(h, id)).orElseThrow(() -> RequestException.notFound("incident", id));
  }

  /** The incident's timeline, oldest first: what was done to it and what the service saw of it. */
  public List<TimelineEvent> timeline(long id) {
    return jdbi.withHandle(h -> IncidentTimeline.of(h, find(h, id).orElseThrow(() -> RequestException.notFound("incident", id))));
  }

  private static final String SELECT = "SELECT i.*, b.sharing AS bank_sharing, b.labels AS bank_labels FROM incidents i "
      + "LEFT JOIN banks b ON b.id = i.bank_id";

  public static Optional<Incident> find(Handle h, long id) {
    return h.createQuery(SELECT + " WHERE i.id = :id").bind("id", id).map((rs, ctx) -> map(rs)).findOne();
  }

  /** The incident whose bank is {@code bankId}, if any. */
  public static Optional<Incident> ofBank(Handle h, long bankId) {
    return h.createQuery(SELECT + " WHERE i.bank_id = :bank").bind("bank", bankId).map((rs, ctx) -> map(rs)).findOne();
  }

  static Incident lock(Handle h, long id) {
    h.createQuery("SELECT id FROM incidents WHERE id = :id FOR UPDATE").bind("id", id).mapTo(Long.class).findOne()
        .orElseThrow(() -> RequestException.notFound("incident", id));
    return find(h, id).orElseThrow();
  }

  static Incident map(ResultSet rs) throws SQLException {
    Object bank = rs.getObject("bank_id");
    Object originId = rs.getObject("origin_id");
    Object via = rs.getObject("via_exchange_id");
    String labels = rs.getString("bank_labels");
    return new Incident(rs.getLong("id"), rs.getString("name"), rs.getString("kind"), rs.getString("level"), rs.getString("region"),
        rs.getString("description"), rs.getString("status"), time(rs, "started_at"), time(rs, "declared_at"), time(rs, "closed_at"),
        time(rs, "updated_at"), bank == null ? null : ((Number) bank).longValue(), rs.getString("bank_sharing"),
        labels == null ? List.of() : JsonText.stringList(labels), rs.getString("origin"),
        originId == null ? null : ((Number) originId).longValue(), via == null ? null : ((Number) via).longValue());
  }

  private static String time(ResultSet rs, String column) throws SQLException {
    OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
    return time == null ? null : Clock.text(time);
  }

  /** The fields that differ, by API name, with their new values. */
  private static Map<String, Object> changedFields(Incident before, Incident after) {
    Map<String, Object> changed = new LinkedHashMap<>();
    if (!before.name().equals(after.name())) {
      changed.put("name", after.name());
    }
    if (!before.kind().equals(after.kind())) {
      changed.put("kind", after.kind());
    }
    if (!java.util.Objects.equals(before.region(), after.region())) {
      changed.put("region", after.region() == null ? "" : after.region());
    }
    if (!before.description().equals(after.description())) {
      changed.put("description", after.description());
    }
    if (!before.startedAt().equals(after.startedAt())) {
      changed.put("started_at", after.startedAt());
    }
    return changed;
  }

  /** The name of the feed that shares incident {@code id} with peers. */
  static String feedName(long id) {
    return "incident-" + id;
  }

  /** The name of an incident's bank: its id first, so it is unique, then as much of its name as fits. */
  static String bankName(long id, String name) {
    String full = "incident " + id + ": " + name;
    return full.length() <= MAX_NAME ? full : full.substring(0, MAX_NAME);
  }

  static String name(String name) {
    String stripped = name == null ? "" : name.strip();
    if (stripped.isEmpty() || stripped.length() > MAX_NAME) {
      throw RequestException.invalid("name", "an incident's name has 1 to " + MAX_NAME + " characters");
    }
    return TextFields.line(stripped, "name");
  }

  static IncidentKind kind(String text, boolean required) {
    IncidentKind kind = IncidentKind.fromWire(text);
    if (kind == null && (required || text != null)) {
      throw RequestException.invalid("kind", "one of attack_livestreamed, perpetrator_content, manifesto, threat_to_life");
    }
    return kind;
  }

  static IncidentLevel level(String text, boolean required) {
    IncidentLevel level = IncidentLevel.fromWire(text);
    if (level == null && (required || text != null)) {
      throw RequestException.invalid("level", "one of incident, content_incident, content_incident_protocol");
    }
    return level;
  }

  static String region(String region) {
    if (region == null || region.isBlank()) {
      return null;
    }
    String stripped = region.strip();
    if (stripped.length() > MAX_REGION) {
      throw RequestException.invalid("region", "at most " + MAX_REGION + " characters");
    }
    return TextFields.line(stripped, "region");
  }

  static String description(String description) {
    String text = description == null ? "" : description.strip();
    if (text.length() > MAX_DESCRIPTION) {
      throw RequestException.invalid("description", "at most " + MAX_DESCRIPTION + " characters");
    }
    return TextFields.paragraphs(text, "description");
  }

  private static OffsetDateTime startedAt(String text, OffsetDateTime now) {
    OffsetDateTime started;
    try {
      started = Clock.utc(OffsetDateTime.parse(text.strip()).toInstant());
    } catch (DateTimeParseException e) {
      throw RequestException.invalid("started_at", "an ISO-8601 time with its offset, such as 2019-03-15T01:40:00Z");
    }
    if (started.isAfter(now.plus(MAX_AHEAD))) {
      throw RequestException.invalid("started_at", "is in the future");
    }
    return started;
  }
}
