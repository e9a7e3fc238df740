package org.countersignal.server.bank;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.countersignal.server.store.ChangeLog;
import org.jdbi.v3.core.Handle;

/**
 * Switches off the entries of a bank that too many of the platforms following its feeds dispute
 * (each counted once, whether it spoke itself or a hub passed its word on): once as many platforms
 * as the bank's {@code disable_when_disputed_by} hold an entry to be a false positive, or are
 * divided on it ({@link EntryOpinions#disputed}), the entry is disabled the way a curator disables
 * one, so the change sequence records it and the indexes, the replicas and the feed's own peers
 * follow. Each is audited as {@code entry.disabled_disputed}, with a reason naming the count.
 */
public final class DisputedEntries {

  private DisputedEntries() {}

  /**
   * Disables the enabled entries of bank {@code bankId} among {@code entryIds} (all of the bank's
   * when null) that at least the bank's {@code disable_when_disputed_by} peers dispute, in the
   * caller's transaction, which took the change-log lock first ({@link ChangeLog#lockForWriting});
   * the caller runs the indexes' catch-up once it commits. Returns the ids disabled; none when the
   * bank has no such setting.
   *
   * @param actorKeyId the key whose request led to it (a curator lowering the setting, the peer
   *     whose opinions tipped the count), or null
   */
  public static List<Long> disable(Handle h, long bankId, Collection<Long> entryIds, Long actorKeyId) {
    Bank bank = BankService.find(h, bankId).orElse(null);
    if (bank == null || bank.disableWhenDisputedBy() == null || (entryIds != null && entryIds.isEmpty())) {
      return List.of();
    }
    int threshold = bank.disableWhenDisputedBy();
    Map<Long, Long> disputing = disputing(h, entryIds == null ? disputedEntries(h, bankId) : entryIds);
    List<Long> disabled = new ArrayList<>();
    for (Map.Entry<Long, Long> entry : new TreeMap<>(disputing).entrySet()) {
      if (entry.getValue() < threshold) {
        continue;
      }
      Entry before = EntryService.find(h, entry.getKey()).orElse(null);
      if (before == null || before.bankId() != bankId || !before.enabled()) {
        continue;
      }
      String why = "disputed by " + entry.getValue() + (entry.getValue() == 1 ? " platform" : " platforms")
          + " following this bank's feeds (the bank switches off entries disputed by " + threshold + " or more)";
      EntryService.disableIn(h, before, why, null, actorKeyId, "entry.disabled_disputed");
      disabled.add(entry.getKey());
    }
    return disabled;
  }

  /** How many peers dispute each of {@code entryIds} (those no peer disputes are left out). */
  private static Map<Long, Long> disputing(Handle h, Collection<Long> entryIds) {
    Map<Long, Long> out = new HashMap<>();
    EntryOpinions.of(h, entryIds).forEach((id, opinions) -> {
      if (opinions.disputed() > 0) {
        out.put(id, opinions.disputed());
      }
    });
    return out;
  }

  /**
   * The enabled entries of bank {@code bankId} that any platform disputes: what {@link #disable}
   * then counts, as for a report's entries.
   */
  private static List<Long> disputedEntries(Handle h, long bankId) {
    return h.createQuery("SELECT DISTINCT s.entry_id FROM feeds f "
            + "JOIN feed_opinions o ON o.feed_id = f.id "
            + "JOIN entry_signals s ON s.signal_hash = o.signal_hash AND s.signal_type = o.signal_type AND s.signal_value = o.signal_value "
            + "JOIN entries e ON e.id = s.entry_id AND e.bank_id = f.bank_id "
            + "WHERE f.bank_id = :bank AND e.enabled = TRUE AND o.opinion IN (:negative, :disputed)")
        .bind("bank", bankId)
        .bind("negative", EntryOpinions.NEGATIVE)
        .bind("disputed", EntryOpinions.DISPUTED)
        .mapTo(Long.class)
        .list();
  }
}
