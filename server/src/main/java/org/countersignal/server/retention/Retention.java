package org.countersignal.server.retention;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.countersignal.server.action.Submissions;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.incident.IncidentTimeline;
import org.countersignal.server.review.AppealStatus;
import org.countersignal.server.review.CaseStatus;
import org.countersignal.server.store.ChangeCompaction;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removed content is preserved (signals, metadata, media) until its {@code retain_until}, as the
 * law asks of a platform, and then purged: media and signals go, the row stays with its ids,
 * status and decisions so reports and the audit trail still add up. Content under an open case
 * or appeal is kept until that is decided, whatever its time: a reviewer must be able to see
 * what they decide about. Content a removal order's preservation hold covers (Art. 6 of the TCO
 * Regulation, table {@code preservation_holds}: by submission or by content id) is kept until the
 * hold ends, however long that outlasts its retention time.
 *
 * <p>The change sequence is kept whole for as long: past that, {@link ChangeCompaction} keeps
 * only each signal's last change (an incident's bank excepted: its history is its timeline).
 *
 * <p>The purge runs hourly and the compaction every {@link #COMPACT_EVERY} from db-scheduler, on
 * its own scheduler and table so they neither wait behind long video jobs nor share their thread
 * count; on several replicas one of them runs each.
 */
public final class Retention implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

  static final String TABLE = "maintenance_scheduled_tasks";
  static final String TASK = "content-purge";
  static final Duration EVERY = Duration.ofHours(1);
  static final String COMPACT_TASK = "change-compaction";
  static final Duration COMPACT_EVERY = Duration.ofHours(6);

  /** Rows purged in one transaction (one audit record each), so a backlog never makes one huge transaction. */
  static final int BATCH = 500;

  private final Jdbi jdbi;
  private final Duration contentRetention;
  private final Scheduler scheduler;

  /**
   * @param contentRetention how long removed content is preserved; the purge itself only reads
   *     {@code retain_until}, which was set from this when the content was removed
   */
  public Retention(DataSource dataSource, Jdbi jdbi, Duration contentRetention) {
    this.jdbi = jdbi;
    this.contentRetention = contentRetention;
    RecurringTask<Void> purge = Tasks.recurring(TASK, Schedules.fixedDelay(EVERY))
        .execute((instance, context) -> {
          int purged = purgeNow();
          if (purged > 0) {
            LOG.info("Purged the media and signals of {} submissions past their retention time", purged);
          }
        });
    RecurringTask<Void> compact = Tasks.recurring(COMPACT_TASK, Schedules.fixedDelay(COMPACT_EVERY))
        .execute((instance, context) -> {
          ChangeCompaction.Result result = compactChangesNow();
          if (result.removed() > 0) {
            LOG.info("Compacted the change sequence through change {}: {} changes older than {} removed", result.compactedThrough(),
                result.removed(), contentRetention);
          }
        });
    this.scheduler = Scheduler.create(dataSource)
        .tableName(TABLE)
        // Times as UTC instants, as for the video jobs: the columns keep the zone on both databases.
        .jdbcCustomization(new AutodetectJdbcCustomization(dataSource, true))
        .startTasks(purge, compact)
        .threads(1)
        .pollingInterval(Duration.ofSeconds(30))
        .shutdownMaxWait(Duration.ofSeconds(2))
        .build();
  }

  public void start() {
    scheduler.start();
  }

  /** How long removed content is preserved. */
  public Duration contentRetention() {
    return contentRetention;
  }

  /**
   * Purges every submission past its retention time that no open case or appeal, and no
   * preservation hold, holds; returns how many. Safe to run beside a scheduled run: a row is counted by whichever run cleared it.
   */
  public int purgeNow() {
    int total = 0;
    while (true) {
      Batch batch = purgeBatch(Clock.now(jdbi));
      total += batch.purged();
      // A short batch means nothing is left; a batch a concurrent run took part of ends this
      // run too, and the next run picks up anything left.
      if (batch.due() < BATCH || batch.purged() < batch.due()) {
        return total;
      }
    }
  }

  /** Compacts the changes made more than the content retention time ago; see {@link ChangeCompaction}. */
  public ChangeCompaction.Result compactChangesNow() {
    OffsetDateTime horizon = Clock.now(jdbi).minus(contentRetention);
    return ChangeCompaction.compact(jdbi, horizon, jdbi.withHandle(IncidentTimeline::banks));
  }

  private record Batch(int due, int purged) {}

  private Batch purgeBatch(OffsetDateTime now) {
    return jdbi.inTransaction(h -> {
      List<Long> due = h.createQuery("""
              SELECT s.id FROM submissions s
              WHERE s.retain_until < :now AND s.purged_at IS NULL
                AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.submission_id = s.id AND c.status IN (%s, %s))
                AND NOT EXISTS (SELECT 1 FROM appeals a WHERE a.submission_id = s.id AND a.status = %s)
                AND NOT EXISTS (SELECT 1 FROM preservation_holds p WHERE p.held_until > :now
                  AND (p.submission_id = s.id OR p.content_id = s.content_id))
              ORDER BY s.retain_until, s.id FETCH FIRST :batch ROWS ONLY""".formatted(CaseStatus.OPEN.sql(), CaseStatus.ESCALATED.sql(),
              AppealStatus.OPEN.sql()))
          .bind("now", now)
          .bind("batch", BATCH)
          .mapTo(Long.class)
          .list();
      if (due.isEmpty()) {
        return new Batch(0, 0);
      }
      int purged = Submissions.purgeContent(h, due, now);
      if (purged > 0) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("purged", purged);
        record.put("retain_until_before", Clock.text(now));
        record.put("submission_ids", due);
        AuditLog.append(h, null, "content.purge", "submissions", null, null, record);
      }
      // A concurrent run may have cleared some of these first: only the rows this one cleared count.
      return new Batch(due.size(), purged);
    });
  }

  @Override
  public void close() {
    scheduler.stop();
  }
}
