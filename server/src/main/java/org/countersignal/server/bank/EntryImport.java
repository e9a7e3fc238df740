package org.countersignal.server.bank;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.countersignal.server.RequestException;
import org.countersignal.server.TextFields;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.store.ChangeLog;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.countersignal.signals.vpdq.VpdqBinary;
import org.countersignal.signals.vpdq.VpdqSignal;

/**
 * Adds many entries to a bank at once: every row is checked by the same rules as a single
 * create, then all of them are written in one transaction with JDBC batches, their signals
 * appended to the change sequence exactly as single creates append them, and one audit event
 * for the whole batch. A batch is all or nothing: one bad row and nothing is written.
 */
public final class EntryImport {

  /** The most entries one call takes: enough to be fast, small enough to hold in memory and in one transaction. */
  public static final int MAX_ENTRIES = 10_000;

  /** The bank {@link #validate} checks rows for when the import would make it: an empty one. */
  public static final long NEW_BANK = 0;

  /** What is wrong with one row; {@code index} counts from 0 in the batch, {@code field} is within the entry. */
  public record RowError(int index, String field, String detail) {}

  /** Entries written by one batch, in the order of the rows. */
  public record Imported(long bankId, List<Long> entryIds) {}

  /** A batch refused because of its rows; nothing was written. */
  public static final class InvalidBatch extends RuntimeException {
    private final transient List<RowError> errors;

    public InvalidBatch(List<RowError> errors) {
      super(errors.size() + " of the entries " + (errors.size() == 1 ? "is" : "are") + " invalid; nothing was imported");
      this.errors = List.copyOf(errors);
    }

    public List<RowError> errors() {
      return errors;
    }
  }

  /**
   * @param signals type to the value entry_signals keeps (its identity)
   * @param video a video entry's frames (its vpdq signal is their identity), else null
   * @param wholes type to the whole value, for types whose identity is not the value
   */
  record Checked(Map<String, String> signals, List<String> labels, List<String> entities, String note, String provenance,
      VpdqSignal video, Map<String, String> wholes, String origin) {}

  private final Jdbi jdbi;
  private final SignalCatalog signals;
  private final LabelTaxonomy taxonomy;
  private final Runnable changesCommitted;

  /** @param changesCommitted called after a batch commits, so the indexes apply its changes before the caller returns */
  public EntryImport(Jdbi jdbi, SignalCatalog signals, LabelTaxonomy taxonomy, Runnable changesCommitted) {
    this.jdbi = jdbi;
    this.signals = signals;
    this.taxonomy = taxonomy;
    this.changesCommitted = changesCommitted;
  }

  /**
   * Every problem the rows have, writing nothing: the rules of a single create, a signal given
   * twice in the batch, a signal the bank already has. Empty when {@link #importBatch} would
   * succeed (unless the bank changes in between).
   */
  public List<RowError> validate(long bankId, List<NewEntry> entries) {
    return validate(bankId, entries, null);
  }

  /**
   * As {@link #validate(long, List)}, for entries that keep the ids they had in another system
   * ({@code ids}, in row order; null to have new ids): an id given twice or already taken is a
   * row's problem too.
   */
  public List<RowError> validate(long bankId, List<NewEntry> entries, List<Long> ids) {
    requireSize(entries);
    List<RowError> errors = new ArrayList<>();
    List<Checked> rows = check(entries, errors);
    checkIds(entries, ids, errors);
    return jdbi.withHandle(h -> withConflicts(h, bankId, rows, withTakenIds(h, ids, errors)));
  }

  /** {@code errors} and the rows with a signal the bank already has, in row order. */
  private static List<RowError> withConflicts(Handle h, long bankId, List<Checked> rows, List<RowError> errors) {
    if (bankId == NEW_BANK) {
      List<RowError> all = new ArrayList<>(errors);
      all.sort(java.util.Comparator.comparingInt(RowError::index));
      return all;
    }
    requireBank(h, bankId);
    List<RowError> all = new ArrayList<>(errors);
    all.addAll(alreadyInBank(h, bankId, rows));
    all.sort(java.util.Comparator.comparingInt(RowError::index));
    return all;
  }

  /**
   * Writes every entry or none.
   *
   * @throws InvalidBatch when a row is invalid (all such rows are listed)
   * @throws RequestException for a batch that is empty or too large, or a bank that does not exist
   */
  public Imported importBatch(Principal actor, long bankId, List<NewEntry> entries) {
    return importBatch(actor, bankId, entries, null);
  }

