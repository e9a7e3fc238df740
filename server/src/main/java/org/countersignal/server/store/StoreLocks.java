package org.countersignal.server.store;

import org.jdbi.v3.core.Handle;

/**
 * Locks that serialise a piece of work across every server process sharing the database: a row
 * of {@code store_locks} locked with {@code SELECT ... FOR UPDATE} until the caller's transaction
 * ends. A row lock rather than PostgreSQL's advisory locks so that H2 runs the same statement.
 */
public final class StoreLocks {

  /** Held while deciding whether the database still needs its first admin key. */
  public static final String FIRST_ADMIN_KEY = "first_admin_key";
  /**
   * The rows {@code user_report_intake/0} to {@code /1023}: a user report takes those of its content
   * id, URL and account while it finds or opens its case, so that reports of the same content share
   * one ({@code userreport.IntakeLocks}).
   */
  public static final String USER_REPORT_INTAKE = "user_report_intake/";

  private StoreLocks() {}

  /**
   * Waits for and takes the lock {@code name} in the caller's transaction. Statements after this
   * one see what the previous holder committed (both databases run at READ COMMITTED, where each
   * statement reads the latest commits).
   */
  public static void take(Handle handle, String name) {
    handle.createQuery("SELECT name FROM store_locks WHERE name = :name FOR UPDATE")
        .bind("name", name)
        .mapTo(String.class)
        .one();
  }

  /**
   * Waits for and takes the locks {@code names} in one statement, in the order of their names, so
   * that two transactions taking overlapping sets never each hold one the other waits for.
   */
  public static void takeAll(Handle handle, java.util.SortedSet<String> names) {
    if (names.isEmpty()) {
      return;
    }
    // The list is padded to a power of two with its last name, so that a few statements of
    // different lengths are prepared, not one for every number of names.
    java.util.List<String> padded = new java.util.ArrayList<>(names);
    while (Integer.bitCount(padded.size()) != 1) {
      padded.add(names.last());
    }
    int taken = handle.createQuery("SELECT name FROM store_locks WHERE name IN (<names>) ORDER BY name FOR UPDATE")
        .bindList("names", padded)
        .mapTo(String.class)
        .list()
        .size();
    if (taken != names.size()) {
      throw new IllegalStateException("store_locks lacks some of " + names);
    }
  }
}
