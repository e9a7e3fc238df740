package org.countersignal.server.flood;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.server.TextFields;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.match.HitCounter;
import org.countersignal.server.store.Clock;
import org.countersignal.server.webhook.Outbox;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Holds back an entry whose hits jump far above its own baseline: a false positive on a common
 * image (a meme, a flag, a blank frame banked by mistake) is hit thousands of times an hour, and
 * every hit would remove someone's post. While an entry is held, a rule that fires only because
 * of its hits waits for a reviewer instead of acting (the action pipeline asks {@link #held});
 * the hits are still answered and recorded. A curator then releases the entry (the content is
 * really spreading) or disables it (a false positive).
 *
 * <p>Hits are counted in memory ({@link MatchCounts}) and, once a minute, added to the hourly
 * counts every replica shares; then each entry hit since is checked against its baseline
 * ({@link FloodSettings}). The last hour is the current hour so far plus the part of the hour
 * before that the current one has not yet covered, so a flood that starts at :59 is seen at once.
 * Holding is audited as {@code flood.held} (by no key) and sent as the webhook event
 * {@code entry.flood_held}; entries of banks with {@code flood_guard} off (an incident's bank)
 * and of negative banks are never held.
 */
public final class FloodGuard {

  /** How often counts are written and checked. */
  public static final Duration CHECK_INTERVAL = Duration.ofMinutes(1);
  private static final int MAX_REASON = 2000;
  private static final int CHUNK = 500;
  private static final int MAX_LIST = 500;

  private final Jdbi jdbi;
  private final EntryService entries;
  private final FloodSettings settings;
  private final MatchCounts counts;

  public FloodGuard(Jdbi jdbi, EntryService entries, FloodSettings settings) {
    this.jdbi = jdbi;
    this.entries = entries;
    this.settings = settings;
    this.counts = new MatchCounts(Clock.of(jdbi));
  }

  /** What the matcher tells of its hits. */
  public HitCounter counter() {
    return counts;
  }

  public FloodSettings settings() {
    return settings;
  }

  /**
   * Writes the hits counted since the last check and holds the entries among them that flood.
   * Returns the floods it held.
   */
  public List<Flood> check() {
    List<MatchCounts.Counted> taken = counts.take();
    try {
      jdbi.useTransaction(h -> MatchCounts.write(h, taken));
    } catch (RuntimeException e) {
      counts.restore(taken);
      throw e;
    }
    OffsetDateTime now = Clock.now(jdbi);
    MatchCounts.deleteBefore(jdbi, now.truncatedTo(ChronoUnit.HOURS).minusHours(1).minus(settings.baseline()));
    List<Long> hit = new ArrayList<>(MatchCounts.entries(taken));
    List<Flood> held = new ArrayList<>();
    for (int from = 0; from < hit.size(); from += CHUNK) {
      for (Rate rate : flooding(hit.subList(from, Math.min(hit.size(), from + CHUNK)), now)) {
        hold(rate, now).ifPresent(held::add);
      }
    }
    return held;
  }

  /** An enabled entry of a guarded bank, and when it was banked. */
  private record Guarded(long id, long bankId, OffsetDateTime createdAt) {}

  /** An entry's hits in the last hour and its mean hits an hour before that. */
  private record Rate(long entryId, long bankId, double recent, double baseline) {}

  /**
   * The entries of {@code ids} that flood now and may be held. Their last two hours are read
   * first: most entries hit in a minute are far under the floor ({@code minMatches}), and only
   * those at or over it need their baseline hours (up to a week of rows each), their floods and
   * their banks read.
   */
  private List<Rate> flooding(List<Long> ids, OffsetDateTime now) {
    OffsetDateTime hour = now.truncatedTo(ChronoUnit.HOURS);
    OffsetDateTime previous = hour.minusHours(1);
    OffsetDateTime baselineFrom = previous.minus(settings.baseline());
    double unseenOfPrevious = 1 - Duration.between(hour, now).toMillis() / 3_600_000.0;
    return jdbi.withHandle(h -> {
      Map<Long, long[]> sums = new HashMap<>(); // entry to {current hour, previous hour, baseline hours}
      sumHours(h, ids, previous, null, sums, c -> c.hour().isBefore(hour) ? 1 : 0);
      List<Long> busy = new ArrayList<>();
      sums.forEach((entry, sum) -> {
        if (sum[0] + sum[1] * unseenOfPrevious >= settings.minMatches()) {
          busy.add(entry);
        }
      });
      if (busy.isEmpty()) {
        return List.<Rate>of();
      }
      sumHours(h, busy, baselineFrom, previous, sums, c -> 2);
      Set<Long> settled = new HashSet<>(h.createQuery("SELECT entry_id FROM entry_floods WHERE entry_id IN (<ids>) "
              + "AND (state = :held OR resolved_at >= :quiet)")
          .bindList("ids", busy).bind("held", FloodState.HELD.wireName()).bind("quiet", now.minus(settings.quietAfterRelease()))
          .mapTo(Long.class).list());
      List<Rate> out = new ArrayList<>();
      // Reads entries and banks (the bank package's) for the one answer: which entries may be held.
      for (Guarded entry : h.createQuery("SELECT e.id, e.bank_id, e.created_at FROM entries e JOIN banks b ON b.id = e.bank_id "
              + "WHERE e.id IN (<ids>) AND e.enabled = TRUE AND b.flood_guard = TRUE AND b.purpose <> 'negative'")
          .bindList("ids", busy)
          .map((rs, ctx) -> new Guarded(rs.getLong(1), rs.getLong(2), rs.getObject(3, OffsetDateTime.class)))
          .list()) {
        long[] sum = sums.get(entry.id());
        double recent = sum[0] + sum[1] * unseenOfPrevious;
        OffsetDateTime since = latest(baselineFrom, entry.createdAt().truncatedTo(ChronoUnit.HOURS));
        double baseline = sum[2] / Math.max(1, Duration.between(since, previous).toHours());
        if (!settled.contains(entry.id()) && recent > settings.factor() * baseline) {
          out.add(new Rate(entry.id(), entry.bankId(), recent, baseline));
        }
      }
      return out;
    });
  }

  /**
   * Adds the counts of {@code ids} in the hours from {@code from} (and before {@code to}, when
   * given) to their sums, each at the place {@code slot} gives its hour.
   */
  private static void sumHours(Handle h, List<Long> ids, OffsetDateTime from, OffsetDateTime to, Map<Long, long[]> sums,
      java.util.function.ToIntFunction<MatchCounts.Counted> slot) {
    var query = h.createQuery("SELECT entry_id, hour_start, matches FROM entry_match_hours WHERE entry_id IN (<ids>)"
            + " AND hour_start >= :from" + (to == null ? "" : " AND hour_start < :to"))
        .bindList("ids", ids).bind("from", from);
    if (to != null) {
      query.bind("to", to);
    }
    query.map((rs, ctx) -> new MatchCounts.Counted(rs.getLong(1), rs.getObject(2, OffsetDateTime.class), rs.getLong(3)))
        .forEach(c -> sums.computeIfAbsent(c.entryId(), k -> new long[3])[slot.applyAsInt(c)] += c.matches());
  }

  private static OffsetDateTime latest(OffsetDateTime a, OffsetDateTime b) {
    return a.isAfter(b) ? a : b;
  }

  /** Holds the entry, unless another replica did first. */
  private Optional<Flood> hold(Rate rate, OffsetDateTime now) {
    return jdbi.inTransaction(h -> {
      // One replica at a time per entry: the row lock, then the check.
      h.createQuery("SELECT id FROM entries WHERE id = :id FOR UPDATE").bind("id", rate.entryId()).mapTo(Long.class).findOne();
      boolean already = h.createQuery("SELECT COUNT(*) FROM entry_floods WHERE entry_id = :id AND state = :held")
          .bind("id", rate.entryId()).bind("held", FloodState.HELD.wireName()).mapTo(Long.class).one() > 0;
      if (already) {
        return Optional.<Flood>empty();
      }
      long id = h.createUpdate("INSERT INTO entry_floods (entry_id, bank_id, state, matches, baseline, held_at) "
              + "VALUES (:entry, :bank, :state, :matches, :baseline, :now)")
          .bind("entry", rate.entryId()).bind("bank", rate.bankId()).bind("state", FloodState.HELD.wireName())
          .bind("matches", Math.round(rate.recent())).bind("baseline", Math.round(rate.baseline() * 100) / 100.0).bind("now", now)
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      Flood flood = find(h, id).orElseThrow();
      AuditLog.append(h, null, "flood.held", "entry", rate.entryId(), null, flood);
      Outbox.enqueue(h, "entry.flood_held", flood);
      return Optional.of(flood);
    });
  }

  /** The entries of {@code entryIds} held now, in the caller's transaction. */
  public static Set<Long> held(Handle h, Collection<Long> entryIds) {
    if (entryIds.isEmpty()) {
      return Set.of();
    }
    Set<Long> out = new HashSet<>();
    List<Long> ids = new ArrayList<>(new HashSet<>(entryIds));
    for (int from = 0; from < ids.size(); from += CHUNK) {
      out.addAll(h.createQuery("SELECT entry_id FROM entry_floods WHERE state = :held AND entry_id IN (<ids>)")
          .bind("held", FloodState.HELD.wireName()).bindList("ids", ids.subList(from, Math.min(ids.size(), from + CHUNK)))
          .mapTo(Long.class).list());
    }
    return out;
  }

  /** Floods newest first, those in {@code state} only when given; after {@code before} (an id) for the next page. */
  public List<Flood> list(String state, Long before, int limit) {
    FloodState wanted = null;
    if (state != null && !state.isBlank()) {
      wanted = FloodState.fromWire(state);
      if (wanted == null) {
        throw RequestException.invalid("state", "held, released or disabled");
      }
    }
    if (limit < 1 || limit > MAX_LIST) {
      throw RequestException.invalid("limit", "1 to " + MAX_LIST);
    }
    String filter = (wanted == null ? "" : " AND f.state = :state") + (before == null ? "" : " AND f.id < :before");
    FloodState chosen = wanted;
    return jdbi.withHandle(h -> {
      var query = h.createQuery(SELECT + " WHERE 1 = 1" + filter + " ORDER BY f.id DESC LIMIT :limit").bind("limit", limit);
      if (chosen != null) {
        query.bind("state", chosen.wireName());
      }
      if (before != null) {
        query.bind("before", before);
      }
      return query.map((rs, ctx) -> map(rs)).list();
    });
  }

  public Flood get(long id) {
    return jdbi.withHandle(h -> find(h, id)).orElseThrow(() -> RequestException.notFound("flood", id));
  }

  /** The content is really spreading: the entry acts again, and is not held again for a while. */
  public Flood release(Principal actor, long id, String reason) {
    String why = reason(reason);
    return jdbi.inTransaction(h -> resolve(h, actor, id, FloodState.RELEASED, why, "flood.released"));
  }

  /**
   * A false positive: the entry is switched off (audited as {@code entry.disabled}) and the flood
   * closed, in one transaction, so a release that comes first leaves the entry as it was.
   */
  public Flood disable(Principal actor, long id, String reason) {
    String why = reason(reason);
    Flood flood = get(id);
    requireHeld(flood);
    Flood[] closed = new Flood[1];
    entries.disable(actor, flood.entryId(), why, null, h -> closed[0] = resolve(h, actor, id, FloodState.DISABLED, why, "flood.disabled"));
    return closed[0];
  }

  private static Flood resolve(Handle h, Principal actor, long id, FloodState to, String why, String action) {
    Flood before = find(h, id).orElseThrow(() -> RequestException.notFound("flood", id));
    int changed = h.createUpdate("UPDATE entry_floods SET state = :to, resolved_at = :now, resolved_by = :key, reason = :reason "
            + "WHERE id = :id AND state = :held")
        .bind("to", to.wireName()).bind("now", Clock.now(h)).bind("key", actor.keyId()).bind("reason", why).bind("id", id)
        .bind("held", FloodState.HELD.wireName()).execute();
    if (changed == 0) {
      requireHeld(before);
    }
    Flood after = find(h, id).orElseThrow();
    AuditLog.append(h, actor.keyId(), action, "entry", before.entryId(), before, after);
    return after;
  }

  private static void requireHeld(Flood flood) {
    if (!FloodState.HELD.wireName().equals(flood.state())) {
      throw new RequestException(RequestException.Kind.CONFLICT, "flood " + flood.id() + " is " + flood.state() + ", not held");
    }
  }

  private static String reason(String reason) {
    return TextFields.reason(reason, MAX_REASON, "the flood");
  }

  private static final String SELECT = "SELECT f.*, b.name AS bank_name FROM entry_floods f LEFT JOIN banks b ON b.id = f.bank_id";

  private static Optional<Flood> find(Handle h, long id) {
    return h.createQuery(SELECT + " WHERE f.id = :id").bind("id", id).map((rs, ctx) -> map(rs)).findOne();
  }

  private static Flood map(java.sql.ResultSet rs) throws java.sql.SQLException {
    OffsetDateTime resolved = rs.getObject("resolved_at", OffsetDateTime.class);
    return new Flood(rs.getLong("id"), rs.getLong("entry_id"), rs.getLong("bank_id"), rs.getString("bank_name"),
        rs.getString("state"), rs.getLong("matches"), rs.getDouble("baseline"), Clock.text(rs.getObject("held_at", OffsetDateTime.class)),
        resolved == null ? null : Clock.text(resolved), rs.getObject("resolved_by", Long.class), rs.getString("reason"));
  }
}