  /**
   * As {@link #importBatch(Principal, long, List)}, each entry keeping the id {@code ids} gives it
   * in row order (null: new ids), so that a platform that stored another system's ids finds the
   * same entries by them. New entries made afterwards get ids above every kept one.
   */
  public Imported importBatch(Principal actor, long bankId, List<NewEntry> entries, List<Long> ids) {
    requireSize(entries);
    List<RowError> errors = new ArrayList<>();
    List<Checked> rows = check(entries, errors);
    checkIds(entries, ids, errors);
    if (ids != null && errors.isEmpty()) {
      // Before the batch, not in it: on H2 moving an identity is DDL, which would commit the batch.
      jdbi.useHandle(h -> advanceIdsPast(h, java.util.Collections.max(ids)));
    }
    Imported imported = jdbi.inTransaction(h -> {
      org.countersignal.server.store.ChangeLog.lockForWriting(h); // first: see ChangeLog
      List<RowError> all = withConflicts(h, bankId, rows, withTakenIds(h, ids, errors));
      if (!all.isEmpty()) {
        throw new InvalidBatch(all);
      }
      List<Long> written = write(h, actor.keyId(), bankId, rows, ids);
      AuditLog.append(h, actor.keyId(), "entries.imported", "bank", bankId, null, summary(rows, written));
      return new Imported(bankId, written);
    });
    changesCommitted.run();
    return imported;
  }

