package org.countersignal.server.discovery;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * The signals of recent uploads that matched nothing ({@code recent_signals}): hashes only, with
 * the content id and account where the platform sent them, kept for the retention time.
 *
 * <p>Matching never waits for this store: a signal is queued in memory and written with the
 * others every few seconds ({@link #flush}). The queue is bounded; what does not fit while the
 * database lags is dropped and counted, since a discovery store that fills memory would take
 * matching down with it. What the queue held when a process dies is lost: these are leads for
 * curators, not records anyone was promised.
 */
final class RecentSignals {

  /** A recent signal as stored: {@code identity} is what hits show of the value. */
  record Signal(long id, String type, String value, String identity, String contentId, String account, Long submissionId,
      OffsetDateTime receivedAt) {}

  static final int MAX_QUEUED = 200_000;
  /** Values up to this long (a PDQ hash) go in a plain column, which the database writes and reads far faster than a large object. */
  private static final int SHORT_VALUE = 256;
  private static final int WRITE_BATCH = 1_000;

  private final Jdbi jdbi;
  private final ConcurrentLinkedQueue<Signal> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();

  RecentSignals(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Queues a signal for the next write; false when the queue is full and it was dropped. */
  boolean remember(String type, String value, String identity, String contentId, String account, Long submissionId) {
    if (queued.incrementAndGet() > MAX_QUEUED) {
      queued.decrementAndGet();
      dropped.incrementAndGet();
      return false;
    }
    queue.add(new Signal(0, type, value, identity, contentId, account, submissionId, Clock.now(jdbi)));
    return true;
  }

  /** Signals dropped since the last call, for the log. */
  long takeDropped() {
    return dropped.getAndSet(0);
  }

  /** Writes what is queued; returns how many. A failed write puts them back at the head of the next. */
  int flush() {
    List<Signal> taken = new ArrayList<>();
    for (Signal s; (s = queue.poll()) != null; ) {
      queued.decrementAndGet();
      taken.add(s);
    }
    if (taken.isEmpty()) {
      return 0;
    }
    try {
      jdbi.useTransaction(h -> {
        for (int from = 0; from < taken.size(); from += WRITE_BATCH) {
          var batch = h.prepareBatch("INSERT INTO recent_signals (signal_type, signal_value, long_value, identity, content_id, account, "
              + "submission_id, received_at) VALUES (:type, :value, :long, :identity, :content, :account, :submission, :at)");
          for (Signal s : taken.subList(from, Math.min(taken.size(), from + WRITE_BATCH))) {
            boolean isShort = s.value().length() <= SHORT_VALUE;
            batch.bind("type", s.type()).bind("value", isShort ? s.value() : null).bind("long", isShort ? null : s.value())
                .bind("identity", s.identity()).bind("content", s.contentId())
                .bind("account", s.account()).bind("submission", s.submissionId()).bind("at", s.receivedAt()).add();
          }
          batch.execute();
        }
      });
    } catch (RuntimeException e) {
      for (Signal s : taken) {
        if (queued.incrementAndGet() <= MAX_QUEUED) {
          queue.add(s);
        } else {
          queued.decrementAndGet();
          dropped.incrementAndGet();
        }
      }
      throw e;
    }
    return taken.size();
  }

  /** Deletes the signals received before {@code before}; returns how many. */
  int deleteBefore(OffsetDateTime before) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM recent_signals WHERE received_at < :before").bind("before", before).execute());
  }

  long count() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM recent_signals").mapTo(Long.class).one());
  }

  /** Up to {@code limit} signals after id {@code after}, in id order. */
  List<Signal> after(long after, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM recent_signals WHERE id > :after ORDER BY id LIMIT :limit")
        .bind("after", after).bind("limit", limit).map((rs, ctx) -> map(rs)).list());
  }

  /**
   * Every short-valued signal of {@code type} (a PDQ hash) received since {@code since}, to
   * {@code each}, in id order, without holding them all; without its identity.
   */
  void since(String type, OffsetDateTime since, Consumer<Signal> each) {
    jdbi.useHandle(h -> h.createQuery("SELECT id, signal_value, content_id, account, submission_id, received_at FROM recent_signals "
            + "WHERE signal_type = :type AND received_at >= :since AND signal_value IS NOT NULL ORDER BY id")
        .bind("type", type).bind("since", since).setFetchSize(10_000)
        .map((rs, ctx) -> new Signal(rs.getLong(1), type, rs.getString(2), null, rs.getString(3), rs.getString(4),
            rs.getObject(5, Long.class), rs.getObject(6, OffsetDateTime.class)))
        .forEach(each));
  }

  /** The uploads of one value: how many, from how many accounts, first and last, and the latest few. */
  record Seen(int uploads, int accounts, OffsetDateTime first, OffsetDateTime last, List<Signal> latest) {}

  Seen seen(String type, String identity, int latest) {
    return jdbi.withHandle(h -> {
      List<Signal> rows = h.createQuery("SELECT * FROM recent_signals WHERE signal_type = :type AND identity = :identity "
              + "ORDER BY id DESC LIMIT :limit")
          .bind("type", type).bind("identity", identity).bind("limit", latest).map((rs, ctx) -> map(rs)).list();
      return h.createQuery("SELECT COUNT(*), COUNT(DISTINCT account), MIN(received_at), MAX(received_at) FROM recent_signals "
              + "WHERE signal_type = :type AND identity = :identity")
          .bind("type", type).bind("identity", identity)
          .map((rs, ctx) -> new Seen(rs.getInt(1), rs.getInt(2), rs.getObject(3, OffsetDateTime.class), rs.getObject(4, OffsetDateTime.class),
              rows))
          .one();
    });
  }

  private static Signal map(java.sql.ResultSet rs) throws java.sql.SQLException {
    String value = rs.getString("signal_value");
    return new Signal(rs.getLong("id"), rs.getString("signal_type"), value != null ? value : rs.getString("long_value"),
        rs.getString("identity"), rs.getString("content_id"), rs.getString("account"), rs.getObject("submission_id", Long.class),
        rs.getObject("received_at", OffsetDateTime.class));
  }
}
