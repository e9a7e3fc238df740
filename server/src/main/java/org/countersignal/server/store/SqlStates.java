package org.countersignal.server.store;

import java.sql.SQLException;

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

  private SqlStates() {}

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
