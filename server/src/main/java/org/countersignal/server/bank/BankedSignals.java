package org.countersignal.server.bank;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Which of many signals a bank already holds, and in which entries: what a bulk write checks
 * before it adds a batch. A few hundred signals per query, listed as (type, value) pairs so that
 * H2 looks each up in the (signal_type, signal_value) index; with
 * {@code signal_type = ? AND signal_value IN (...)} it reads every signal of the type, which makes
 * a batch into a large bank take seconds.
 */
final class BankedSignals {

  // Pairs per query (two parameters each): well under every database's parameter limit, large
  // enough that 10,000 signals take a few queries.
  private static final int CHUNK = 500;

  /** The entry holding a banked signal, with what a bulk write compares. */
  record Banked(long entryId, boolean enabled, String labels, String entities, String note) {}

  private BankedSignals() {}

  /** The key of a signal in the map {@link #in} answers. */
  static String key(String type, String identity) {
    return type + '\n' + identity;
  }

  /**
   * The signals of {@code keys} ({@link #key} of type and identity) that bank {@code bankId} holds,
   * by key, in the order the database answers.
   */
  static Map<String, Banked> in(Handle h, long bankId, Collection<String> keys) {
    List<String> all = new ArrayList<>(keys);
    Map<String, Banked> found = new LinkedHashMap<>();
    for (int from = 0; from < all.size(); from += CHUNK) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
      String pairs = String.join(", ", Collections.nCopies(chunk.size(), "(?, ?)"));
      var query = h.createQuery("SELECT s.signal_type, s.signal_value, e.id, e.enabled, e.labels, e.entities, e.note "
          + "FROM entry_signals s JOIN entries e ON e.id = s.entry_id "
          + "WHERE e.bank_id = ? AND (s.signal_type, s.signal_value) IN (" + pairs + ")");
      query.bind(0, bankId);
      int position = 1;
      for (String key : chunk) {
        int cut = key.indexOf('\n');
        query.bind(position++, key.substring(0, cut));
        query.bind(position++, key.substring(cut + 1));
      }
      query.map((rs, ctx) -> {
        found.put(key(rs.getString(1), rs.getString(2)),
            new Banked(rs.getLong(3), rs.getBoolean(4), rs.getString(5), rs.getString(6), rs.getString(7)));
        return null;
      }).forEach(ignored -> { });
    }
    return found;
  }
}
