package org.countersignal.server.discovery;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.server.match.Matcher;
import org.countersignal.server.rules.IncidentBanks;
import org.countersignal.server.signal.VpdqType;
import org.countersignal.server.store.Clock;
import org.countersignal.signals.vpdq.VpdqSignal;
import org.countersignal.signals.vpdq.VpdqText;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Variant discovery: finds the edited copies of banked content that matching misses, and new
 * variants spreading, in the signals of recent uploads that matched nothing, and proposes them to
 * curators ({@link Proposals}). Off until an admin turns it on ({@link DiscoverySettings}).
 *
 * <p>Matching only queues an unmatched upload's signals ({@link #remember}); every
 * {@link #RUN_INTERVAL} one replica (holding a lease in {@code discovery_state}) writes the
 * queues, drops signals past their retention, looks for near misses of the signals stored since
 * its last scan, and every {@link #CLUSTER_INTERVAL} clusters the window's PDQ hashes. Other
 * replicas only write their queues.
 */
public final class Discovery implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);

  public static final Duration RUN_INTERVAL = Duration.ofSeconds(30);
  /** Often enough that a burst of uploads fills no more than a few seconds of the queue. */
  static final Duration WRITE_INTERVAL = Duration.ofSeconds(2);
  static final Duration CLUSTER_INTERVAL = Duration.ofMinutes(10);
  /** Longer than a run takes, so a replica that died leaves the work to another within minutes. */
  private static final Duration LEASE = Duration.ofMinutes(5);
  /** Recent signals one run scans for near misses, at most; the next run goes on from there. */
  private static final int SCAN_PER_RUN = 50_000;

  private final Jdbi jdbi;
  private final SignalCatalog catalog;
  private final RecentSignals recent;
  private final Proposals proposals;
  private final VariantFinder finder;
  private final String replica = UUID.randomUUID().toString();
  private volatile DiscoverySettings settings;
  /** Two threads: the queue is written every {@link #WRITE_INTERVAL} while a run clusters. */
  private final ScheduledExecutorService background = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "countersignal-discovery");
    t.setDaemon(true);
    return t;
  });

  /** @param incidents which banks are incidents', so a proposal near one says so */
  public Discovery(Jdbi jdbi, Matcher matcher, EntryService entries, IncidentBanks incidents) {
    this.jdbi = jdbi;
    this.catalog = matcher.catalog();
    this.recent = new RecentSignals(jdbi);
    this.proposals = new Proposals(jdbi, entries, incidents);
    this.finder = new VariantFinder(matcher, recent, proposals);
    this.settings = jdbi.withHandle(h -> DiscoverySettings.read(h, catalog));
  }

  public DiscoverySettings settings() {
    return settings;
  }

  public Proposals proposals() {
    return proposals;
  }

  /** Applies an admin's change, audited as {@code discovery.settings_changed}. */
  public DiscoverySettings change(Principal actor, DiscoverySettings.Change change) {
    DiscoverySettings changed = jdbi.inTransaction(h -> {
      DiscoverySettings before = DiscoverySettings.read(h, catalog);
      DiscoverySettings after = before.with(change, catalog).write(h, actor.keyId());
      AuditLog.append(h, actor.keyId(), "discovery.settings_changed", "discovery", 1, before, after);
      return after;
    });
    settings = changed;
    return changed;
  }

  /**
   * Keeps the signals of an upload that matched nothing, when discovery is on: the types it looks
   * for near misses of, the original hash of an image (not its rotations). Never waits for the
   * database.
   *
   * @param submissionId the submission recorded for the upload, or null
   */
  public void remember(List<Matcher.Query> queries, String contentId, String account, Long submissionId) {
    DiscoverySettings now = settings;
    if (!now.enabled()) {
      return;
    }
    for (Matcher.Query query : queries) {
      boolean original = query.variant() == null || "original".equals(query.variant());
      if (original && now.nearMiss().containsKey(query.type())) {
        recent.remember(query.type(), query.value(), catalog.identity(query.type(), query.value()), contentId, account, submissionId);
      }
    }
  }

  /** As {@link #remember} for a video that matched nothing, by its frames. */
  public void rememberVideo(VpdqSignal video, String contentId, String account, Long submissionId) {
    if (settings.enabled()) {
      recent.remember(catalog.video().name(), VpdqText.format(video), VpdqType.identity(video), contentId, account, submissionId);
    }
  }

  /**
   * What one run did ({@code stored}: the recent signals kept after it, when it led), and how long
   * its near-miss scan and its clustering took.
   */
  public record Run(int written, int expired, long stored, int scanned, int nearMisses, int clusters, boolean led, long scanMillis,
      long clusterMillis) {}

  /**
   * The background work, as described above; {@code clusterNow} clusters whenever it ran last. One
   * run at a time in a process (the lease only keeps other replicas out): a run asked for through
   * the API waits for the scheduled one.
   */
  public synchronized Run run(boolean clusterNow) {
    int written = recent.flush();
    long dropped = recent.takeDropped();
    if (dropped > 0) {
      LOG.warn("Dropped {} recent signals for variant discovery: the database did not keep up", dropped);
    }
    settings = jdbi.withHandle(h -> DiscoverySettings.read(h, catalog));
    OffsetDateTime now = Clock.now(jdbi);
    if (!lease(now)) {
      return new Run(written, 0, 0, 0, 0, 0, false, 0, 0);
    }
    DiscoverySettings current = settings;
    int expired = recent.deleteBefore(now.minus(current.retention()));
    if (!current.enabled()) {
      return new Run(written, expired, recent.count(), 0, 0, 0, true, 0, 0);
    }
    State state = jdbi.withHandle(h -> h.createQuery("SELECT scanned_through, clustered_at FROM discovery_state WHERE id = 1")
        .map((rs, ctx) -> new State(rs.getLong(1), rs.getObject(2, OffsetDateTime.class))).one());
    long started = System.nanoTime();
    VariantFinder.Scan scan = finder.nearMisses(current, state.scannedThrough(), SCAN_PER_RUN);
    long scanMillis = (System.nanoTime() - started) / 1_000_000;
    jdbi.useHandle(h -> h.createUpdate("UPDATE discovery_state SET scanned_through = :through WHERE id = 1")
        .bind("through", scan.scannedThrough()).execute());
    int clusters = 0;
    long clusterMillis = 0;
    if (clusterNow || state.clusteredAt() == null || !state.clusteredAt().plus(CLUSTER_INTERVAL).isAfter(now)) {
      started = System.nanoTime();
      clusters = finder.clusters(current, now);
      clusterMillis = (System.nanoTime() - started) / 1_000_000;
      jdbi.useHandle(h -> h.createUpdate("UPDATE discovery_state SET clustered_at = :now WHERE id = 1").bind("now", now).execute());
    }
    return new Run(written, expired, recent.count(), scan.read(), scan.opened(), clusters, true, scanMillis, clusterMillis);
  }

  /** How far the near-miss scan has read ({@code recent_signals.id}) and when the window was last clustered. */
  private record State(long scannedThrough, OffsetDateTime clusteredAt) {}

  /** Takes or renews the lease on the background work; false while another replica holds it. */
  private boolean lease(OffsetDateTime now) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE discovery_state SET lease_holder = :me, lease_until = :until WHERE id = 1 "
            + "AND (lease_holder IS NULL OR lease_holder = :me OR lease_until < :now)")
        .bind("me", replica).bind("until", now.plus(LEASE)).bind("now", now).execute()) == 1;
  }

  /** Runs every {@link #RUN_INTERVAL} on a thread of its own, until {@link #close}. */
  public void start() {
    background.scheduleWithFixedDelay(() -> {
      try {
        Run run = run(false);
        if (run.nearMisses() + run.clusters() > 0) {
          LOG.info("Variant discovery proposed {} near misses and {} clusters (GET /api/v1/proposals)", run.nearMisses(), run.clusters());
        }
      } catch (RuntimeException e) {
        LOG.warn("Variant discovery failed; retrying later", e);
      }
    }, RUN_INTERVAL.toSeconds(), RUN_INTERVAL.toSeconds(), TimeUnit.SECONDS);
    background.scheduleWithFixedDelay(() -> {
      try {
        recent.flush();
      } catch (RuntimeException e) {
        LOG.warn("Writing recent signals for variant discovery failed; the queue is kept for the next write", e);
      }
    }, WRITE_INTERVAL.toMillis(), WRITE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the background run and writes what is queued. */
  @Override
  public void close() {
    background.shutdownNow();
    try {
      background.awaitTermination(10, TimeUnit.SECONDS);
      recent.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("Writing recent signals for variant discovery failed at shutdown", e);
    }
  }
}
