package org.countersignal.server.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.countersignal.server.RequestException;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.bank.LabelTaxonomy;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Action rules: kept in the {@code rules} table, evaluated from an immutable in-memory snapshot.
 *
 * <p>A change made through this object replaces the snapshot before the call returns. Changes made
 * by other servers on the same database are found by {@link #refresh}, which {@link #start} runs
 * every {@link #REFRESH_MILLIS} ms: it reads each rule's id and {@code updated_at} and reloads when
 * they differ from the snapshot's. Ids and per-row stamps rather than {@code MAX(updated_at)}:
 * replicas' clocks may disagree, and a change stamped earlier than the latest one would go unseen.
 * Every write therefore gives its row an {@code updated_at} different from the one it had.
 */
public final class Rules implements AutoCloseable {

  /** How often other servers' changes are looked for. */
  public static final long REFRESH_MILLIS = 2_000;

  private static final Logger LOG = LoggerFactory.getLogger(Rules.class);

  /**
   * Stored conditions are read strictly: a condition this version does not know (written by a
   * newer one) must not be dropped, which would make the rule fire more widely than written.
   */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private final Jdbi jdbi;
  private final RuleChecks checks;
  private volatile RuleSet snapshot = RuleSet.EMPTY;
  private volatile IncidentBanks incidents = IncidentBanks.NONE;
  /** The id and {@code updated_at} of every row the snapshot was built from; guarded by {@code this}. */
  private Map<Long, Instant> loaded = Map.of();
  private ScheduledExecutorService refresher;

  public Rules(Jdbi jdbi) {
    this(jdbi, new LabelTaxonomy(jdbi), new SignalCatalog());
  }

  public Rules(Jdbi jdbi, LabelTaxonomy taxonomy, SignalCatalog signals) {
    this.jdbi = jdbi;
    this.checks = new RuleChecks(taxonomy, signals);
    reload();
  }

  /**
   * Rules that fire, highest priority first (ties: lower id first). Each rule fires at most once.
   * No database access on this path: rules come from the snapshot.
   */
  public List<Firing> evaluate(RuleInput input, Trigger trigger) {
    return snapshot.evaluate(input, trigger, incidents);
  }

  /** Where the {@code incident} conditions learn which banks are incidents' and how each stands. */
  public void useIncidents(IncidentBanks incidents) {
    this.incidents = incidents;
  }

  /** Every rule, enabled or not, by id. */
  public List<Rule> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM rules ORDER BY id").map((rs, ctx) -> map(rs)).list());
  }

  public Rule get(long id) {
    return jdbi.withHandle(h -> find(h, id)).orElseThrow(() -> RequestException.notFound("rule", id));
  }

  public Rule create(Principal actor, RuleChanges request) {
    String name = RuleChecks.name(request.name());
    String description = RuleChecks.description(request.description());
    String action = RuleChecks.action(request.action());
    int priority = RuleChecks.priority(request.priority() == null ? 0 : request.priority());
    boolean enabled = request.enabled() == null || request.enabled();
    boolean reviewFirst = request.reviewFirst() != null && request.reviewFirst();
    Rule created = jdbi.inTransaction(h -> {
      Conditions conditions = checks.conditions(h, request.conditions());
      requireNameFree(h, name, -1);
      OffsetDateTime now = Clock.now(h);
      long id = h.createUpdate(
              "INSERT INTO rules (name, description, enabled, priority, action, review_first, conditions, created_at, updated_at) "
                  + "VALUES (:name, :description, :enabled, :priority, :action, :review_first, :conditions, :now, :now)")
          .bindMap(columns(name, description, enabled, priority, action, reviewFirst, conditions))
          .bind("now", now)
          .executeAndReturnGeneratedKeys("id")
          .mapTo(Long.class)
          .one();
      Rule rule = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "rule.created", "rule", id, null, rule);
      return rule;
    });
    reload();
    return created;
  }

  public Rule update(Principal actor, long id, RuleChanges request) {
    Rule updated = jdbi.inTransaction(h -> {
      Rule before = find(h, id, true).orElseThrow(() -> RequestException.notFound("rule", id));
      String name = request.name() == null ? before.name() : RuleChecks.name(request.name());
      if (!name.equals(before.name())) {
        requireNameFree(h, name, id);
      }
      String description = request.description() == null ? before.description() : RuleChecks.description(request.description());
      String action = request.action() == null ? before.action() : RuleChecks.action(request.action());
      int priority = request.priority() == null ? before.priority() : RuleChecks.priority(request.priority());
      boolean enabled = request.enabled() == null ? before.enabled() : request.enabled();
      boolean reviewFirst = request.reviewFirst() == null ? before.reviewFirst() : request.reviewFirst();
      Conditions conditions = request.conditions() == null ? before.conditions() : checks.conditions(h, request.conditions());
      h.createUpdate(
              "UPDATE rules SET name = :name, description = :description, enabled = :enabled, priority = :priority, "
                  + "action = :action, review_first = :review_first, conditions = :conditions, updated_at = :now WHERE id = :id")
          .bindMap(columns(name, description, enabled, priority, action, reviewFirst, conditions))
          .bind("now", nextStamp(h, Instant.parse(before.updatedAt())))
          .bind("id", id)
          .execute();
      Rule after = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "rule.updated", "rule", id, before, after);
      return after;
    });
    reload();
    return updated;
  }

  public void delete(Principal actor, long id) {
    jdbi.useTransaction(h -> {
      Rule before = find(h, id, true).orElseThrow(() -> RequestException.notFound("rule", id));
      h.createUpdate("DELETE FROM rules WHERE id = :id").bind("id", id).execute();
      AuditLog.append(h, actor.keyId(), "rule.deleted", "rule", id, before, null);
    });
    reload();
  }

  /** Now, or just after {@code previous} if this server's clock is behind the one that wrote it. */
  private static OffsetDateTime nextStamp(Handle h, Instant previous) {
    OffsetDateTime now = Clock.now(h);
    return now.toInstant().isAfter(previous) ? now : Clock.utc(previous.plus(1, ChronoUnit.MICROS));
  }

  /** Starts looking for other servers' changes every {@link #REFRESH_MILLIS} ms. */
  public synchronized void start() {
    if (refresher != null) {
      return;
    }
    refresher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "countersignal-rules");
      t.setDaemon(true);
      return t;
    });
    refresher.scheduleWithFixedDelay(() -> {
      try {
        refresh();
      } catch (RuntimeException e) {
        LOG.warn("Looking for changed rules failed; evaluating with the rules loaded before, retrying", e);
      }
    }, REFRESH_MILLIS, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    if (refresher != null) {
      refresher.shutdownNow();
      refresher = null;
    }
  }

  /** Reloads the snapshot if any rule was created, changed or deleted since it was built. */
  public synchronized void refresh() {
    Map<Long, Instant> stamps = jdbi.withHandle(h -> h.createQuery("SELECT id, updated_at FROM rules")
        .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getObject("updated_at", OffsetDateTime.class).toInstant()))
        .list())
        .stream()
        .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    if (!stamps.equals(loaded)) {
      reload();
    }
  }

  /**
   * Reads every rule and replaces the snapshot. Synchronized with {@link #refresh} so that
   * snapshots are installed in the order they were read: a refresh that read before a local
   * change committed cannot replace the snapshot that change installed.
   */
  private synchronized void reload() {
    List<Rule> rules = new ArrayList<>();
    Map<Long, Instant> stamps = new java.util.HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT * FROM rules ORDER BY id").map((rs, ctx) -> {
      stamps.put(rs.getLong("id"), rs.getObject("updated_at", OffsetDateTime.class).toInstant());
      try {
        return Optional.of(map(rs));
      } catch (IllegalStateException e) {
        LOG.error("Rule {} ('{}') is left out of evaluation: {}", rs.getLong("id"), rs.getString("name"), e.getMessage());
        return Optional.<Rule>empty();
      }
    }).list().forEach(rule -> rule.ifPresent(rules::add)));
    snapshot = RuleSet.of(rules);
    loaded = Map.copyOf(stamps);
  }

  /**
   * {@code given} as a content type rules compare with (lower case), or null if null; refused if
   * it is not one of {@code image, video, text, url, file, other}.
   */
  public static String contentType(String given, String field) {
    return RuleChecks.contentType(given, field);
  }

  /** How many enabled rules evaluation currently uses. */
  public int loadedRules() {
    return snapshot.size();
  }

  private static void requireNameFree(Handle h, String name, long exceptId) {
    boolean taken = h.createQuery("SELECT COUNT(*) FROM rules WHERE name = :name AND id <> :id")
        .bind("name", name)
        .bind("id", exceptId)
        .mapTo(Integer.class)
        .one() > 0;
    if (taken) {
      throw new RequestException(RequestException.Kind.CONFLICT, "name", "a rule named '" + name + "' exists");
    }
  }

  private static Map<String, Object> columns(String name, String description, boolean enabled, int priority,
      String action, boolean reviewFirst, Conditions conditions) {
    return Map.of(
        "name", name,
        "description", description,
        "enabled", enabled,
        "priority", priority,
        "action", action,
        "review_first", reviewFirst,
        "conditions", write(conditions));
  }

  private static Optional<Rule> find(Handle h, long id) {
    return find(h, id, false);
  }

  /** @param lock hold the row until the transaction ends (an update or delete reads it first) */
  private static Optional<Rule> find(Handle h, long id, boolean lock) {
    return h.createQuery("SELECT * FROM rules WHERE id = :id" + (lock ? " FOR UPDATE" : ""))
        .bind("id", id)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  private static Rule map(ResultSet rs) throws SQLException {
    return new Rule(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getString("description"),
        rs.getBoolean("enabled"),
        rs.getInt("priority"),
        rs.getString("action"),
        rs.getBoolean("review_first"),
        read(rs.getString("conditions")),
        Clock.text(rs.getObject("created_at", OffsetDateTime.class)),
        Clock.text(rs.getObject("updated_at", OffsetDateTime.class)));
  }

  private static String write(Conditions conditions) {
    try {
      return JSON.writeValueAsString(conditions);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write rule conditions", e);
    }
  }

  private static Conditions read(String json) {
    try {
      return JSON.readValue(json, Conditions.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored conditions are not readable: " + e.getOriginalMessage(), e);
    }
  }
}
