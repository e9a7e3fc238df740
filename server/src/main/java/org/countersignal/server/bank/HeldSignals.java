package org.countersignal.server.bank;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Which signals a bank holds, or held: what another package asks before it keeps something about
 * a bank's signal (the opinions a feed's peers send back of it). Signals are named by type and
 * identity ({@link SignalCatalog#identity}), as entries and the change sequence keep them.
 */
public final class HeldSignals {

  // Values per query of the change sequence: far under every database's parameter limit.
  private static final int CHUNK = 500;

  private HeldSignals() {}

  /** The key of a signal in the maps and sets these methods take and answer. */
  public static String key(String type, String identity) {
    return BankedSignals.key(type, identity);
  }

  /** The 64-bit hash {@code entry_signals} is indexed by, for tables that look entries up by it. */
  public static long hash(String type, String identity) {
    return BankedSignals.hash(type, identity);
  }

  /** The signals of {@code keys} that bank {@code bankId} holds now, each to the id of its entry. */
  public static Map<String, Long> entries(Handle h, long bankId, Collection<String> keys) {
    Map<String, Long> out = new HashMap<>();
    BankedSignals.in(h, bankId, keys).forEach((key, banked) -> out.put(key, banked.entryId()));
    return out;
  }

  /**
   * The signals of {@code keys} that bank {@code bankId} ever held: those its part of the change
   * sequence names (an entry made, enabled, disabled or deleted). The sequence is not indexed by
   * signal, so this reads the bank's part of it: ask only for what {@link #entries} did not find.
   */
  public static Set<String> everHeld(Handle h, long bankId, Collection<String> keys) {
    Set<String> asked = new HashSet<>(keys);
    Set<String> values = new HashSet<>();
    for (String key : keys) {
      values.add(key.substring(key.indexOf('\n') + 1));
    }
    List<String> all = new ArrayList<>(values);
    Set<String> found = new HashSet<>();
    for (int from = 0; from < all.size() && found.size() < asked.size(); from += CHUNK) {
      h.createQuery("SELECT DISTINCT signal_type, signal_value FROM signal_changes WHERE bank_id = :bank AND signal_value IN (<values>)")
          .bind("bank", bankId)
          .bindList("values", all.subList(from, Math.min(all.size(), from + CHUNK)))
          .map((rs, ctx) -> key(rs.getString(1), rs.getString(2)))
          .forEach(key -> {
            if (asked.contains(key)) {
              found.add(key);
            }
          });
    }
    return found;
  }
}
