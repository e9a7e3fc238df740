package org.countersignal.server.bank;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.countersignal.server.Sha256;
import org.jdbi.v3.core.Handle;

/**
 * Which of many signals a bank already holds, and in which entries: what a bulk write checks
 * before it adds a batch. {@code entry_signals} is indexed by {@link #hash}, 64 bits of each
 * signal's type and value, not by the value itself: the values of hash types are long and
 * random, so an index on them is several times larger, and a bulk write into a large bank
 * rewrites most of its pages at every commit. A lookup asks for the hashes, a thousand per query,
 * and keeps the rows whose type and value are the ones asked for (two signals can share a hash).
 */
final class BankedSignals {

  // Hashes per query: well under every database's parameter limit, large enough that 10,000
  // signals take a few queries.
  private static final int CHUNK = 1000;

  /** The entry holding a banked signal, with what a bulk write compares. */
  record Banked(long entryId, boolean enabled, String labels, String entities, String note, String origin) {}

  private BankedSignals() {}

  /** The key of a signal in the map {@link #in} answers. */
  static String key(String type, String identity) {
    return type + '\n' + identity;
  }

  /**
   * The {@code signal_hash} of a signal: the first 8 bytes of the SHA-256 of its type, a line
   * feed and its identity (UTF-8), big-endian. Migration V14 computes the same in SQL.
   */
  static long hash(String type, String identity) {
    return ByteBuffer.wrap(Sha256.digest(key(type, identity))).getLong();
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
      Set<String> asked = new HashSet<>(chunk);
      var query = h.createQuery("SELECT s.signal_type, s.signal_value, e.id, e.enabled, e.labels, e.entities, e.note, e.origin "
          + "FROM entry_signals s JOIN entries e ON e.id = s.entry_id "
          + "WHERE e.bank_id = ? AND s.signal_hash IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")");
      query.bind(0, bankId);
      int position = 1;
      for (String key : chunk) {
        int cut = key.indexOf('\n');
        query.bind(position++, hash(key.substring(0, cut), key.substring(cut + 1)));
      }
      query.map((rs, ctx) -> {
        String key = key(rs.getString(1), rs.getString(2));
        if (asked.contains(key)) {
          found.put(key, new Banked(rs.getLong(3), rs.getBoolean(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
        }
        return null;
      }).forEach(ignored -> { });
    }
    return found;
  }
}
