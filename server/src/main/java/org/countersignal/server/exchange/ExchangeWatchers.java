package org.countersignal.server.exchange;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a wait open on every enabled exchange whose source can announce its updates
 * ({@link SignalExchange#announcesUpdates}), and makes the exchange due the moment the source
 * says it has something, so the fetcher takes it at once instead of at the exchange's interval.
 * One virtual thread an exchange, each in a loop: wait on the source from the stored checkpoint;
 * on news, mark the exchange due and wake the fetcher; then wait for that fetch to end before
 * waiting on the source again, so a long catch-up costs one wait a fetch, not one a page.
 *
 * <p>Nothing depends on it for correctness: an exchange is still fetched at its interval, a
 * source that cannot be reached is waited on again after a growing pause, and a source in
 * failure keeps the fetcher's retry schedule.
 */
final class ExchangeWatchers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExchangeWatchers.class);
  /** How long one wait on a source lasts: under the 30 s at which proxies commonly cut idle requests. */
  static final Duration WAIT = Duration.ofSeconds(25);
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(60);
  /** The longest to wait for a fetch this process was asked to make; another replica may be the one fetching. */
  private static final Duration FETCH_WAIT = Duration.ofSeconds(30);
  /** How often a source in failure, or in the middle of a fetch, is looked at again. */
  private static final Duration BUSY_WAIT = Duration.ofSeconds(5);

  private final Jdbi jdbi;
  private final ExchangeKinds kinds;
  private final ExchangeCredentials credentials;
  private final ExchangeContext context;
  private final Runnable wakeFetcher;
  private final Consumer<ExchangeRow> incidentsChanged;
  private final Map<Long, Thread> watching = new ConcurrentHashMap<>();
  // Fetches ended in this process, by exchange; guarded by this.
  private final Map<Long, Long> fetchesEnded = new HashMap<>();
  private final ScheduledExecutorService reconciler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "countersignal-exchange-watchers");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closing;

  /**
   * @param wakeFetcher has the fetch loop look for due exchanges now
   * @param incidentsChanged takes the incidents an exchange's source shares now: called from the
   *     watcher's own thread, so that a crisis declared at the source is not held behind the fetches
   *     of other exchanges
   */
  ExchangeWatchers(Jdbi jdbi, ExchangeKinds kinds, ExchangeCredentials credentials, ExchangeContext context, Runnable wakeFetcher,
      Consumer<ExchangeRow> incidentsChanged) {
    this.jdbi = jdbi;
    this.kinds = kinds;
    this.credentials = credentials;
    this.context = context;
    this.wakeFetcher = wakeFetcher;
    this.incidentsChanged = incidentsChanged;
  }

  /** Starts watching, and looks every {@code every} for exchanges made, enabled or disabled since. */
  void start(Duration every) {
    reconciler.scheduleWithFixedDelay(this::reconcile, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Looks for exchanges made, enabled or disabled now, rather than at the next look. */
  void lookAgain() {
    try {
      reconciler.execute(this::reconcile);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  /** Called by the fetcher when a fetch of exchange {@code id} ends, whatever its outcome. */
  synchronized void fetchEnded(long id) {
    fetchesEnded.merge(id, 1L, Long::sum);
    notifyAll();
  }

  private synchronized long fetchesEnded(long id) {
    return fetchesEnded.getOrDefault(id, 0L);
  }

  private synchronized void awaitFetchEnd(long id, long ended, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!closing && fetchesEnded.getOrDefault(id, 0L) == ended) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  private void reconcile() {
    try {
      List<ExchangeRow> rows = jdbi.withHandle(h -> h.createQuery(ExchangeRow.SELECT + " WHERE enabled = TRUE").map((rs, ctx) -> ExchangeRow.map(rs)).list());
      Set<Long> wanted = new java.util.HashSet<>();
      for (ExchangeRow row : rows) {
        if (kinds.find(row.kind()).map(SignalExchange::announcesUpdates).orElse(false)) {
          wanted.add(row.id());
        }
      }
      watching.keySet().removeIf(id -> {
        if (wanted.contains(id)) {
          return false;
        }
        watching.get(id).interrupt();
        return true;
      });
      for (long id : wanted) {
        Thread current = watching.get(id);
        if (current == null || !current.isAlive()) {
          // Put before it starts: a watcher stops once it is no longer the one in the map.
          Thread watcher = Thread.ofVirtual().name("exchange-watch-" + id).unstarted(() -> watch(id));
          watching.put(id, watcher);
          watcher.start();
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Looking for exchanges to watch failed; trying again", e);
    }
  }

  private void watch(long id) {
    Duration pause = FIRST_PAUSE;
    while (!closing && watching.get(id) == Thread.currentThread()) {
      try {
        ExchangeRow row = jdbi.withHandle(h -> Exchanges.find(h, id)).orElse(null);
        if (row == null || !row.enabled()) {
          Thread.sleep(BUSY_WAIT);
          continue;
        }
        long ended = fetchesEnded(id);
        if (row.fetchStartedAt() != null || row.failuresInARow() > 0) {
          // Its checkpoint is about to move, or the fetcher's retry schedule holds: look again after.
          awaitFetchEnd(id, ended, BUSY_WAIT);
          continue;
        }
        long asked = System.nanoTime();
        Announcement heard = awaitUpdates(kinds.find(row.kind()).orElseThrow(), row);
        if (heard.equals(Announcement.NOTHING) && System.nanoTime() - asked < WAIT.toNanos() / 2) {
          // Answered at once with nothing: the source holds no wait for this caller now (it has
          // too many open). Ask again after a pause, as after a failure, not at once.
          Thread.sleep(pause);
          pause = longer(pause);
          continue;
        }
        if (heard.incidents()) {
          incidentsChanged.accept(row);
        }
        if (heard.updates()) {
          jdbi.useHandle(h -> h.createUpdate("UPDATE exchanges SET next_fetch_at = :now WHERE id = :id AND enabled = TRUE")
              .bind("now", Clock.now(h)).bind("id", id).execute());
          wakeFetcher.run();
          awaitFetchEnd(id, ended, FETCH_WAIT);
        }
        pause = FIRST_PAUSE;
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (closing || Thread.currentThread().isInterrupted()) {
          return;
        }
        LOG.debug("Exchange {}: waiting on the source failed ({}); again in {} s", id, e.getMessage(), pause.toSeconds());
        try {
          Thread.sleep(pause);
        } catch (InterruptedException interrupted) {
          return;
        }
        pause = longer(pause);
      }
    }
  }

  private static Duration longer(Duration pause) {
    return pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
  }

  private <C extends Record, K extends Checkpoint> Announcement awaitUpdates(SignalExchange<C, K> kind, ExchangeRow row) {
    C config = ExchangeJson.read(row.config(), kind.configType());
    K checkpoint = row.checkpoint() == null ? null : ExchangeJson.read(row.checkpoint(), kind.checkpointType());
    boolean incidents = kind.sharesIncidents() && row.incidents() != IncidentPolicy.IGNORE;
    return kind.awaitUpdates(config, credentials.open(row), checkpoint, incidents, WAIT, context);
  }

  @Override
  public void close() {
    closing = true;
    reconciler.shutdownNow();
    watching.values().forEach(Thread::interrupt);
    synchronized (this) {
      notifyAll();
    }
  }
}
