package org.countersignal.server.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * What a database failure was, by its SQLSTATE (the standard's codes, which H2 and PostgreSQL
 * share), looked for anywhere along the exception's causes: the driver's exception arrives wrapped
 * by Jdbi, the pool or the caller.
 */
public final class SqlStates {

  /** Another transaction committed the same unique key first. */
  public static final String UNIQUE_VIOLATION = "23505";
  /** Class 40: the database rolled the transaction back (deadlock, serialization failure) in favour of another. */
  public static final String ROLLED_BACK = "40";
  /** PostgreSQL's disk_full. */
  public static final String DISK_FULL = "53100";
  /** H2's lock timeout: a lock another transaction held for longer than {@link Database#LOCK_TIMEOUT_MILLIS}. */
  static final String H2_LOCK_TIMEOUT = "HYT00";
  /** PostgreSQL's lock_not_available: likewise, under the {@code lock_timeout} the pool sets. */
  static final String LOCK_NOT_AVAILABLE = "55P03";

  private SqlStates() {}

  /**
   * Whether {@code e} comes of waiting on other work rather than of a fault: a lock held past the
   * lock timeout, a transaction rolled back in favour of another, or no pooled connection free in
   * time. Retried later, the same request can succeed.
   */
  public static boolean contended(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return true;
      }
    }
    return causedBy(e, H2_LOCK_TIMEOUT) || causedBy(e, LOCK_NOT_AVAILABLE) || causedBy(e, ROLLED_BACK);
  }

  /** Whether {@code e}, or a cause of it, is an {@link SQLException} whose SQLSTATE starts with {@code state}. */
  public static boolean causedBy(Throwable e, String state) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith(state)) {
        return true;
      }
    }
    return false;
  }
}
