package org.countersignal.server.store;

import java.util.List;
import java.util.function.BiConsumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** One statement run for many rows, sent as one JDBC batch: one round trip instead of one a row. */
public final class Batches {

  private Batches() {}

  /** Runs {@code sql} once for each of {@code items}, as {@code bind} binds it, in their order; nothing when there are none. */
  public static <T> void run(Handle h, String sql, List<T> items, BiConsumer<PreparedBatch, T> bind) {
    if (items.isEmpty()) {
      return;
    }
    PreparedBatch batch = h.prepareBatch(sql);
    for (T item : items) {
      bind.accept(batch, item);
      batch.add();
    }
    batch.execute();
  }
}
