package org.countersignal.server.webhook;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Duration;
import org.countersignal.server.store.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends webhook deliveries. A recurring db-scheduler task, on a scheduler of its own with its own
 * table ({@code webhook_scheduled_tasks}), runs the delivery loop: fan new events out into
 * deliveries, claim due ones, POST them (many at once), record outcomes, and keep at it while
 * there is work, waking at once when this process enqueues and polling otherwise. With several
 * replicas on one database, db-scheduler runs the task on one node at a time; if that node
 * dies, another takes it over once its heartbeats stop.
 *
 * <p>A delivery is marked delivered only after a 2xx answer. A claim holds a delivery back for a
 * lease longer than any request may take; a process killed mid-flight leaves its claims to fall
 * due again, so every event is delivered at least once and receivers deduplicate by event id.
 */
public final class WebhookDispatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  static final String TASK = "webhook-deliveries";
  static final String TABLE = "webhook_scheduled_tasks";
  static final String PURGE_TASK = "webhook-purge";
  /** How long delivered events are kept, for looking up what was sent. */
  static final Duration KEEP_DELIVERED = Duration.ofDays(30);
  private static final int FAN_OUT_BATCH = 500;
  // While requests are in flight the loop records outcomes this often, in one transaction each.
  private static final long RECORD_EVERY_MILLIS = 20;

  private final DeliveryStore store;
  private final java.time.Clock clock;
  private final SecretBox secrets;
  private final WebhookSettings settings;
  private final Backoff backoff;
  private final WebhookSender sender;
  private final Scheduler scheduler;
  private final Semaphore wake = new Semaphore(0);
  private final Runnable onEnqueue = wake::release;
  private final ConcurrentLinkedQueue<DeliveryStore.Outcome> finished = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ConcurrentHashMap<Long, AtomicInteger> inFlightByEndpoint = new ConcurrentHashMap<>();
  private volatile boolean closing;

  /** @param postgresql whether the database is PostgreSQL (else the embedded H2 file) */
  public WebhookDispatcher(DataSource dataSource, Jdbi jdbi, boolean postgresql, SecretBox secrets, WebhookSettings settings) {
    this.store = new DeliveryStore(jdbi, postgresql);
    this.clock = Clock.of(jdbi);
    this.secrets = secrets;
    this.settings = settings;
    this.backoff = new Backoff(settings.baseDelay(), settings.maxDelay());
    this.sender = new WebhookSender(settings);
    RecurringTask<Void> task = Tasks.recurring(TASK, FixedDelay.of(settings.pollInterval()))
        .execute((instance, context) -> run(context));
    RecurringTask<Void> purge = Tasks.recurring(PURGE_TASK, FixedDelay.of(Duration.ofHours(1)))
        .execute((instance, context) -> purgeDelivered());
    this.scheduler = Scheduler.create(dataSource)
        .startTasks(task, purge)
        .tableName(TABLE)
        .jdbcCustomization(new AutodetectJdbcCustomization(dataSource, true))
        .threads(1)
        .pollingInterval(settings.pollInterval())
        .heartbeatInterval(settings.heartbeatInterval())
        .missedHeartbeatsLimit(4)
        .shutdownMaxWait(Duration.ofSeconds(5))
        .build();
  }

  /** Starts the scheduler; from then on this process may run the delivery loop. */
  public void start() {
    Outbox.onEnqueue(onEnqueue);
    scheduler.start();
  }

  /** Wakes the delivery loop (if it runs here) to look for work now, e.g. after a replay. */
  public void wakeUp() {
    wake.release();
  }

  /** Removes what was delivered more than {@link #KEEP_DELIVERED} ago; returns how many deliveries went. */
  public int purgeDelivered() {
    DeliveryStore.Purged purged = store.purgeDelivered(Clock.now(clock).minus(KEEP_DELIVERED));
    if (purged.deliveries() > 0 || purged.events() > 0) {
      LOG.info("Removed {} deliveries and {} events delivered over {} days ago", purged.deliveries(), purged.events(),
          KEEP_DELIVERED.toDays());
    }
    return purged.deliveries();
  }

  /** Events not yet fanned out plus deliveries pending, in the whole database. */
  public long backlog() {
    return store.backlog();
  }

  private void run(ExecutionContext context) {
    long deadline = System.nanoTime() + settings.runFor().toNanos();
    int claimAt = Math.max(1, settings.maxInFlight() / 4);
    while (!closing && !context.getSchedulerState().isShuttingDown() && System.nanoTime() < deadline) {
      // Permits from before this pass are spent: this pass looks at the tables anyway.
      wake.drainPermits();
      try {
        recordFinished();
        boolean found = false;
        int room = settings.maxInFlight() - inFlight.get();
        if (room >= claimAt || (room > 0 && inFlight.get() == 0)) {
          found = store.fanOut(FAN_OUT_BATCH) > 0;
          List<DeliveryStore.Due> due = store.claim(room, settings.lease(), this::roomFor, fullEndpoints());
          send(due);
          found |= !due.isEmpty();
        }
        if (!found) {
          long wait = inFlight.get() > 0 ? RECORD_EVERY_MILLIS : settings.pollInterval().toMillis();
          wake.tryAcquire(wait, TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        // The database went away for a moment, or a stored secret would not decrypt: the
        // deliveries stay pending and the next pass tries again.
        LOG.warn("Webhook delivery pass failed; retrying", e);
        pause(settings.pollInterval().toMillis());
      }
    }
    finishInFlight();
  }

  private void send(List<DeliveryStore.Due> due) {
    Map<Long, String> secretsOfBatch = new HashMap<>();
    int undecryptable = 0;
    for (DeliveryStore.Due delivery : due) {
      String secret;
      try {
        secret = secretsOfBatch.computeIfAbsent(delivery.endpointId(), id -> secrets.decrypt(delivery.secretCipher()));
      } catch (RuntimeException e) {
        // This server's key file is wrong, not the receiver: no attempt is spent. The delivery
        // stays pending and is claimed again when its lease ends.
        if (undecryptable++ == 0) {
          LOG.warn("Webhook endpoint {}: {}", delivery.endpointId(), e.getMessage());
        }
        continue;
      }
      inFlight.incrementAndGet();
      AtomicInteger ofEndpoint = inFlightByEndpoint.computeIfAbsent(delivery.endpointId(), id -> new AtomicInteger());
      ofEndpoint.incrementAndGet();
      sender.send(delivery, secret).whenComplete((outcome, failure) -> {
        finished.add(outcome != null ? outcome
            : new DeliveryStore.Outcome(delivery, null, String.valueOf(failure), false));
        ofEndpoint.decrementAndGet();
        inFlight.decrementAndGet();
      });
    }
  }

  /**
   * Requests one endpoint may have in flight: half of all (at least its connections), so a
   * receiver that hangs until the timeout holds half the capacity at most, and a lone busy one
   * still has requests queued behind its connections to keep them busy.
   */
  private int endpointShare() {
    return Math.max(settings.maxConnectionsPerEndpoint(), settings.maxInFlight() / 2);
  }

  private long roomFor(long endpointId) {
    AtomicInteger busy = inFlightByEndpoint.get(endpointId);
    return endpointShare() - (busy == null ? 0 : busy.get());
  }

  private Set<Long> fullEndpoints() {
    Set<Long> full = new HashSet<>();
    inFlightByEndpoint.forEach((id, busy) -> {
      if (busy.get() >= endpointShare()) {
        full.add(id);
      }
    });
    return full;
  }

  private void recordFinished() {
    List<DeliveryStore.Outcome> batch = new ArrayList<>();
    for (DeliveryStore.Outcome outcome; (outcome = finished.poll()) != null; ) {
      batch.add(outcome);
    }
    try {
      store.record(batch, settings.maxAttempts(), backoff);
    } catch (RuntimeException e) {
      // Unrecorded outcomes are not lost work: those deliveries fall due again when their lease
      // ends and are sent again.
      LOG.warn("Recording {} webhook delivery outcomes failed; they are sent again when their lease ends", batch.size(), e);
    }
  }

  /**
   * Before the task hands back: waits for requests in flight (at most the request timeout, or
   * a moment when stopping) and records them, so the next run does not send them twice.
   */
  private void finishInFlight() {
    long waitMillis = closing ? 1_000 : settings.requestTimeout().toMillis() + 1_000;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      pause(RECORD_EVERY_MILLIS);
    }
    recordFinished();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closing = true;
    Outbox.removeOnEnqueue(onEnqueue);
    wake.release();
    scheduler.stop();
    sender.close();
    LOG.debug("Webhook dispatcher stopped");
  }
}
