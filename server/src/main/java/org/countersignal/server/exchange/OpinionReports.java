package org.countersignal.server.exchange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.countersignal.server.Sha256;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * After a fetch, tells the exchange's source what this instance holds of the signals it brought
 * (for kinds that take such reports, {@link SignalExchange#reportsOpinions}): for each entry of
 * the exchange's bank, how many distinct submissions matched it ({@code submission_matches}) and
 * the opinion its reviewers' decisions add up to: positive once a case with a match of it was
 * confirmed, negative once one was rejected as a false positive ({@code false_positives}),
 * disputed when both. These are read from the tables the matches and reviews already write; the
 * report names each signal by type and value alone.
 *
 * <p>Only what changed since the last report is sent, in requests of at most
 * {@value SignalExchange#OPINIONS_PER_REPORT}; what each request told is recorded
 * ({@code exchange_reported_opinions}) once the source took it, so a crash sends at most one
 * request again and loses none. What was told is never taken back: a count does not go down and
 * an opinion only grows to disputed, even when the submissions behind it are purged or the entry
 * is made again. When the exchange is pointed elsewhere (its configuration changes), everything is
 * told afresh. A failure is logged and tried again after the next fetch; it never fails the fetch.
 * Reports to one source are at least an interval apart (a minute by default): what changed in
 * between goes with the next.
 *
 * <p>When this instance publishes the exchange's bank as feeds of its own (it is a hub), the words
 * its feeds' peers sent it of the bank's signals ({@code feed_opinions}) go to the source too, each
 * named by the platform it is from, and are recorded and sent again only when they change, as this
 * instance's own are. A peer's words that name no platform stay here: the source could not tell
 * whose they are. Never passed on: words of this instance's own platform (come back around a loop)
 * and words of the source's own platform (as its last answer named it).
 */
final class OpinionReports {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OpinionReports.class);
  private static final int IDS_PER_READ = 1000;
  /** How {@code exchange_reported_opinions.platform} names this instance's own words. */
  private static final String OWN = "";

  /** What this instance holds of a signal: an opinion (null: none) and a count. */
  private record Held(Opinion opinion, long seen) {

    /** This and what was told before: the count never goes down, opinions add up to disputed. */
    Held and(Held told) {
      return told == null ? this : new Held(together(told.opinion(), opinion), Math.max(told.seen(), seen));
    }
  }

  private final Jdbi jdbi;
  private final ExchangeCredentials credentials;
  private final ExchangeContext context;
  private final long intervalNanos;
  // When each exchange was last reported on, in this process's fetch loop (the one thread that reports).
  private final Map<Long, Long> lastReport = new HashMap<>();
  // The platform id each exchange's source last answered with: its own words are not passed back to it.
  private final Map<Long, String> sourcePlatform = new HashMap<>();

  /** @param interval the least time between two reports to one source */
  OpinionReports(Jdbi jdbi, ExchangeCredentials credentials, ExchangeContext context, java.time.Duration interval) {
    this.jdbi = Objects.requireNonNull(jdbi);
    this.credentials = Objects.requireNonNull(credentials);
    this.context = Objects.requireNonNull(context);
    this.intervalNanos = interval.toNanos();
  }

  /**
   * Reports what changed to {@code kind}'s source, when it takes reports and the last report to
   * it is at least the interval old; never throws.
   */
  <C extends Record> void report(SignalExchange<C, ?> kind, C config, ExchangeRow row) {
    if (!kind.reportsOpinions()) {
      return;
    }
    long now = System.nanoTime();
    Long last = lastReport.get(row.id());
    if (last != null && now - last < intervalNanos) {
      return;
    }
    lastReport.put(row.id(), now);
    int sent = 0;
    try {
      String destination = destination(row.config());
      Set<String> notPassedOn = new HashSet<>();
      String self = context.instanceId().get();
      if (self != null) {
        notPassedOn.add(self);
      }
      if (sourcePlatform.get(row.id()) != null) {
        notPassedOn.add(sourcePlatform.get(row.id()));
      }
      List<SignalOpinion> changed = jdbi.inTransaction(h -> changes(h, row, destination, notPassedOn));
      if (changed.isEmpty()) {
        return;
      }
      Map<String, String> secrets = credentials.open(row);
      for (int from = 0; from < changed.size(); from += SignalExchange.OPINIONS_PER_REPORT) {
        List<SignalOpinion> request = changed.subList(from, Math.min(changed.size(), from + SignalExchange.OPINIONS_PER_REPORT));
        String platform = kind.reportOpinions(config, secrets, request, context);
        if (platform != null) {
          sourcePlatform.put(row.id(), platform);
        }
        jdbi.useTransaction(h -> told(h, row, destination, request));
        sent += request.size();
      }
    } catch (RuntimeException e) {
      LOG.warn("Exchange '{}': reporting opinions to the source failed after {} were taken; the next fetch tries again: {}",
          row.name(), sent, e.getMessage(), e instanceof ExchangeException ? null : e);
    }
  }

  /**
   * What this instance holds now of the bank's signals, and what the platforms following its feeds
   * of the bank said of them (but those of {@code notPassedOn}), that differs from what it last told.
   */
  private static List<SignalOpinion> changes(Handle h, ExchangeRow row, String destination, Set<String> notPassedOn) {
    // Told to another source: it knows nothing of this one.
    h.createUpdate("DELETE FROM exchange_reported_opinions WHERE exchange_id = :id AND destination <> :destination")
        .bind("id", row.id()).bind("destination", destination).execute();
    Map<Long, Held> byEntry = held(h, row.bankId());
    Map<String, Held> told = new HashMap<>();
    h.createQuery("SELECT platform, signal_type, signal_value, opinion, seen FROM exchange_reported_opinions WHERE exchange_id = :id")
        .bind("id", row.id())
        .map((rs, ctx) -> Map.entry(rs.getString(1) + "\n" + rs.getString(2) + "\n" + rs.getString(3),
            new Held(opinion(rs.getString(4)), rs.getLong(5))))
        .forEach(e -> told.put(e.getKey(), e.getValue()));
    List<SignalOpinion> out = new ArrayList<>();
    List<Long> ids = new ArrayList<>(byEntry.keySet());
    for (int from = 0; from < ids.size(); from += IDS_PER_READ) {
      h.createQuery("SELECT entry_id, signal_type, signal_value FROM entry_signals WHERE entry_id IN (<ids>)")
          .bindList("ids", ids.subList(from, Math.min(ids.size(), from + IDS_PER_READ)))
          .map((rs, ctx) -> {
            SignalKey signal = new SignalKey(rs.getString(2), rs.getString(3));
            Held before = told.get(OWN + "\n" + signal.type() + "\n" + signal.signal());
            Held now = byEntry.get(rs.getLong(1)).and(before);
            return now.equals(before) ? null : new SignalOpinion(signal, now.opinion(), now.seen());
          })
          .forEach(opinion -> {
            if (opinion != null) {
              out.add(opinion);
            }
          });
    }
    passedOn(h, row.bankId(), notPassedOn).forEach((key, now) -> {
      Held before = told.get(key);
      Held together = now.and(before);
      if (!together.equals(before)) {
        String[] parts = key.split("\n", 3);
        out.add(new SignalOpinion(new SignalKey(parts[1], parts[2]), together.opinion(), together.seen(), parts[0]));
      }
    });
    out.sort(Comparator.comparing((SignalOpinion o) -> o.platform() == null ? OWN : o.platform())
        .thenComparing(o -> o.signal().type()).thenComparing(o -> o.signal().signal()));
    return out;
  }

  /**
   * What the platforms following this instance's feeds of bank {@code bankId} said of its signals,
   * by platform, type and value; a platform heard through two feeds is taken together as one.
   */
  private static Map<String, Held> passedOn(Handle h, long bankId, Set<String> notPassedOn) {
    Map<String, Held> out = new HashMap<>();
    h.createQuery("SELECT o.platform, o.signal_type, o.signal_value, o.opinion, o.seen FROM feeds f "
            + "JOIN feed_opinions o ON o.feed_id = f.id WHERE f.bank_id = :bank AND o.platform <> :own")
        .bind("bank", bankId)
        .bind("own", OWN)
        .map((rs, ctx) -> {
          if (!notPassedOn.contains(rs.getString(1))) {
            out.merge(rs.getString(1) + "\n" + rs.getString(2) + "\n" + rs.getString(3),
                new Held(feedOpinion(rs.getString(4)), rs.getLong(5)), (a, b) -> b.and(a));
          }
          return null;
        })
        .forEach(ignored -> { });
    return out;
  }

  /** An opinion as {@code feed_opinions} keeps it. */
  private static Opinion feedOpinion(String stored) {
    if (stored == null) {
      return null;
    }
    return switch (stored) {
      case "positive" -> Opinion.POSITIVE_CLASS;
      case "negative" -> Opinion.NEGATIVE_CLASS;
      default -> Opinion.DISPUTED;
    };
  }

  /** What this instance holds of the entries of bank {@code bankId} that matched anything, by entry. */
  private static Map<Long, Held> held(Handle h, long bankId) {
    Map<Long, Long> seen = new HashMap<>();
    h.createQuery("SELECT entry_id, COUNT(DISTINCT submission_id) FROM submission_matches WHERE bank_id = :bank GROUP BY entry_id")
        .bind("bank", bankId)
        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
        .forEach(e -> seen.put(e.getKey(), e.getValue()));
    Set<Long> confirmed = new HashSet<>(h.createQuery("SELECT DISTINCT m.entry_id FROM submission_matches m "
            + "JOIN cases c ON c.submission_id = m.submission_id WHERE m.bank_id = :bank AND c.kind = 'match' AND c.status = 'confirmed'")
        .bind("bank", bankId).mapTo(Long.class).list());
    Set<Long> falsePositives = new HashSet<>(h.createQuery("SELECT DISTINCT f.entry_id FROM false_positives f "
            + "JOIN entries e ON e.id = f.entry_id WHERE e.bank_id = :bank")
        .bind("bank", bankId).mapTo(Long.class).list());
    Set<Long> entries = new HashSet<>(seen.keySet());
    entries.addAll(confirmed);
    entries.addAll(falsePositives);
    Map<Long, Held> out = new HashMap<>();
    for (long entry : entries) {
      Opinion opinion = together(confirmed.contains(entry) ? Opinion.POSITIVE_CLASS : null,
          falsePositives.contains(entry) ? Opinion.NEGATIVE_CLASS : null);
      out.put(entry, new Held(opinion, seen.getOrDefault(entry, 0L)));
    }
    return out;
  }

  /** Records what a request told, once the source took it; audited with its counts. */
  private static void told(Handle h, ExchangeRow row, String destination, List<SignalOpinion> request) {
    PreparedBatch deletes = h.prepareBatch("DELETE FROM exchange_reported_opinions "
        + "WHERE exchange_id = :id AND platform = :platform AND signal_type = :type AND signal_value = :value");
    PreparedBatch inserts = h.prepareBatch("INSERT INTO exchange_reported_opinions "
        + "(exchange_id, platform, signal_type, signal_value, opinion, seen, destination, reported_at) "
        + "VALUES (:id, :platform, :type, :value, :opinion, :seen, :destination, :now)");
    var now = Clock.now(h);
    Map<String, Integer> opinions = new LinkedHashMap<>();
    int seen = 0;
    int passedOn = 0;
    for (SignalOpinion told : request) {
      String platform = told.platform() == null ? OWN : told.platform();
      if (told.platform() != null) {
        passedOn++;
      }
      deletes.bind("id", row.id()).bind("platform", platform).bind("type", told.signal().type()).bind("value", told.signal().signal())
          .add();
      inserts.bind("id", row.id()).bind("platform", platform).bind("type", told.signal().type()).bind("value", told.signal().signal())
          .bind("opinion", told.opinion() == null ? null : told.opinion().name().toLowerCase(Locale.ROOT))
          .bind("seen", told.seen()).bind("destination", destination).bind("now", now).add();
      if (told.opinion() != null) {
        opinions.merge(told.opinion().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
      }
      if (told.seen() > 0) {
        seen++;
      }
    }
    deletes.execute();
    inserts.execute();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("signals", request.size());
    summary.put("opinions", opinions);
    summary.put("seen", seen);
    summary.put("passed_on", passedOn);
    AuditLog.append(h, null, "exchange.opinions_reported", "exchange", row.id(), null, summary);
  }

  /** Two opinions as one: the same stays, a positive and a negative are disputed. */
  private static Opinion together(Opinion a, Opinion b) {
    if (a == null) {
      return b;
    }
    return b == null || a == b ? a : Opinion.DISPUTED;
  }

  private static Opinion opinion(String stored) {
    return stored == null ? null : Opinion.valueOf(stored.toUpperCase(Locale.ROOT));
  }

  /** Where reports go, as a hash of the exchange's configuration: another source when it changes. */
  private static String destination(String config) {
    return Sha256.hex(config);
  }
}
