package org.countersignal.server.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.countersignal.server.action.ActionPipeline;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.fetch.UrlFetcher;
import org.countersignal.server.match.Matcher;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.countersignal.signals.ContentHasher;
import org.countersignal.signals.vpdq.VpdqBinary;
import org.countersignal.signals.vpdq.VpdqSignal;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Videos hashed (and matched) in the background, because a long video takes longer than an HTTP
 * request should. A job is in the database before its caller hears of it, and its execution is
 * in db-scheduler's table, so it survives a crash or restart and any replica on the same
 * database may run it; an execution whose process died is taken up again once its heartbeats
 * stop.
 *
 * <p>Keys take turns: db-scheduler starts executions in the order they are due, which would let
 * one key's twenty long videos hold up everyone else's for hours. So a worker about to start a
 * job first asks the store whether another key's turn has come ({@link JobStore#anotherKeysTurn});
 * if so the job steps aside, rescheduled as due now, behind the jobs already waiting. Deciding as
 * the job starts, rather than when it is queued, keeps it right whatever order the scheduler
 * fetched executions in and however many replicas run jobs.
 */
public final class VideoJobs implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(VideoJobs.class);
  private static final String TASK = "video-job";
  private static final int MAX_ATTEMPTS = 3;

  private final JobStore store;
  private final java.time.Clock clock;
  private final JobSettings settings;
  private final SchedulerClient client;
  private final Scheduler scheduler;
  private final CustomTask<Long> task;
  private final VideoJobRunner runner;

  /**
   * @param scratch folder for videos while they are hashed
   * @param actions where a match job's hits are recorded and acted on
   */
  public VideoJobs(DataSource dataSource, Jdbi jdbi, UrlFetcher fetcher, ContentHasher hasher, Matcher matcher,
      EntryService entries, JobSettings settings, Path scratch, ActionPipeline actions) {
    this.store = new JobStore(jdbi);
    this.clock = Clock.of(jdbi);
    this.settings = settings;
    this.runner = new VideoJobRunner(store, fetcher, hasher, matcher, entries, settings, scratch, actions);
    this.task = Tasks.custom(TASK, Long.class)
        .onFailure(new FailureHandler.MaxRetriesFailureHandler<>(MAX_ATTEMPTS,
            new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(5)),
            (complete, operations) -> {
              long id = (Long) complete.getExecution().taskInstance.getData();
              String cause = complete.getCause().map(Throwable::getMessage).orElse("unknown cause");
              store.fail(id, "the job failed " + MAX_ATTEMPTS + " times; last: " + cause);
              operations.stop();
            }))
        .execute((instance, context) -> {
          long id = instance.getData();
          if (store.anotherKeysTurn(id, TASK)) {
            LOG.debug("Video job {} steps aside for another key's job", id);
            return (complete, operations) -> operations.reschedule(complete, Instant.now());
          }
          runner.run(id);
          return new CompletionHandler.OnCompleteRemove<>();
        });
    // Times stored as UTC instants: our columns keep the zone on both databases, and saying so
    // spares a warning at every start on H2, which db-scheduler has no settings of its own for.
    JdbcCustomization jdbc = new AutodetectJdbcCustomization(dataSource, true);
    if (settings.workers() > 0) {
      this.scheduler = Scheduler.create(dataSource, task)
          .jdbcCustomization(jdbc)
          .threads(settings.workers())
          .pollingInterval(Duration.ofSeconds(2))
          .enableImmediateExecution()
          .heartbeatInterval(settings.heartbeatInterval())
          // A stopping server does not wait for a long video: the execution is taken up again.
          .shutdownMaxWait(Duration.ofSeconds(2))
          .build();
      this.client = scheduler;
    } else {
      this.scheduler = null;
      this.client = SchedulerClient.Builder.create(dataSource, task).jdbcCustomization(jdbc).build();
    }
  }

  /** Where a match job's video that matched nothing leaves its frames for variant discovery. */
  public void rememberUnmatchedIn(org.countersignal.server.discovery.Discovery discovery) {
    runner.rememberUnmatchedIn(discovery);
  }

  /** Starts the workers and gives every unfinished job an execution (one may be missing after a crash). */
  public void start() {
    if (scheduler != null) {
      scheduler.start();
    }
    ensureScheduled();
  }

  /**
   * A job is inserted and then scheduled; a crash between the two leaves a job without an
   * execution, which this repairs. Cheap when there is nothing to repair.
   */
  public void ensureScheduled() {
    for (long id : store.unfinished()) {
      client.scheduleIfNotExists(task.instance(String.valueOf(id), id), Instant.now());
    }
  }

  /** Removes finished jobs older than the retention time; returns how many. */
  public int deleteExpired() {
    return store.deleteFinishedBefore(Clock.now(clock).minus(settings.retention()));
  }

  public JobSettings settings() {
    return settings;
  }

  /** Queues a job on an uploaded video, which has been written to {@code video}; returns it. */
  public Job submitUpload(JobRequest request, Principal caller, Path video) {
    long id = store.insertUpload(request, caller.keyId(), video);
    schedule(id);
    return view(store.find(id).orElseThrow());
  }

  /** Queues a job that fetches its video from {@code url} (already checked by the caller). */
  public Job submitUrl(JobRequest request, Principal caller, String url) {
    long id = store.insertUrl(request, caller.keyId(), url);
    schedule(id);
    return view(store.find(id).orElseThrow());
  }

  private void schedule(long id) {
    client.scheduleIfNotExists(task.instance(String.valueOf(id), id), Instant.now());
  }

  /** The job, if it exists and {@code caller} may see it: the key that asked for it, or an admin. */
  public Optional<Job> find(long id, Principal caller) {
    return store.find(id).filter(row -> visibleTo(row, caller)).map(VideoJobs::view);
  }

  /** The frame hashes of a finished job, for export in the reference text format. */
  public Optional<VpdqSignal> frames(long id, Principal caller) {
    return store.find(id).filter(row -> visibleTo(row, caller)).flatMap(row -> store.vpdq(id)).map(VpdqBinary::decode);
  }

  private static boolean visibleTo(JobStore.Row row, Principal caller) {
    return caller.role() == Role.ADMIN || caller.keyId() == row.keyId();
  }

  private static Job view(JobStore.Row row) {
    boolean done = row.status() == JobStatus.SUCCEEDED;
    return new Job(row.id(), row.kind(), row.status(), row.sourceUrl() != null ? "url" : "upload", row.sourceUrl(),
        row.contentBytes(), text(row.createdAt()), text(row.startedAt()), text(row.finishedAt()), row.attempts(), row.error(),
        row.result() == null ? null : JsonText.tree(row.result()),
        done ? "/api/v1/jobs/" + row.id() + "/frames" : null);
  }

  private static String text(java.time.OffsetDateTime time) {
    return time == null ? null : Clock.text(time);
  }

  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.stop();
    }
    LOG.debug("Video jobs stopped");
  }
}