  /** Kept ids: one a row, positive, none twice in the batch. */
  private static void checkIds(List<NewEntry> entries, List<Long> ids, List<RowError> errors) {
    if (ids == null) {
      return;
    }
    if (ids.size() != entries.size()) {
      throw RequestException.invalid("ids", "one id an entry (got " + ids.size() + " for " + entries.size() + ")");
    }
    Map<Long, Integer> seen = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      Long id = ids.get(i);
      if (id == null || id <= 0) {
        errors.add(new RowError(i, "id", "an id is a positive whole number"));
      } else {
        Integer first = seen.putIfAbsent(id, i);
        if (first != null) {
          errors.add(new RowError(i, "id", "id " + id + " is also entry " + first + " of this batch"));
        }
      }
    }
  }

  /** {@code errors} and the rows whose kept id another entry has. */
  private static List<RowError> withTakenIds(Handle h, List<Long> ids, List<RowError> errors) {
    if (ids == null) {
      return errors;
    }
    List<RowError> all = new ArrayList<>(errors);
    Map<Long, Integer> rowOf = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      if (ids.get(i) != null) {
        rowOf.putIfAbsent(ids.get(i), i);
      }
    }
    for (List<Long> part : partition(new ArrayList<>(rowOf.keySet()), 1000)) {
      h.createQuery("SELECT id, bank_id FROM entries WHERE id IN (<ids>)").bindList("ids", part)
          .map((rs, ctx) -> new RowError(rowOf.get(rs.getLong("id")), "id",
              "id " + rs.getLong("id") + " is taken by an entry of bank " + rs.getLong("bank_id")))
          .forEach(all::add);
    }
    return all;
  }

  private static <T> List<List<T>> partition(List<T> list, int size) {
    List<List<T>> parts = new ArrayList<>();
    for (int i = 0; i < list.size(); i += size) {
      parts.add(list.subList(i, Math.min(list.size(), i + size)));
    }
    return parts;
  }

  /**
   * Makes new entries get ids above {@code id} from now on: ids another system gave, that a
   * platform may have stored, are never given to other content here.
   */
  public void reserveIdsThrough(long id) {
    jdbi.useHandle(h -> advanceIdsPast(h, id));
  }

  /** Makes the entries' id sequence give ids above {@code id} from now on, if it would not already. */
  private static void advanceIdsPast(Handle h, long id) {
    long highest = Math.max(id, h.createQuery("SELECT COALESCE(MAX(id), 0) FROM entries").mapTo(Long.class).one());
    if (org.countersignal.server.store.Database.isPostgres(h)) {
      h.createQuery("SELECT setval(pg_get_serial_sequence('entries', 'id'), :id)").bind("id", highest).mapTo(Long.class).one();
    } else {
      h.execute("ALTER TABLE entries ALTER COLUMN id RESTART WITH " + (highest + 1));
    }
  }

  private static void requireSize(List<NewEntry> entries) {
    if (entries == null || entries.isEmpty()) {
      throw RequestException.invalid("entries", "give at least one entry");
    }
    if (entries.size() > MAX_ENTRIES) {
      throw new RequestException(RequestException.Kind.TOO_LARGE, "entries",
          "at most " + MAX_ENTRIES + " entries per call (got " + entries.size() + "); split the import into batches");
    }
  }

  private static void requireBank(Handle h, long bankId) {
    BankService.requireLocal(h, bankId);
  }

  /** The rows in canonical form, null where a row is invalid (and its error added to {@code errors}). */
  private List<Checked> check(List<NewEntry> entries, List<RowError> errors) {
    List<Checked> rows = new ArrayList<>(entries.size());
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      NewEntry entry = entries.get(i);
      Checked row = null;
      if (entry == null) {
        errors.add(new RowError(i, null, "an entry is an object with signals"));
      } else {
        try {
          row = checkOne(entry);
        } catch (RequestException e) {
          errors.add(new RowError(i, e.field(), e.getMessage()));
        }
      }
      if (row != null) {
        for (Map.Entry<String, String> signal : row.signals().entrySet()) {
          Integer first = seen.putIfAbsent(BankedSignals.key(signal.getKey(), signal.getValue()), i);
          if (first != null) {
            errors.add(new RowError(i, "signals." + signal.getKey(),
                "signals." + signal.getKey() + ": the same " + signal.getKey() + " signal as entry " + first + " of this batch"));
            row = null;
            break;
          }
        }
      }
      rows.add(row);
    }
    return rows;
  }

  private Checked checkOne(NewEntry entry) {
    if (entry.signals() == null || entry.signals().isEmpty()) {
      throw RequestException.invalid("signals", "give at least one signal, e.g. {\"pdq\": \"<64 hex digits>\"}");
    }
    // Sorted by type, as a single create orders its signals (and so its change rows).
    Map<String, String> canonical = new TreeMap<>();
    VpdqSignal video = null;
    for (Map.Entry<String, String> signal : entry.signals().entrySet()) {
      String field = "signals." + signal.getKey();
      if (!signals.type(signal.getKey(), field).matchedByValue()) {
        // A video (frames in the reference text format) is stored as its frames; its signal is their identity.
        video = signals.parseVideo(signal.getValue(), field);
      }
      canonical.put(signal.getKey(), signals.bankable(signal.getKey(), signal.getValue(), field));
    }
    EntryValues.Split split = EntryValues.Split.of(signals, canonical);
    return new Checked(
        split.identities(),
        taxonomy.checkLabels(entry.labels(), "labels"),
        LabelTaxonomy.checkEntities(entry.entities(), "entities"),
        EntryService.note(entry.note()),
        EntryService.provenance(entry.provenance()),
        video,
        split.wholes(),
        null);
  }

  /** Rows with a signal the bank already has. */
  private static List<RowError> alreadyInBank(Handle h, long bankId, List<Checked> rows) {
    Map<String, Integer> rowOf = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      Checked row = rows.get(i);
      if (row != null) {
        for (Map.Entry<String, String> signal : row.signals().entrySet()) {
          rowOf.put(BankedSignals.key(signal.getKey(), signal.getValue()), i);
        }
      }
    }
    List<RowError> errors = new ArrayList<>();
    BankedSignals.in(h, bankId, rowOf.keySet()).forEach((key, banked) -> {
      String type = key.substring(0, key.indexOf('\n'));
      errors.add(new RowError(rowOf.get(key), "signals." + type,
          "bank " + bankId + " already has this " + type + " signal in entry " + banked.entryId()));
    });
    return errors;
  }

  /**
   * Writes checked, new entries of bank {@code bankId} in the caller's transaction, which holds the
   * change-log lock: their rows, frames, whole values and signals, and their signals' additions to
   * the change sequence as one block. Returns the new entries' ids in row order.
   *
   * @param createdBy the key that adds them, or null when the service itself does (an exchange)
   */
  static List<Long> write(Handle h, Long createdBy, long bankId, List<Checked> rows) {
    return write(h, createdBy, bankId, rows, null);
  }

  private static List<Long> write(Handle h, Long createdBy, long bankId, List<Checked> rows, List<Long> keptIds) {
    List<Long> ids = insertEntries(h, createdBy, bankId, rows, keptIds);
    insertVideos(h, rows, ids);
    insertWholes(h, rows, ids);
    insertSignals(h, bankId, rows, ids);
    return ids;
  }

  private static List<Long> insertEntries(Handle h, Long createdBy, long bankId, List<Checked> rows, List<Long> keptIds) {
    OffsetDateTime now = Clock.now(h);
    String idColumn = keptIds == null ? "" : "id, ";
    String idValue = keptIds == null ? "" : ":id, ";
    PreparedBatch batch = h.prepareBatch(
        "INSERT INTO entries (" + idColumn + "bank_id, labels, entities, note, provenance, origin, enabled, created_at, updated_at, created_by) "
            + "VALUES (" + idValue + ":bank, :labels, :entities, :note, :provenance, :origin, TRUE, :now, :now, :by)");
    for (int i = 0; i < rows.size(); i++) {
      Checked row = rows.get(i);
      if (keptIds != null) {
        batch.bind("id", keptIds.get(i));
      }
      batch.bind("bank", bankId)
          .bind("labels", JsonText.write(row.labels()))
          .bind("entities", JsonText.write(row.entities()))
          .bind("note", row.note())
          .bind("provenance", row.provenance())
          .bind("origin", row.origin())
          .bind("now", now)
          .bind("by", createdBy)
          .add();
    }
    List<Long> ids = batch.executePreparedBatch("id").mapTo(Long.class).list();
    if (ids.size() != rows.size()) {
      throw new IllegalStateException("the database returned " + ids.size() + " ids for " + rows.size() + " new entries");
    }
    return ids;
  }

  /** The frames of the video entries, where the indexes read them when the vpdq signal's change arrives. */
  private static void insertVideos(Handle h, List<Checked> rows, List<Long> ids) {
    PreparedBatch videos = h.prepareBatch(
        "INSERT INTO entry_videos (entry_id, frames, seconds, vpdq) VALUES (:entry, :frames, :seconds, :vpdq)");
    boolean any = false;
    for (int i = 0; i < rows.size(); i++) {
      VpdqSignal video = rows.get(i).video();
      if (video != null) {
        videos.bind("entry", ids.get(i)).bind("frames", video.frames().size()).bind("seconds", video.lastFrameSeconds())
            .bind("vpdq", VpdqBinary.encode(video)).add();
        any = true;
      }
    }
    if (any) {
      videos.execute();
    }
  }

  /** The whole values of types that keep an identity in entry_signals, where the indexes read them. */
  private static void insertWholes(Handle h, List<Checked> rows, List<Long> ids) {
    PreparedBatch wholes = EntryValues.batch(h);
    boolean any = false;
    for (int i = 0; i < rows.size(); i++) {
      for (Map.Entry<String, String> whole : rows.get(i).wholes().entrySet()) {
        EntryValues.add(wholes, ids.get(i), whole.getKey(), new EntryValues.Whole(whole.getValue(), null));
        any = true;
      }
    }
    if (any) {
      wholes.execute();
    }
  }

  /**
   * The entries' signals and their change rows, the latter appended as one block of the change
   * sequence ({@link ChangeLog#appendAll}).
   */
  private static void insertSignals(Handle h, long bankId, List<Checked> rows, List<Long> ids) {
    PreparedBatch signalRows = h.prepareBatch(
        "INSERT INTO entry_signals (entry_id, signal_type, signal_value, signal_hash) VALUES (:entry, :type, :value, :hash)");
    List<ChangeLog.EntrySignal> changes = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      for (Map.Entry<String, String> signal : rows.get(i).signals().entrySet()) {
        signalRows.bind("entry", ids.get(i)).bind("type", signal.getKey()).bind("value", signal.getValue())
            .bind("hash", BankedSignals.hash(signal.getKey(), signal.getValue())).add();
        changes.add(new ChangeLog.EntrySignal(ids.get(i), signal.getKey(), signal.getValue()));
      }
    }
    signalRows.execute();
    if (BankService.matchable(h, bankId)) {
      ChangeLog.appendAll(h, ChangeLog.Op.ADD, "entry_created", bankId, changes);
    }
  }

  /**
   * The audit record of a batch: how many entries, their ids as ranges (consecutive unless
   * another writer's entries fell in between) and how many signals of each type. The entries
   * themselves are in the entries table and the change sequence.
   */
  private static Map<String, Object> summary(List<Checked> rows, List<Long> ids) {
    List<long[]> ranges = new ArrayList<>();
    for (long id : ids) {
      long[] last = ranges.isEmpty() ? null : ranges.getLast();
      if (last != null && last[1] + 1 == id) {
        last[1] = id;
      } else {
        ranges.add(new long[] {id, id});
      }
    }
    Map<String, Integer> signalCounts = new TreeMap<>();
    for (Checked row : rows) {
      row.signals().keySet().forEach(type -> signalCounts.merge(type, 1, Integer::sum));
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("count", ids.size());
    summary.put("first_entry_id", ids.getFirst());
    summary.put("last_entry_id", ids.getLast());
    summary.put("entry_id_ranges", ranges);
    summary.put("signals", signalCounts);
    return summary;
  }
}
