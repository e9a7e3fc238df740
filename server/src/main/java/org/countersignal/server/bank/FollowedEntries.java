package org.countersignal.server.bank;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.countersignal.server.RequestException;
import org.countersignal.server.store.ChangeLog;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.countersignal.signals.vpdq.VpdqSignal;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Keeps a bank that follows an exchange in step with its source: one entry per shared signal,
 * added, changed or removed as the source's updates say. A batch of updates is applied in the
 * caller's transaction with JDBC batches (a few statements per thousand updates, not one per
 * entry), so the exchange commits it together with its checkpoint. Applying the same batch twice
 * leaves the bank as applying it once: a signal already banked is updated, not added again, and a
 * deletion of a signal the bank no longer has does nothing.
 */
public final class FollowedEntries {

  /**
   * One signal's new state at the source.
   *
   * @param entry its labels, entity tags and note; null when the source deleted it
   */
  public record Update(String type, String signal, Details entry) {}

  /** What an entry of a followed bank says beyond its signal. */
  public record Details(List<String> labels, List<String> entities, String note, String origin) {}

  /** What one batch did; {@code refused}: "type: problem" for each update no signal could be made of. */
  public record Applied(int added, int changed, int removed, int unchanged, List<String> refused) {}

  /** New labels, entity tags and note of an entry the bank has. */
  private record Changed(long entryId, String labels, String entities, String note, String origin) {}

  private record Keyed(String type, String identity, VpdqSignal video, Map<String, String> wholes, Details entry) {}

  private final SignalCatalog signals;

  public FollowedEntries(SignalCatalog signals) {
    this.signals = Objects.requireNonNull(signals);
  }

  /**
   * Applies {@code updates} in order to bank {@code bankId} in the caller's transaction, which
   * must have taken the change-log lock first ({@link ChangeLog#lockForWriting}). The caller runs
   * the indexes' catch-up after it commits.
   *
   * @param provenance written on the entries this adds
   * @param touchAll whether entries the batch leaves as they were still get a new update time (a
   *     fetch from the start marks what the source still has, and {@link #sweep} removes the rest)
   */
  public Applied apply(Handle h, long bankId, List<Update> updates, String provenance, boolean touchAll) {
    List<String> refused = new ArrayList<>();
    // Later updates of a signal replace earlier ones; the map keeps the first one's place.
    Map<String, Keyed> latest = new LinkedHashMap<>();
    for (Update update : updates) {
      Keyed keyed = key(update, refused);
      if (keyed != null) {
        String key = BankedSignals.key(keyed.type(), keyed.identity());
        latest.remove(key);
        latest.put(key, keyed);
      }
    }
    Map<String, BankedSignals.Banked> existing = BankedSignals.in(h, bankId, latest.keySet());
    OffsetDateTime now = Clock.now(h);
    List<Keyed> additions = new ArrayList<>();
    List<Changed> changes = new ArrayList<>();
    List<ChangeLog.EntrySignal> removals = new ArrayList<>();
    List<ChangeLog.EntrySignal> restated = new ArrayList<>();
    List<Long> removed = new ArrayList<>();
    int changed = 0;
    int unchanged = 0;
    for (Map.Entry<String, Keyed> item : latest.entrySet()) {
      Keyed keyed = item.getValue();
      BankedSignals.Banked current = existing.get(item.getKey());
      if (keyed.entry() == null) {
        if (current != null) {
          removed.add(current.entryId());
          if (current.enabled()) {
            removals.add(new ChangeLog.EntrySignal(current.entryId(), keyed.type(), keyed.identity()));
          }
        }
      } else if (current == null) {
        additions.add(keyed);
      } else {
        String labels = JsonText.write(keyed.entry().labels());
        String entities = JsonText.write(keyed.entry().entities());
        boolean same = labels.equals(current.labels()) && entities.equals(current.entities())
            && Objects.equals(keyed.entry().note(), current.note()) && Objects.equals(keyed.entry().origin(), current.origin());
        if (!same) {
          changed++;
          if (current.enabled()) {
            restated.add(new ChangeLog.EntrySignal(current.entryId(), keyed.type(), keyed.identity()));
          }
        } else {
          unchanged++;
        }
        if (!same || touchAll) {
          changes.add(new Changed(current.entryId(), labels, entities, keyed.entry().note(), keyed.entry().origin()));
        }
      }
    }
    insert(h, bankId, additions, provenance);
    update(h, changes, now);
    if (!restated.isEmpty() && BankService.matchable(h, bankId)) {
      // Matching is as before; the bank's own feeds pass the new labels on.
      ChangeLog.appendAll(h, ChangeLog.Op.UPDATE, "entry_updated", bankId, restated);
    }
    delete(h, bankId, removed, removals);
    return new Applied(additions.size(), changed, removed.size(), unchanged, refused);
  }

