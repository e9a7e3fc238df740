package org.countersignal.server.bank;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.countersignal.server.RequestException;
import org.countersignal.server.store.ChangeLog;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.countersignal.signals.vpdq.VpdqBinary;
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

  // Pairs per lookup query (two parameters each): well under every database's parameter limit.
  private static final int LOOKUP_CHUNK = 500;

  /**
   * One signal's new state at the source.
   *
   * @param entry its labels, entity tags and note; null when the source deleted it
   */
  public record Update(String type, String signal, Details entry) {}

  /** What an entry of a followed bank says beyond its signal. */
  public record Details(List<String> labels, List<String> entities, String note) {}

  /** What one batch did; {@code refused}: "type: problem" for each update no signal could be made of. */
  public record Applied(int added, int changed, int removed, int unchanged, List<String> refused) {}

  private record Keyed(String type, String identity, String canonical, VpdqSignal video, Map<String, String> wholes, Details entry) {}

  private record Existing(long id, boolean enabled, String labels, String entities, String note) {}

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
        String key = keyed.type() + '\n' + keyed.identity();
        latest.remove(key);
        latest.put(key, keyed);
      }
    }
    Map<String, Existing> existing = existing(h, bankId, latest.values());
    OffsetDateTime now = Clock.now(h);
    List<Keyed> additions = new ArrayList<>();
    List<Object[]> changes = new ArrayList<>();
    List<ChangeLog.EntrySignal> removals = new ArrayList<>();
    List<Long> removed = new ArrayList<>();
    int changed = 0;
    int unchanged = 0;
    for (Map.Entry<String, Keyed> item : latest.entrySet()) {
      Keyed keyed = item.getValue();
      Existing current = existing.get(item.getKey());
      if (keyed.entry() == null) {
        if (current != null) {
          removed.add(current.id());
          if (current.enabled()) {
            removals.add(new ChangeLog.EntrySignal(current.id(), keyed.type(), keyed.identity()));
          }
        }
      } else if (current == null) {
        additions.add(keyed);
      } else {
        String labels = JsonText.write(keyed.entry().labels());
        String entities = JsonText.write(keyed.entry().entities());
        boolean same = labels.equals(current.labels()) && entities.equals(current.entities())
            && Objects.equals(keyed.entry().note(), current.note());
        if (!same) {
          changed++;
        } else {
          unchanged++;
        }
        if (!same || touchAll) {
          changes.add(new Object[] {current.id(), labels, entities, keyed.entry().note()});
        }
      }
    }
    insert(h, bankId, additions, provenance, now);
    update(h, changes, now);
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
          update.entry().note() == null ? null : EntryService.note(update.entry().note()));
      return new Keyed(update.type(), split.identities().get(update.type()), canonical, video, split.wholes(), entry);
    } catch (RequestException e) {
      refused.add(update.type() + ": " + e.getMessage());
      return null;
    }
  }

  /** The bank's entries holding the keyed signals, by "type\nidentity", a few hundred signals per query. */
  private static Map<String, Existing> existing(Handle h, long bankId, java.util.Collection<Keyed> keyed) {
    List<Keyed> all = new ArrayList<>(keyed);
    Map<String, Existing> found = new HashMap<>();
    for (int from = 0; from < all.size(); from += LOOKUP_CHUNK) {
      List<Keyed> chunk = all.subList(from, Math.min(all.size(), from + LOOKUP_CHUNK));
      String pairs = String.join(", ", Collections.nCopies(chunk.size(), "(?, ?)"));
      var query = h.createQuery("SELECT s.signal_type, s.signal_value, e.id, e.enabled, e.labels, e.entities, e.note "
          + "FROM entry_signals s JOIN entries e ON e.id = s.entry_id "
          + "WHERE e.bank_id = ? AND (s.signal_type, s.signal_value) IN (" + pairs + ")");
      query.bind(0, bankId);
      int position = 1;
      for (Keyed k : chunk) {
        query.bind(position++, k.type());
        query.bind(position++, k.identity());
      }
      query.map((rs, ctx) -> {
        found.put(rs.getString(1) + '\n' + rs.getString(2),
            new Existing(rs.getLong(3), rs.getBoolean(4), rs.getString(5), rs.getString(6), rs.getString(7)));
        return null;
      }).forEach(ignored -> { });
    }
    return found;
  }

  private static void insert(Handle h, long bankId, List<Keyed> additions, String provenance, OffsetDateTime now) {
    if (additions.isEmpty()) {
      return;
    }
    PreparedBatch entries = h.prepareBatch(
        "INSERT INTO entries (bank_id, labels, entities, note, provenance, enabled, created_at, updated_at, created_by) "
            + "VALUES (:bank, :labels, :entities, :note, :provenance, TRUE, :now, :now, NULL)");
    for (Keyed keyed : additions) {
      entries.bind("bank", bankId).bind("labels", JsonText.write(keyed.entry().labels()))
          .bind("entities", JsonText.write(keyed.entry().entities())).bind("note", keyed.entry().note())
          .bind("provenance", provenance).bind("now", now).add();
    }
    List<Long> ids = entries.executePreparedBatch("id").mapTo(Long.class).list();
    if (ids.size() != additions.size()) {
      throw new IllegalStateException("the database returned " + ids.size() + " ids for " + additions.size() + " new entries");
    }
    PreparedBatch signalRows = h.prepareBatch("INSERT INTO entry_signals (entry_id, signal_type, signal_value) VALUES (:entry, :type, :value)");
    PreparedBatch videos = h.prepareBatch("INSERT INTO entry_videos (entry_id, frames, seconds, vpdq) VALUES (:entry, :frames, :seconds, :vpdq)");
    PreparedBatch wholes = EntryValues.batch(h);
    boolean anyVideo = false;
    boolean anyWhole = false;
    List<ChangeLog.EntrySignal> changes = new ArrayList<>(additions.size());
    for (int i = 0; i < additions.size(); i++) {
      Keyed keyed = additions.get(i);
      long id = ids.get(i);
      signalRows.bind("entry", id).bind("type", keyed.type()).bind("value", keyed.identity()).add();
      changes.add(new ChangeLog.EntrySignal(id, keyed.type(), keyed.identity()));
      if (keyed.video() != null) {
        videos.bind("entry", id).bind("frames", keyed.video().frames().size()).bind("seconds", keyed.video().lastFrameSeconds())
            .bind("vpdq", VpdqBinary.encode(keyed.video())).add();
        anyVideo = true;
      }
      for (Map.Entry<String, String> whole : keyed.wholes().entrySet()) {
        EntryValues.add(wholes, id, whole.getKey(), new EntryValues.Whole(whole.getValue(), null));
        anyWhole = true;
      }
    }
    if (anyVideo) {
      videos.execute();
    }
    if (anyWhole) {
      wholes.execute();
    }
    signalRows.execute();
    ChangeLog.appendAll(h, ChangeLog.Op.ADD, "entry_created", bankId, changes);
  }

  private static void update(Handle h, List<Object[]> changes, OffsetDateTime now) {
    if (changes.isEmpty()) {
      return;
    }
    PreparedBatch batch = h.prepareBatch(
        "UPDATE entries SET labels = :labels, entities = :entities, note = :note, updated_at = :now WHERE id = :id");
    for (Object[] change : changes) {
      batch.bind("id", change[0]).bind("labels", change[1]).bind("entities", change[2]).bind("note", change[3]).bind("now", now).add();
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
