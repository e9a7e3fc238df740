package org.countersignal.server.exchange;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.bank.FollowedEntries;
import org.countersignal.server.bank.Sharing;
import org.countersignal.server.store.ChangeLog;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches exchanges in the background and applies what they bring to their banks. A recurring
 * db-scheduler task, on a scheduler of its own with its own table
 * ({@code exchange_scheduled_tasks}), runs the fetch loop: take the exchanges that are due, fetch
 * each from its stored checkpoint, and apply every batch in one transaction together with the
 * checkpoint after it. With several replicas on one database, db-scheduler runs the loop on one
 * node at a time; if that node dies, another takes it over once its heartbeats stop. The loop runs
 * until its node stops, so a fetch asked for (by a user, or by {@link ExchangeWatchers} when a
 * source announces updates) starts at once, never in a pause between two runs of the task.
 *
 * <p>Why nothing is lost or doubled by a crash: a batch's entries, its checkpoint and its count
 * commit together or not at all, so after a kill the stored checkpoint is exactly where the
 * applied updates end, and the next fetch asks the source for what follows. A batch applied again
 * (a source that repeats itself) changes nothing, since an update of a banked signal replaces it.
 */
public final class ExchangeFetcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExchangeFetcher.class);
  static final String TASK = "exchange-fetches";
  static final String TABLE = "exchange_scheduled_tasks";
  /** The first retry after a failure; each failure in a row doubles it, up to the exchange's interval. */
  private static final Duration FIRST_RETRY = Duration.ofSeconds(10);
  private static final int MAX_ERROR_CHARS = 2000;
  private static final int PROBLEMS_AUDITED = 20;

  private final Jdbi jdbi;
  private final ExchangeCredentials credentials;
  private final ExchangeKinds kinds;
  private final FollowedEntries entries;
  private final ExchangeContext context;
  private final ExchangeSettings settings;
  private final Runnable changesCommitted;
  private final Runnable changesCommittedSoon;
  private final OpinionReports opinions;
  private final Scheduler scheduler;
  private final ExchangeWatchers watchers;
  private final Semaphore wake = new Semaphore(0);
  private volatile boolean closing;
  private volatile IncidentOffers incidentOffers = IncidentOffers.NONE;
  // The fetch loop and the watchers offer incidents; one at a time, so that two never propose the same one.
  private final Object offering = new Object();

  /**
   * @param changesCommitted has the indexes apply what was committed before it returns: after a
   *     fetch's last batch, so an exchange up to date is matched in full
   * @param changesCommittedSoon has them apply it without waiting: after each other batch, so the
   *     next is applied to the bank while the last reaches the indexes
   */
  public ExchangeFetcher(DataSource dataSource, Jdbi jdbi, ExchangeCredentials credentials, ExchangeKinds kinds, FollowedEntries entries,
      ExchangeContext context, ExchangeSettings settings, Runnable changesCommitted, Runnable changesCommittedSoon) {
    this.jdbi = jdbi;
    this.credentials = credentials;
    this.kinds = kinds;
    this.entries = entries;
    this.context = context;
    this.settings = settings;
    this.changesCommitted = changesCommitted;
    this.changesCommittedSoon = changesCommittedSoon;
    this.opinions = new OpinionReports(jdbi, credentials, context, settings.reportInterval());
    RecurringTask<Void> task = Tasks.recurring(TASK, FixedDelay.of(settings.pollInterval()))
        .execute((instance, execution) -> run(execution));
    this.scheduler = Scheduler.create(dataSource)
        .startTasks(task)
        .tableName(TABLE)
        .jdbcCustomization(new AutodetectJdbcCustomization(dataSource, true))
        .threads(1)
        .pollingInterval(settings.pollInterval())
        .heartbeatInterval(settings.heartbeatInterval())
        .missedHeartbeatsLimit(4)
        .shutdownMaxWait(Duration.ofSeconds(5))
        .build();
    this.watchers = new ExchangeWatchers(jdbi, kinds, credentials, context, wake::release, this::incidentsChanged);
  }

  /** Where the incidents that sources share go (set once the incident service exists). */
  public void offerIncidentsTo(IncidentOffers offers) {
    this.incidentOffers = offers;
  }

  public void start() {
    scheduler.start();
    watchers.start(settings.pollInterval());
  }

  /**
   * Wakes the loop (if it runs in this process) to look for due exchanges now, and the watchers
   * to look for exchanges made or changed.
   */
  public void wakeUp() {
    wake.release();
    watchers.lookAgain();
  }

  private void run(ExecutionContext execution) {
    while (!closing && !execution.getSchedulerState().isShuttingDown()) {
      wake.drainPermits();
      List<Long> due = jdbi.withHandle(h -> h.createQuery(
              "SELECT id FROM exchanges WHERE enabled = TRUE AND next_fetch_at <= :now ORDER BY urgent DESC, next_fetch_at, id")
          .bind("now", Clock.now(h)).mapTo(Long.class).list());
      for (long id : due) {
        if (closing) {
          return;
        }
        if (fetch(id) == Ended.STEPPED_ASIDE) {
          break; // an urgent exchange is due: look again, and it comes first
        }
      }
      if (due.isEmpty()) {
        try {
          wake.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** How a fetch ended. */
  enum Ended { DONE, STEPPED_ASIDE }

  /**
   * Fetches exchange {@code id} from its checkpoint to the end of what the source has, applying
   * each batch as it comes. Failures are recorded in the exchange's status, never thrown. A fetch
   * of an exchange that is not urgent steps aside, between two batches, when an urgent one (an
   * incident's) falls due: it stays due, and goes on from its checkpoint once that one is fetched.
   */
  Ended fetch(long id) {
    ExchangeRow row = jdbi.withHandle(h -> Exchanges.find(h, id)).orElse(null);
    if (row == null) {
      return Ended.DONE;
    }
    SignalExchange<?, ?> kind = kinds.find(row.kind()).orElse(null);
    try {
      if (kind == null) {
        fail(id, 0, 0, "this server has no exchange kind '" + row.kind() + "'");
        return Ended.DONE;
      }
      return fetch(kind, row);
    } finally {
      watchers.fetchEnded(id);
    }
  }

  private <C extends Record, K extends Checkpoint> Ended fetch(SignalExchange<C, K> kind, ExchangeRow row) {
    long batches = 0;
    long items = 0;
    try {
      C config = ExchangeJson.read(row.config(), kind.configType());
      K checkpoint = row.checkpoint() == null ? null : ExchangeJson.read(row.checkpoint(), kind.checkpointType());
      OffsetDateTime now = Clock.now(jdbi);
      if (checkpoint != null && checkpoint.isStale(now.toInstant())) {
        LOG.info("Exchange '{}': the checkpoint of {} is stale; fetching everything again", row.name(), checkpoint.progress());
        checkpoint = null;
      }
      boolean fromStart = checkpoint == null;
      jdbi.useTransaction(h -> {
        Exchanges.lock(h, row.id());
        h.createUpdate("UPDATE exchanges SET fetch_started_at = :now, checkpoint = CASE WHEN :fromStart THEN NULL ELSE checkpoint END, "
                + "full_fetch_since = CASE WHEN :fromStart AND full_fetch_since IS NULL THEN :now ELSE full_fetch_since END WHERE id = :id")
            .bind("now", now).bind("fromStart", fromStart).bind("id", row.id()).execute();
      });
      if (kind.sharesIncidents() && row.incidents() != IncidentPolicy.IGNORE) {
        offerIncidents(kind, config, row);
      }
      boolean stopped = false;
      boolean steppedAside = false;
      try (SignalExchange.Fetch<K> fetch = kind.fetch(config, credentials.open(row), checkpoint, context)) {
        FetchDelta<K> delta;
        while (!closing && (delta = fetch.next()) != null) {
          if (!apply(row, delta)) {
            stopped = true;
            break;
          }
          batches++;
          items += delta.updates().size();
          changesCommittedSoon.run();
          if (!row.urgent() && urgentDue()) {
            stopped = steppedAside = true;
            break;
          }
        }
      }
      changesCommitted.run();
      if (steppedAside) {
        LOG.info("Exchange '{}': stepping aside after {} batches for an incident's exchange; it goes on from its checkpoint",
            row.name(), batches);
      }
      if (stopped) {
        // Disabled or deleted meanwhile, or stepped aside (it stays due): the rest of the source is
        // not applied, so not up to date.
        jdbi.useHandle(h -> h.createUpdate("UPDATE exchanges SET fetch_started_at = NULL WHERE id = :id").bind("id", row.id()).execute());
      } else if (!closing) {
        opinions.report(kind, config, row); // what this instance holds of the source's signals, back to it
        complete(row);
      }
      return steppedAside ? Ended.STEPPED_ASIDE : Ended.DONE;
    } catch (ExchangeException.FromStart e) {
      fromStart(row, e.getMessage());
    } catch (ExchangeException e) {
      fail(row.id(), batches, items, e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("Exchange '{}': fetch failed", row.name(), e);
      fail(row.id(), batches, items, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    return Ended.DONE;
  }

  /**
   * Hands the incidents the source shares to where they are kept. Before the pages, so that an
   * incident accepted at once has its exchange due before this fetch's first batch is applied, and
   * this fetch steps aside for it. A failure to keep them is logged and does not stop the fetch.
   */
  private <C extends Record> void offerIncidents(SignalExchange<C, ?> kind, C config, ExchangeRow row) {
    List<SharedIncident> shared = kind.incidents(config, credentials.open(row), context);
    try {
      synchronized (offering) {
        incidentOffers.offered(row.id(), row.incidents(), shared);
      }
    } catch (RuntimeException e) {
      LOG.warn("Exchange '{}': the incidents its source shares could not be kept", row.name(), e);
    }
  }

  /**
   * Offers the incidents the source of {@code row} shares now, at once: a wait on the source heard
   * they changed. Not through the fetch loop, which may be busy with other exchanges' pages for a
   * while; an accepted incident's exchange then makes that loop step aside.
   */
  private void incidentsChanged(ExchangeRow row) {
    SignalExchange<?, ?> kind = kinds.find(row.kind()).orElse(null);
    if (kind == null || !kind.sharesIncidents() || row.incidents() == IncidentPolicy.IGNORE) {
      return;
    }
    try {
      offerIncidents(kind, row);
    } catch (RuntimeException e) {
      LOG.info("Exchange '{}': reading the incidents its source shares failed ({}); its next fetch reads them", row.name(), e.getMessage());
    }
  }

  private <C extends Record> void offerIncidents(SignalExchange<C, ?> kind, ExchangeRow row) {
    offerIncidents(kind, ExchangeJson.read(row.config(), kind.configType()), row);
  }

  /** Whether an urgent exchange (an accepted incident's) is due. */
  private boolean urgentDue() {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT COUNT(*) FROM exchanges WHERE urgent = TRUE AND enabled = TRUE AND next_fetch_at <= :now")
        .bind("now", Clock.now(h)).mapTo(Long.class).one()) > 0;
  }

  /**
   * Applies one batch with its checkpoint, or refuses it whole when its checkpoint goes back in
   * the source's timeline. Returns false when the exchange was disabled or deleted meanwhile (the
   * batch is then not applied and the fetch stops).
   */
  private <K extends Checkpoint> boolean apply(ExchangeRow row, FetchDelta<K> delta) {
    boolean applied = jdbi.inTransaction(h -> {
      ChangeLog.lockForWriting(h); // first: see ChangeLog
      ExchangeRow current = Exchanges.lockIfPresent(h, row.id()).orElse(null);
      if (current == null || !current.enabled()) {
        return false;
      }
      OffsetDateTime progress = Clock.utc(delta.checkpoint().progress());
      if (current.checkpointAt() != null && current.checkpoint() != null && progress.isBefore(current.checkpointAt())) {
        throw new ExchangeException("the source's checkpoint went back from " + Clock.text(current.checkpointAt()) + " to "
            + Clock.text(progress) + "; the batch was not applied");
      }
      List<FollowedEntries.Update> updates = new ArrayList<>(delta.updates().size());
      List<String> problems = new ArrayList<>();
      Sharing sharing = null;
      for (FetchDelta.Update update : delta.updates()) {
        if (update.record() != null && update.record().sharing() != null) {
          sharing = update.record().sharing().narrowest(sharing);
        }
        FollowedEntries.Update mapped = map(current, update, problems);
        if (mapped != null) {
          updates.add(mapped);
        }
      }
      FollowedEntries.Applied result = entries.apply(h, current.bankId(), updates, "exchange " + current.name(),
          current.fullFetchSince() != null);
      problems.addAll(result.refused());
      if (sharing != null) {
        BankService.received(h, current.bankId(), sharing);
      }
      h.createUpdate("UPDATE exchanges SET checkpoint = :checkpoint, checkpoint_at = :progress, up_to_date = FALSE, "
              + "fetched_items = fetched_items + :items, malformed_items = malformed_items + :malformed WHERE id = :id")
          .bind("checkpoint", ExchangeJson.write(delta.checkpoint()))
          .bind("progress", progress)
          .bind("items", delta.updates().size())
          .bind("malformed", problems.size())
          .bind("id", row.id())
          .execute();
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("updates", delta.updates().size());
      summary.put("added", result.added());
      summary.put("changed", result.changed());
      summary.put("removed", result.removed());
      summary.put("unchanged", result.unchanged());
      summary.put("malformed", problems.size());
      summary.put("problems", problems.subList(0, Math.min(PROBLEMS_AUDITED, problems.size())));
      summary.put("checkpoint_ts", Clock.text(progress));
      if (!delta.updates().isEmpty()) {
        // An empty batch only moves the checkpoint (the end of a file, a quiet source).
        AuditLog.append(h, null, "exchange.batch_applied", "exchange", row.id(), null, summary);
      }
      return true;
    });
    return applied;
  }

  /** A source's update as an update of the bank: tags through the label map, negative opinions as removals. */
  private static FollowedEntries.Update map(ExchangeRow exchange, FetchDelta.Update update, List<String> problems) {
    SignalKey key = update.key();
    SourceRecord record = update.record();
    if (record != null && record.problem() != null) {
      problems.add(key.type() + ": " + record.problem());
      return null;
    }
    if (key.type() == null || key.signal() == null) {
      problems.add("an update without a signal type or signal");
      return null;
    }
    if (record == null || !record.opinion().banks()) {
      return new FollowedEntries.Update(key.type(), key.signal(), null);
    }
    List<String> labels = new ArrayList<>(exchange.labels());
    List<String> entities = new ArrayList<>();
    for (String tag : record.tags()) {
      String label = exchange.labelMap().get(tag.strip());
      if (label != null) {
        if (!labels.contains(label)) {
          labels.add(label);
        }
      } else if (!tag.isBlank() && !entities.contains(tag.strip())) {
        entities.add(tag.strip());
      }
    }
    return new FollowedEntries.Update(key.type(), key.signal(), new FollowedEntries.Details(labels, entities, record.note(), record.origin()));
  }

  /** The end of a successful fetch: sweep what a fetch from the start did not see, and mark the exchange up to date. */
  private void complete(ExchangeRow row) {
    jdbi.useTransaction(h -> {
      ChangeLog.lockForWriting(h); // first: see ChangeLog
      ExchangeRow current = Exchanges.lockIfPresent(h, row.id()).orElse(null);
      if (current == null) {
        return;
      }
      if (current.fullFetchSince() != null) {
        int swept = entries.sweep(h, current.bankId(), current.fullFetchSince());
        if (swept > 0) {
          AuditLog.append(h, null, "exchange.entries_swept", "exchange", row.id(), null,
              Map.of("removed", swept, "reason", "the source no longer has them (a fetch from the start did not bring them)"));
        }
      }
      OffsetDateTime now = Clock.now(h);
      h.createUpdate("UPDATE exchanges SET fetch_started_at = NULL, full_fetch_since = NULL, last_fetch_completed_at = :now, "
              + "last_fetch_succeeded = TRUE, last_error = NULL, up_to_date = TRUE, failures_in_a_row = 0, next_fetch_at = :next "
              + "WHERE id = :id")
          .bind("now", now).bind("next", next(current, now.plusSeconds(current.fetchIntervalSeconds()))).bind("id", row.id()).execute();
    });
    changesCommitted.run();
  }

  /**
   * When the exchange is next due: {@code planned}, unless a fetch was asked for (or the source
   * changed) while this one ran, which set a due time after this fetch started: that one stands.
   */
  private static OffsetDateTime next(ExchangeRow current, OffsetDateTime planned) {
    OffsetDateTime asked = current.nextFetchAt();
    boolean askedMeanwhile = current.fetchStartedAt() != null && asked.isAfter(current.fetchStartedAt());
    return askedMeanwhile && asked.isBefore(planned) ? asked : planned;
  }

  /**
   * Drops the checkpoint of an exchange whose source can no longer continue from it, and makes it
   * due now: the next fetch takes everything from the start and then sweeps what it did not bring.
   */
  private void fromStart(ExchangeRow row, String why) {
    jdbi.useTransaction(h -> {
      Exchanges.lock(h, row.id());
      h.createUpdate("UPDATE exchanges SET fetch_started_at = NULL, checkpoint = NULL, up_to_date = FALSE, next_fetch_at = :now "
              + "WHERE id = :id")
          .bind("now", Clock.now(h)).bind("id", row.id()).execute();
    });
    LOG.info("Exchange '{}': {}; fetching everything again from the start", row.name(), why);
  }

  private void fail(long id, long batches, long items, String message) {
    String error = message == null ? "the fetch failed" : message;
    String stored = error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) : error;
    jdbi.useTransaction(h -> {
      ExchangeRow current = Exchanges.find(h, id).orElse(null);
      if (current == null) {
        return;
      }
      OffsetDateTime now = Clock.now(h);
      long retry = Math.min((long) current.fetchIntervalSeconds(),
          FIRST_RETRY.getSeconds() << Math.min(20, current.failuresInARow()));
      h.createUpdate("UPDATE exchanges SET fetch_started_at = NULL, last_fetch_completed_at = :now, last_fetch_succeeded = FALSE, "
              + "last_error = :error, up_to_date = FALSE, failures_in_a_row = failures_in_a_row + 1, next_fetch_at = :next WHERE id = :id")
          .bind("now", now).bind("error", stored).bind("next", next(current, now.plusSeconds(retry))).bind("id", id).execute();
    });
    LOG.warn("Exchange {}: fetch failed after {} batches ({} updates applied): {}", id, batches, items, stored);
  }

  @Override
  public void close() {
    closing = true;
    watchers.close();
    wake.release();
    scheduler.stop();
  }
}
