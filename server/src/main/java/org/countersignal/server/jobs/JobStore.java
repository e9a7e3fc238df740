package org.countersignal.server.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.countersignal.server.action.ContentInfo;
import org.countersignal.server.bank.NewEntry;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Jdbi;

/** The {@code jobs} table: what was asked, the uploaded video until it is hashed, and the outcome. */
final class JobStore {

  /** A job's row, without its content and frame hashes (read on their own, they can be large). */
  record Row(long id, JobKind kind, JobStatus status, long keyId, String sourceUrl, Long contentBytes, String options,
      String result, String error, int attempts, OffsetDateTime createdAt, OffsetDateTime startedAt,
      OffsetDateTime finishedAt) {}

  private static final String COLUMNS =
      "id, kind, status, key_id, source_url, content_bytes, options, result, error, attempts, created_at, started_at, finished_at";

  /** The states of a job that has yet to finish, as an SQL list. */
  private static final String UNFINISHED = JobStatus.QUEUED.sql() + ", " + JobStatus.RUNNING.sql();

  private final Jdbi jdbi;

  JobStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Stores an uploaded video; it is in the database, safe from a crash, when this returns. */
  long insertUpload(JobRequest request, long keyId, Path video) {
    long size;
    try {
      size = Files.size(video);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a video upload is stored in one database value, at most 2 GiB");
    }
    try (InputStream in = Files.newInputStream(video)) {
      return jdbi.withHandle(h -> h.createUpdate("INSERT INTO jobs (kind, status, key_id, content, content_bytes, options,"
              + " attempts, created_at) VALUES (:kind, :status, :key, :content, :size, :options, 0, :now)")
          .bind("kind", request.kind().wire())
          .bind("status", JobStatus.QUEUED.wire())
          .bind("key", keyId)
          .bindBinaryStream("content", in, (int) size)
          .bind("size", size)
          .bind("options", options(request))
          .bind("now", Clock.now(h))
          .executeAndReturnGeneratedKeys("id")
          .mapTo(Long.class)
          .one());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long insertUrl(JobRequest request, long keyId, String url) {
    return jdbi.withHandle(h -> h.createUpdate("INSERT INTO jobs (kind, status, key_id, source_url, options, attempts,"
            + " created_at) VALUES (:kind, :status, :key, :url, :options, 0, :now)")
        .bind("kind", request.kind().wire())
        .bind("status", JobStatus.QUEUED.wire())
        .bind("key", keyId)
        .bind("url", url)
        .bind("options", options(request))
        .bind("now", Clock.now(h))
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one());
  }

  private static String options(JobRequest request) {
    var options = new java.util.LinkedHashMap<String, Object>();
    options.put("banks", request.banks());
    options.put("seconds_per_frame", request.secondsPerFrame());
    if (request.entry() != null) {
      var entry = new java.util.LinkedHashMap<String, Object>();
      entry.put("labels", request.entry().labels());
      entry.put("entities", request.entry().entities());
      entry.put("note", request.entry().note());
      entry.put("provenance", request.entry().provenance());
      options.put("entry", entry);
    }
    if (request.record()) {
      options.put("record", true);
    }
    if (request.content() != null) {
      options.put("content", request.content());
    }
    return JsonText.write(options);
  }

  static JobRequest request(Row row) {
    var options = JsonText.tree(row.options());
    List<Long> banks = null;
    if (options.hasNonNull("banks")) {
      banks = new java.util.ArrayList<>();
      for (var bank : options.get("banks")) {
        banks.add(bank.asLong());
      }
    }
    NewEntry entry = null;
    if (options.hasNonNull("entry")) {
      var e = options.get("entry");
      entry = new NewEntry(null, strings(e.get("labels")), strings(e.get("entities")), text(e.get("note")), text(e.get("provenance")));
    }
    ContentInfo content = null;
    if (options.hasNonNull("content")) {
      var c = options.get("content");
      content = new ContentInfo(text(c.get("id")), text(c.get("account")), text(c.get("amplifies")), text(c.get("type")),
          text(c.get("context")), c.hasNonNull("account_attributes") ? strings(c.get("account_attributes")) : null);
    }
    return new JobRequest(row.kind(), banks, options.path("seconds_per_frame").asDouble(0), entry, content,
        options.path("record").asBoolean(false));
  }

  private static List<String> strings(com.fasterxml.jackson.databind.JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    List<String> out = new java.util.ArrayList<>();
    node.forEach(item -> out.add(item.asText()));
    return out;
  }

  private static String text(com.fasterxml.jackson.databind.JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  Optional<Row> find(long id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> row(rs))
        .findOne());
  }

  private static Row row(ResultSet rs) throws SQLException {
    long bytes = rs.getLong("content_bytes");
    Long contentBytes = rs.wasNull() ? null : bytes;
    return new Row(rs.getLong("id"), JobKind.fromWire(rs.getString("kind")), JobStatus.fromWire(rs.getString("status")), rs.getLong("key_id"),
        rs.getString("source_url"), contentBytes, rs.getString("options"), rs.getString("result"), rs.getString("error"),
        rs.getInt("attempts"), rs.getObject("created_at", OffsetDateTime.class),
        rs.getObject("started_at", OffsetDateTime.class), rs.getObject("finished_at", OffsetDateTime.class));
  }

  /** Writes the uploaded video to {@code file}; false if the job has no content (any more). */
  boolean copyContent(long id, Path file) {
    return jdbi.withHandle(h -> h.createQuery("SELECT content FROM jobs WHERE id = :id AND content IS NOT NULL")
        .bind("id", id)
        .map((rs, ctx) -> {
          try (InputStream in = rs.getBinaryStream(1)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return true;
        })
        .findOne()
        .orElse(false));
  }

  Optional<byte[]> vpdq(long id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT vpdq FROM jobs WHERE id = :id AND vpdq IS NOT NULL")
        .bind("id", id)
        .map((rs, ctx) -> rs.getBytes(1))
        .findOne());
  }

  /** Marks the job running; false if it has already finished (a repeated execution). */
  boolean markRunning(long id) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE jobs SET status = " + JobStatus.RUNNING.sql() + ", started_at = :now,"
            + " attempts = attempts + 1 WHERE id = :id AND status IN (" + UNFINISHED + ")")
        .bind("id", id)
        .bind("now", Clock.now(h))
        .execute()) == 1;
  }

  /** Records the result and lets go of the uploaded video, which is no longer needed. */
  void succeed(long id, String resultJson, byte[] vpdq) {
    jdbi.useTransaction(h -> {
      h.createUpdate("UPDATE jobs SET status = " + JobStatus.SUCCEEDED.sql() + ", result = :result, vpdq = :vpdq,"
            + " content = NULL, error = NULL, finished_at = :now WHERE id = :id")
        .bind("id", id)
        .bind("result", resultJson)
        .bind("vpdq", vpdq)
        .bind("now", Clock.now(h))
        .execute();
      JobEvents.finished(h, id, JobStatus.SUCCEEDED.wire(), JsonText.tree(resultJson), null);
    });
  }

  void fail(long id, String error) {
    String text = error.length() > 4000 ? error.substring(0, 3997) + "..." : error;
    jdbi.useTransaction(h -> {
      h.createUpdate("UPDATE jobs SET status = " + JobStatus.FAILED.sql() + ", error = :error, content = NULL,"
            + " finished_at = :now WHERE id = :id")
        .bind("id", id)
        .bind("error", text)
        .bind("now", Clock.now(h))
        .execute();
      JobEvents.finished(h, id, JobStatus.FAILED.wire(), null, text);
    });
  }

  /** A key's place in the round: when one of its jobs last started (null: never), and its first waiting job. */
  private record Turn(OffsetDateTime lastStart, long firstJob) {

    boolean before(Turn other) {
      if (lastStart == null || other.lastStart == null) {
        return lastStart == null && (other.lastStart != null || firstJob < other.firstJob);
      }
      int order = lastStart.compareTo(other.lastStart);
      return order < 0 || (order == 0 && firstJob < other.firstJob);
    }
  }

  /**
   * Whether another key's job should start before job {@code id}: keys take turns, the key whose
   * jobs last started longest ago (or never) first, and among keys that never started one, the
   * one whose waiting job came first. So a key's job waits behind at most one job of each other
   * key with work waiting, however many jobs one key queues. Only jobs that could start now count
   * (their execution due and not picked by a worker), so a worker that steps aside for one is
   * never left idle by it. The order is total, so two jobs never step aside for each other.
   *
   * @param task the scheduler's name for video jobs, whose {@code scheduled_tasks} rows say which jobs could start now
   */
  boolean anotherKeysTurn(long id, String task) {
    return jdbi.withHandle(h -> {
      Long keyId = h.createQuery("SELECT key_id FROM jobs WHERE id = :id").bind("id", id).mapTo(Long.class).findOne().orElse(null);
      if (keyId == null) {
        return false;
      }
      OffsetDateTime mine = h.createQuery("SELECT MAX(started_at) FROM jobs WHERE key_id = :key")
          .bind("key", keyId)
          .mapTo(OffsetDateTime.class)
          .findOne()
          .orElse(null);
      Turn turn = new Turn(mine, id);
      List<Turn> waiting = h.createQuery("SELECT w.first_job,"
              + " (SELECT MAX(o.started_at) FROM jobs o WHERE o.key_id = w.key_id) AS last_start"
              + " FROM (SELECT j.key_id, MIN(j.id) AS first_job FROM jobs j"
              + "   JOIN scheduled_tasks s ON s.task_name = :task AND s.task_instance = CAST(j.id AS VARCHAR(100))"
              + "   WHERE j.status IN (" + UNFINISHED + ") AND j.key_id <> :key AND s.picked = FALSE AND s.execution_time <= :now"
              + "   GROUP BY j.key_id) w")
          .bind("task", task)
          .bind("key", keyId)
          .bind("now", Clock.now(h))
          .map((rs, ctx) -> new Turn(rs.getObject("last_start", OffsetDateTime.class), rs.getLong("first_job")))
          .list();
      return waiting.stream().anyMatch(other -> other.before(turn));
    });
  }

  /** Jobs not yet finished, oldest first: each must have a scheduled execution. */
  List<Long> unfinished() {
    return jdbi.withHandle(h -> h.createQuery("SELECT id FROM jobs WHERE status IN (" + UNFINISHED + ") ORDER BY id")
        .mapTo(Long.class)
        .list());
  }

  int deleteFinishedBefore(OffsetDateTime time) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM jobs WHERE status IN (" + JobStatus.SUCCEEDED.sql() + ", " + JobStatus.FAILED.sql()
            + ") AND finished_at < :time")
        .bind("time", time)
        .execute());
  }
}
