package org.countersignal.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears, on PostgreSQL, each commit that appended to the change sequence, whichever process made
 * it, and says so at once: a replica then applies another's change within milliseconds instead of
 * at its next poll. The database raises the notifications itself (a trigger on
 * {@code signal_changes}, migration V17), so no writer can forget one.
 *
 * <p>A {@code LISTEN} lasts as long as its session, so it has a connection of its own, outside the
 * pool, waited on by one daemon thread. Notifications only hasten following: the poll stays, and
 * carries everything while the connection is down. When it drops (PostgreSQL restarted, the
 * session ended) the thread connects again with a growing pause, and after each (re)connection
 * says "changed" once for what was committed while nobody listened.
 */
public final class ChangeNotifications implements AutoCloseable {

  /** The channel migration V17's trigger notifies. */
  public static final String CHANNEL = "countersignal_changes";
  /** The listening session's {@code application_name} in {@code pg_stat_activity}. */
  public static final String APPLICATION_NAME = "countersignal-listen";

  private static final Logger LOG = LoggerFactory.getLogger(ChangeNotifications.class);
  /**
   * How long one wait for notifications lasts; after a quiet one the connection is checked, so
   * a peer gone without closing the connection is noticed within about this long.
   */
  private static final int WAIT_MILLIS = 30_000;
  private static final int CHECK_SECONDS = 5;
  private static final long FIRST_RETRY_MILLIS = 500;
  private static final long LONGEST_RETRY_MILLIS = 30_000;

  private final Database database;
  private final Runnable changed;
  private final Thread thread;
  private volatile boolean closed;
  // The connection being listened on, for close to break the wait; null between connections.
  private volatile Connection connection;

  private ChangeNotifications(Database database, Runnable changed) {
    this.database = database;
    this.changed = changed;
    this.thread = new Thread(this::run, "countersignal-change-notifications");
    thread.setDaemon(true);
  }

  /**
   * Starts listening in the background on {@code database} (PostgreSQL) and runs {@code changed}
   * on that thread after each batch of notifications and after each (re)connection.
   * {@code changed} must not throw and may take its time: notifications wait meanwhile.
   */
  public static ChangeNotifications start(Database database, Runnable changed) {
    ChangeNotifications notifications = new ChangeNotifications(database, changed);
    notifications.thread.start();
    return notifications;
  }

  private void run() {
    long retryMillis = FIRST_RETRY_MILLIS;
    boolean listenedBefore = false;
    while (!closed) {
      try (Connection listening = database.openDedicatedConnection(APPLICATION_NAME)) {
        connection = listening;
        if (closed) {
          return;
        }
        try (Statement statement = listening.createStatement()) {
          statement.execute("LISTEN " + CHANNEL);
        }
        LOG.info(listenedBefore ? "Listening for other replicas' changes again" : "Listening for other replicas' changes as they commit");
        listenedBefore = true;
        retryMillis = FIRST_RETRY_MILLIS;
        changed.run();
        PGConnection notices = listening.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] received = notices.getNotifications(WAIT_MILLIS);
          if (received != null && received.length > 0) {
            changed.run();
          } else if (!listening.isValid(CHECK_SECONDS)) {
            throw new SQLException("the listening connection no longer answers");
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.warn("Listening for other replicas' changes failed ({}); they arrive by polling meanwhile; connecting again in {} ms",
            e.getMessage(), retryMillis);
        pause(retryMillis);
        retryMillis = Math.min(retryMillis * 2, LONGEST_RETRY_MILLIS);
      } finally {
        connection = null;
      }
    }
  }

  // A wait that close ends, rather than an interrupt, which would also reach the database calls of
  // a catch-up running on this thread.
  private synchronized void pause(long millis) {
    long until = System.nanoTime() + millis * 1_000_000;
    try {
      for (long left = millis; !closed && left > 0; left = (until - System.nanoTime()) / 1_000_000) {
        wait(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops listening: ends the wait by dropping the connection, and its session with it. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    Connection listening = connection;
    if (listening != null) {
      try {
        // abort, not close: it breaks a wait in progress on another thread at once.
        listening.abort(Runnable::run);
      } catch (SQLException e) {
        LOG.debug("Aborting the listening connection failed", e);
      }
    }
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
