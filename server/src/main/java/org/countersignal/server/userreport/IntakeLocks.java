package org.countersignal.server.userreport;

import java.util.SortedSet;
import org.countersignal.server.store.StoreLocks;
import org.jdbi.v3.core.Handle;

/**
 * What a report locks before it looks for its content's case: for each of the content id, the
 * canonical URL and the account it names, one of {@link #STRIPES} rows of {@code store_locks}
 * ({@code user_report_intake/0} ...), chosen by a hash of the value. Reports that name the same
 * content id, URL or account therefore run one after another, so two never open two cases for one
 * piece of content and an account's campaign count sees every report against it; reports of
 * unrelated content run side by side in other transactions. (A single lock for every report made
 * intake as slow as one commit after another.) A batch of reports taken in one transaction takes
 * the rows of them all at once. Two unrelated values may hash to the same row: their reports then
 * wait for each other, which costs time, never correctness.
 */
final class IntakeLocks {

  /** Enough rows that a few dozen reports in flight rarely share one by chance. */
  static final int STRIPES = 1024;

  private IntakeLocks() {}

  /** Adds the rows of the values given (nulls are left out) to {@code rows}. */
  static void add(SortedSet<String> rows, String contentId, String canonicalUrl, String account) {
    if (contentId != null) {
      rows.add(StoreLocks.USER_REPORT_INTAKE + stripe("content_id", contentId));
    }
    if (canonicalUrl != null) {
      rows.add(StoreLocks.USER_REPORT_INTAKE + stripe("url", canonicalUrl));
    }
    if (account != null) {
      rows.add(StoreLocks.USER_REPORT_INTAKE + stripe("account", account));
    }
  }

  /** Takes {@code rows} in the caller's transaction, until it ends: in one statement, in name order. */
  static void take(Handle h, SortedSet<String> rows) {
    StoreLocks.takeAll(h, rows);
  }

  /** The row for a value: String.hashCode is the same in every JVM, so every replica picks the same row. */
  static int stripe(String field, String value) {
    return Math.floorMod((field + '\n' + value).hashCode(), STRIPES);
  }
}