  /**
   * Removes the entries of bank {@code bankId} not updated since {@code since}: after a fetch from
   * the start, those the source no longer has. In the caller's transaction, after the change-log
   * lock; returns how many went.
   */
  public int sweep(Handle h, long bankId, OffsetDateTime since) {
    java.util.Set<Long> ids = new java.util.LinkedHashSet<>();
    List<ChangeLog.EntrySignal> removals = new ArrayList<>();
    h.createQuery("SELECT e.id, e.enabled, s.signal_type, s.signal_value FROM entries e JOIN entry_signals s ON s.entry_id = e.id "
            + "WHERE e.bank_id = :bank AND e.updated_at < :since")
        .bind("bank", bankId).bind("since", since)
        .map((rs, ctx) -> {
          long id = rs.getLong(1);
          if (rs.getBoolean(2)) {
            removals.add(new ChangeLog.EntrySignal(id, rs.getString(3), rs.getString(4)));
          }
          return id;
        })
        .forEach(ids::add);
    delete(h, bankId, List.copyOf(ids), removals);
    return ids.size();
  }

  private Keyed key(Update update, List<String> refused) {
    try {
      String field = "signal";
      String canonical = signals.bankable(update.type(), update.signal(), field);
      EntryValues.Split split = EntryValues.Split.of(signals, Map.of(update.type(), canonical));
      VpdqSignal video = signals.type(update.type(), field).matchedByValue() ? null : signals.parseVideo(update.signal(), field);
      Details entry = update.entry() == null ? null : new Details(update.entry().labels(),
          LabelTaxonomy.checkEntities(update.entry().entities(), "entities"),
          update.entry().note() == null ? null : EntryService.note(update.entry().note()), update.entry().origin());
      return new Keyed(update.type(), split.identities().get(update.type()), video, split.wholes(), entry);
    } catch (RequestException e) {
      if (update.entry() == null && update.signal() != null && knownType(update.type())) {
        // A removal may name its signal by the identity the change sequence keeps (a feed's
        // removal of a text whose entry, and so whole value, is gone): at worst it removes nothing.
        return new Keyed(update.type(), update.signal().strip(), null, Map.of(), null);
      }
      refused.add(update.type() + ": " + e.getMessage());
      return null;
    }
  }

  private boolean knownType(String type) {
    try {
      signals.type(type, "signal");
      return true;
    } catch (RequestException e) {
      return false;
    }
  }

  /** The additions as new entries, written as a bulk import writes its rows. */
  private static void insert(Handle h, long bankId, List<Keyed> additions, String provenance) {
    if (additions.isEmpty()) {
      return;
    }
    List<EntryImport.Checked> rows = new ArrayList<>(additions.size());
    for (Keyed keyed : additions) {
      rows.add(new EntryImport.Checked(Map.of(keyed.type(), keyed.identity()), keyed.entry().labels(), keyed.entry().entities(),
          keyed.entry().note(), provenance, keyed.video(), keyed.wholes(), keyed.entry().origin()));
    }
    EntryImport.write(h, null, bankId, rows);
  }

  private static void update(Handle h, List<Changed> changes, OffsetDateTime now) {
    if (changes.isEmpty()) {
      return;
    }
    PreparedBatch batch = h.prepareBatch(
        "UPDATE entries SET labels = :labels, entities = :entities, note = :note, origin = :origin, updated_at = :now WHERE id = :id");
    for (Changed change : changes) {
      batch.bind("id", change.entryId()).bind("labels", change.labels()).bind("entities", change.entities()).bind("note", change.note())
          .bind("origin", change.origin()).bind("now", now).add();
    }
    batch.execute();
  }

  private static void delete(Handle h, long bankId, List<Long> ids, List<ChangeLog.EntrySignal> removals) {
    if (ids.isEmpty()) {
      return;
    }
    ChangeLog.appendAll(h, ChangeLog.Op.REMOVE, "entry_deleted", bankId, removals);
    PreparedBatch signalRows = h.prepareBatch("DELETE FROM entry_signals WHERE entry_id = :id");
    PreparedBatch entries = h.prepareBatch("DELETE FROM entries WHERE id = :id");
    for (long id : ids) {
      signalRows.bind("id", id).add();
      entries.bind("id", id).add();
    }
    signalRows.execute();
    entries.execute();
  }
}
