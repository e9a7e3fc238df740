package org.countersignal.server.bank;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.countersignal.server.RequestException;
import org.countersignal.server.TextFields;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.signal.ServerSignalType;
import org.countersignal.server.signal.StoredValues;
import org.countersignal.server.signal.VideoSource;
import org.countersignal.server.store.ChangeLog;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.countersignal.signals.vpdq.VpdqBinary;
import org.countersignal.signals.vpdq.VpdqSignal;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Bank entries. Every change that makes a signal matchable or not (create, enable, disable,
 * delete) appends to the change sequence in the same transaction; the in-memory indexes learn of
 * it only from there.
 */
public final class EntryService {

  private static final int MAX_NOTE = 4000;
  private static final int MAX_PROVENANCE = 1000;
  private static final int MAX_REASON = 1000;

  private final Jdbi jdbi;
  private final SignalCatalog signals;
  private final LabelTaxonomy taxonomy;
  private final Runnable changesCommitted;

  public EntryService(Jdbi jdbi, SignalCatalog signals, LabelTaxonomy taxonomy, Runnable changesCommitted) {
    this.jdbi = jdbi;
    this.signals = signals;
    this.taxonomy = taxonomy;
    this.changesCommitted = changesCommitted;
  }

  public Entry create(Principal actor, long bankId, NewEntry request) {
    return create(actor, bankId, request, Map.of());
  }

  /**
   * Creates an entry from signals the service computed from content, with their qualities (type
   * to quality): a signal under the bank's quality floor for its type is refused (422 on
   * {@code body}, the content), as matching would never use it.
   */
  public Entry create(Principal actor, long bankId, NewEntry request, Map<String, Integer> qualities) {
    return create(actor, bankId, request, qualities, Map.of());
  }

  /**
   * As {@link #create(Principal, long, NewEntry, Map)}, with where the parts of each computed
   * value lie in its content (type to JSON; a text's word offsets and pages), kept with the
   * value so a match can say which part of the banked content it hit.
   */
  public Entry create(Principal actor, long bankId, NewEntry request, Map<String, Integer> qualities,
      Map<String, String> locations) {
    return create(actor, bankId, request, qualities, locations, (h, entry) -> {});
  }

  /**
   * As {@link #create(Principal, long, NewEntry)}, with {@code alongside} run in the same
   * transaction once the entry is made (a proposal marked accepted): both happen or neither.
   */
  public Entry create(Principal actor, long bankId, NewEntry request, java.util.function.BiConsumer<Handle, Entry> alongside) {
    return create(actor, bankId, request, Map.of(), Map.of(), alongside);
  }

  private Entry create(Principal actor, long bankId, NewEntry request, Map<String, Integer> qualities,
      Map<String, String> locations, java.util.function.BiConsumer<Handle, Entry> alongside) {
    if (!qualities.isEmpty()) {
      // First: content under the floor is refused as such, before its hashes are looked at.
      checkQualities(jdbi.withHandle(h -> BankService.find(h, bankId)).orElseThrow(() -> RequestException.notFound("bank", bankId)),
          qualities);
    }
    EntryValues.Split split = EntryValues.Split.of(signals, canonicalSignals(request.signals()));
    Map<String, String> canonical = split.identities();
    String videoType = signals.video().name();
    VpdqSignal video = canonical.containsKey(videoType)
        ? signals.parseVideo(request.signals().get(videoType), "signals." + videoType)
        : null;
    List<String> labels = taxonomy.checkLabels(request.labels(), "labels");
    List<String> entities = LabelTaxonomy.checkEntities(request.entities(), "entities");
    String note = note(request.note());
    String provenance = provenance(request.provenance());
    Entry created = jdbi.inTransaction(h -> {
      ChangeLog.lockForWriting(h); // first: see ChangeLog
      BankService.requireLocal(h, bankId);
      boolean matchable = BankService.matchable(h, bankId);
      for (Map.Entry<String, String> signal : canonical.entrySet()) {
        Optional<Long> existing = h.createQuery(
                "SELECT e.id FROM entry_signals s JOIN entries e ON e.id = s.entry_id "
                    + "WHERE e.bank_id = :bank AND s.signal_hash = :hash AND s.signal_type = :type AND s.signal_value = :value")
            .bind("bank", bankId)
            .bind("hash", BankedSignals.hash(signal.getKey(), signal.getValue()))
            .bind("type", signal.getKey())
            .bind("value", signal.getValue())
            .mapTo(Long.class)
            .findFirst();
        if (existing.isPresent()) {
          throw new RequestException(RequestException.Kind.CONFLICT, "signals." + signal.getKey(),
              "bank " + bankId + " already has this " + signal.getKey() + " signal in entry " + existing.get());
        }
      }
      OffsetDateTime now = Clock.now(h);
      long id = h.createUpdate(
              "INSERT INTO entries (bank_id, labels, entities, note, provenance, enabled, created_at, updated_at, created_by) "
                  + "VALUES (:bank, :labels, :entities, :note, :provenance, TRUE, :now, :now, :by)")
          .bind("bank", bankId)
          .bind("labels", JsonText.write(labels))
          .bind("entities", JsonText.write(entities))
          .bind("note", note)
          .bind("provenance", provenance)
          .bind("now", now)
          .bind("by", actor.keyId())
          .executeAndReturnGeneratedKeys("id")
          .mapTo(Long.class)
          .one();
      if (video != null) {
        h.createUpdate("INSERT INTO entry_videos (entry_id, frames, seconds, vpdq) VALUES (:entry, :frames, :seconds, :vpdq)")
            .bind("entry", id)
            .bind("frames", video.frames().size())
            .bind("seconds", video.lastFrameSeconds())
            .bind("vpdq", VpdqBinary.encode(video))
            .execute();
      }
      if (!split.wholes().isEmpty()) {
        var batch = EntryValues.batch(h);
        split.wholes().forEach((type, whole) -> EntryValues.add(batch, id, type, new EntryValues.Whole(whole, locations.get(type))));
        batch.execute();
      }
      for (Map.Entry<String, String> signal : canonical.entrySet()) {
        h.createUpdate("INSERT INTO entry_signals (entry_id, signal_type, signal_value, signal_hash) VALUES (:entry, :type, :value, :hash)")
            .bind("entry", id)
            .bind("hash", BankedSignals.hash(signal.getKey(), signal.getValue()))
            .bind("type", signal.getKey())
            .bind("value", signal.getValue())
            .execute();
        if (matchable) {
          ChangeLog.append(h, ChangeLog.Op.ADD, "entry_created", bankId, id, signal.getKey(), signal.getValue());
        }
      }
      Entry entry = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "entry.created", "entry", id, null, entry);
      alongside.accept(h, entry);
      return entry;
    });
    changesCommitted.run();
    return created;
  }

  /**
   * Checks what an entry made later (from a video still to be hashed) will carry besides its
   * signals: the bank exists, labels, entities, note and provenance are acceptable.
   */
  public void checkDetails(long bankId, NewEntry details) {
    taxonomy.checkLabels(details.labels(), "labels");
    LabelTaxonomy.checkEntities(details.entities(), "entities");
    note(details.note());
    provenance(details.provenance());
    jdbi.useHandle(h -> BankService.find(h, bankId).orElseThrow(() -> RequestException.notFound("bank", bankId)));
  }

  /** A video entry's frame hashes; 404 for an entry that is not a video. */
  public VpdqSignal frames(long id) {
    return jdbi.withHandle(h -> videoOf(h, id)).orElseThrow(() -> RequestException.notFound("video entry", id));
  }

  /** Where the video index reads banked videos' frames: this package's {@code entry_videos}. */
  public static VideoSource videos(Jdbi jdbi) {
    return new VideoSource() {
      @Override
      public Optional<VpdqSignal> frames(long entryId) {
        return jdbi.withHandle(h -> videoOf(h, entryId));
      }

      @Override
      public void forEachEnabled(java.util.function.BiConsumer<Long, VpdqSignal> video) {
        jdbi.useHandle(h -> h.createQuery("SELECT v.entry_id, v.vpdq FROM entry_videos v JOIN entries e ON e.id = v.entry_id"
                + " WHERE e.enabled = TRUE")
            .map((rs, ctx) -> java.util.Map.entry(rs.getLong(1), rs.getBytes(2)))
            .forEach(row -> video.accept(row.getKey(), VpdqBinary.decode(row.getValue()))));
      }
    };
  }

  /** Where the indexes read the whole values of types with short identities: this package's {@code entry_values}. */
  public static StoredValues values(Jdbi jdbi) {
    return EntryValues.of(jdbi);
  }

  /**
   * Entry {@code id}'s whole {@code type} value, which its signals show by identity (a text's
   * sketches); the value itself for a type whose identity is its value. 404 when it has none.
   */
  public String wholeValue(long id, String type) {
    return jdbi.withHandle(h -> EntryValues.find(h, id, type).map(EntryValues.Whole::signal)
            .or(() -> Optional.ofNullable(signalsOf(h, id).get(type))))
        .orElseThrow(() -> RequestException.notFound(type + " signal of entry", id));
  }

  /**
   * Where the parts of the {@code type} values of entries {@code ids} lie in their content (JSON),
   * by entry id, for those the service computed from content.
   */
  public Map<Long, String> locations(Collection<Long> ids, String type) {
    return jdbi.withHandle(h -> EntryValues.locations(h, ids, type));
  }

  /** The frames of video entry {@code id}, if it is one (and still exists). */
  public static Optional<VpdqSignal> videoOf(Handle h, long id) {
    return h.createQuery("SELECT vpdq FROM entry_videos WHERE entry_id = :id")
        .bind("id", id)
        .map((rs, ctx) -> VpdqBinary.decode(rs.getBytes(1)))
        .findOne();
  }

  public Entry get(long id) {
    return jdbi.withHandle(h -> find(h, id)).orElseThrow(() -> RequestException.notFound("entry", id));
  }

  /** Entries of a bank with {@code id > after}, in id order. */
  public EntryPage list(long bankId, long after, int limit) {
    return search(new EntryFilter(bankId, null, null, null, null, null), after, limit);
  }

  /**
   * A page of the entries that pass {@code filter}, in id order. Every condition given must hold;
   * the signal is compared in its canonical form, so any spelling of a hash finds its entry.
   */
  public EntryPage search(EntryFilter filter, long after, int limit) {
    String signal = null;
    if (filter.signal() != null || filter.signalType() != null) {
      if (filter.signal() == null || filter.signalType() == null) {
        throw RequestException.invalid("signal", "give signal_type and signal together");
      }
      signal = signals.identity(filter.signalType(), signals.canonical(filter.signalType(), filter.signal(), "signal"));
    }
    StringBuilder where = new StringBuilder("id > :after");
    if (filter.bankId() != null) {
      where.append(" AND bank_id = :bank");
    }
    whereAttributes(where, filter);
    if (signal != null) {
      where.append(" AND EXISTS (SELECT 1 FROM entry_signals s WHERE s.entry_id = entries.id"
          + " AND s.signal_hash = :hash AND s.signal_type = :type AND s.signal_value = :value)");
    }
    String value = signal;
    return jdbi.withHandle(h -> {
      if (filter.bankId() != null) {
        BankService.find(h, filter.bankId()).orElseThrow(() -> RequestException.notFound("bank", filter.bankId()));
      }
      var query = h.createQuery("SELECT * FROM entries WHERE " + where + " ORDER BY id FETCH FIRST :limit ROWS ONLY")
          .bind("after", after)
          .bind("limit", limit + 1);
      if (filter.bankId() != null) {
        query.bind("bank", filter.bankId());
      }
      bindAttributes(query, filter);
      if (value != null) {
        query.bind("type", filter.signalType()).bind("value", value).bind("hash", BankedSignals.hash(filter.signalType(), value));
      }
      return page(h, query.map((rs, ctx) -> map(rs, Map.of())).list(), limit, null);
    });
  }

  /**
   * A page of a bank's entries for a person browsing it: {@code filter} as in
   * {@link #search}, except that a signal type alone keeps the entries holding a signal of that
   * type, and {@code text} (when not blank) keeps those whose note or provenance contains it or
   * one of whose signal values starts with it, ignoring case.
   *
   * <p>A filter the indexes cannot answer (a text, a label, a state) would read every entry of a
   * bank of a million to fill a page of rare matches, so such a page looks at no more than
   * {@code window} entries after {@code after}: it may hold fewer than {@code limit} entries, and
   * {@code nextAfter} then says where the next look starts. A whole signal is looked up by its
   * index and needs no window.
   */
  public EntryPage browse(EntryFilter filter, String text, long after, int limit, int window) {
    if (filter.bankId() == null) {
      throw RequestException.invalid("bank", "browsing is by bank");
    }
    String type = filter.signalType();
    if (type != null) {
      signals.type(type, "signal_type");
    }
    String needle = text == null || text.isBlank() ? null : text.strip().toLowerCase(java.util.Locale.ROOT);
    if (filter.signal() != null) {
      EntryPage exact = search(filter, after, limit);
      if (needle == null) {
        return exact;
      }
      List<Entry> kept = exact.items().stream().filter(e -> mentions(e, needle)).toList();
      return new EntryPage(kept, exact.nextAfter());
    }
    boolean narrowed = needle != null || type != null || filter.label() != null || filter.entity() != null || filter.enabled() != null;
    return jdbi.withHandle(h -> {
      BankService.find(h, filter.bankId()).orElseThrow(() -> RequestException.notFound("bank", filter.bankId()));
      // The window's end: the id of the window-th entry after the cursor, read along the (bank_id, id) index.
      Long upto = !narrowed ? null : h.createQuery("SELECT id FROM entries WHERE bank_id = :bank AND id > :after ORDER BY bank_id, id "
              + "OFFSET :skip ROWS FETCH FIRST 1 ROWS ONLY")
          .bind("bank", filter.bankId()).bind("after", after).bind("skip", window - 1)
          .mapTo(Long.class).findOne().orElse(null);
      StringBuilder where = new StringBuilder("bank_id = :bank AND id > :after");
      if (upto != null) {
        where.append(" AND id <= :upto");
      }
      whereAttributes(where, filter);
      if (type != null) {
        where.append(" AND EXISTS (SELECT 1 FROM entry_signals s WHERE s.entry_id = entries.id AND s.signal_type = :type)");
      }
      if (needle != null) {
        where.append(" AND (LOWER(note) LIKE :text ESCAPE '!' OR LOWER(provenance) LIKE :text ESCAPE '!'"
            + " OR EXISTS (SELECT 1 FROM entry_signals s WHERE s.entry_id = entries.id AND LOWER(s.signal_value) LIKE :prefix ESCAPE '!'))");
      }
      var query = h.createQuery("SELECT * FROM entries WHERE " + where + " ORDER BY bank_id, id FETCH FIRST :limit ROWS ONLY")
          .bind("bank", filter.bankId())
          .bind("after", after)
          .bind("limit", limit + 1);
      if (upto != null) {
        query.bind("upto", upto);
      }
      bindAttributes(query, filter);
      if (type != null) {
        query.bind("type", type);
      }
      if (needle != null) {
        query.bind("text", "%" + likeLiteral(needle) + "%").bind("prefix", likeLiteral(needle) + "%");
      }
      // A full page goes on after its last entry; a window that ran out, after the window.
      return page(h, query.map((rs, ctx) -> map(rs, Map.of())).list(), limit, upto);
    });
  }

  /**
   * The conditions on an entry's own columns that {@link #search} and {@link #browse} share.
   * Labels and entities are stored as JSON arrays of strings: an element is its JSON text, quotes
   * included, so a LIKE on that text matches whole elements only.
   */
  private static void whereAttributes(StringBuilder where, EntryFilter filter) {
    if (filter.enabled() != null) {
      where.append(" AND enabled = :enabled");
    }
    if (filter.label() != null) {
      where.append(" AND labels LIKE :label ESCAPE '!'");
    }
    if (filter.entity() != null) {
      where.append(" AND entities LIKE :entity ESCAPE '!'");
    }
  }

  private static void bindAttributes(Query query, EntryFilter filter) {
    if (filter.enabled() != null) {
      query.bind("enabled", filter.enabled());
    }
    if (filter.label() != null) {
      query.bind("label", "%" + likeLiteral(JsonText.write(filter.label())) + "%");
    }
    if (filter.entity() != null) {
      query.bind("entity", "%" + likeLiteral(JsonText.write(filter.entity().strip())) + "%");
    }
  }

  /**
   * A page of the first {@code limit} of {@code rows} (read one past the limit), with their
   * signals and opinions; it goes on after its last entry when more were read, else from
   * {@code nextWhenShort} (null: the end).
   */
  private static EntryPage page(Handle h, List<Entry> rows, int limit, Long nextWhenShort) {
    List<Entry> kept = rows.subList(0, Math.min(limit, rows.size()));
    Map<Long, EntryOpinions> opinions = EntryOpinions.of(h, kept.stream().map(Entry::id).toList());
    List<Entry> page = new ArrayList<>();
    for (Entry row : kept) {
      page.add(withOpinions(withSignals(row, signalsOf(h, row.id())), opinions.getOrDefault(row.id(), EntryOpinions.NONE)));
    }
    return new EntryPage(page, rows.size() > limit ? Long.valueOf(page.getLast().id()) : nextWhenShort);
  }

  private static boolean mentions(Entry entry, String needle) {
    return entry.note() != null && entry.note().toLowerCase(java.util.Locale.ROOT).contains(needle)
        || entry.provenance() != null && entry.provenance().toLowerCase(java.util.Locale.ROOT).contains(needle)
        || entry.signals().values().stream().anyMatch(v -> v.toLowerCase(java.util.Locale.ROOT).startsWith(needle));
  }

  /** Stops an entry matching, e.g. as a false positive. Disabling a disabled entry updates the reason. */
  public Entry disable(Principal actor, long id, String reason, String until) {
    return disable(actor, id, reason, until, h -> {});
  }

  /**
   * As {@link #disable(Principal, long, String, String)}, with {@code alongside} run in the same
   * transaction once the entry is disabled: another package's writes that must commit with the
   * disable or not at all (a refusal there undoes the disable).
   */
  public Entry disable(Principal actor, long id, String reason, String until, java.util.function.Consumer<Handle> alongside) {
    String why = TextFields.paragraphs(checkLength(reason, "reason", MAX_REASON), "reason");
    if (why == null || why.isBlank()) {
      throw RequestException.invalid("reason", "say why the entry is disabled");
    }
    OffsetDateTime untilTime = parseTime(until, "until");
    if (untilTime != null && !untilTime.isAfter(Clock.now(jdbi))) {
      throw RequestException.invalid("until", "must be in the future (leave it out to disable until enabled by hand)");
    }
    Entry result = jdbi.inTransaction(h -> {
      ChangeLog.lockForWriting(h); // first: see ChangeLog
      Entry before = find(h, id).orElseThrow(() -> RequestException.notFound("entry", id));
      Entry after = disableIn(h, before, why, untilTime, actor.keyId(), "entry.disabled");
      alongside.accept(h);
      return after;
    });
    changesCommitted.run();
    return result;
  }

  /**
   * Disables {@code before} with {@code why} in the caller's transaction, which took the
   * change-log lock first; audited as {@code action}. The caller runs the indexes' catch-up once
   * it commits.
   */
  static Entry disableIn(Handle h, Entry before, String why, OffsetDateTime until, Long actorKeyId, String action) {
    // Only the transaction that turns the row from enabled to disabled appends the removals.
    int turnedOff = h.createUpdate(
            "UPDATE entries SET enabled = FALSE, disabled_reason = :reason, disabled_until = :until, updated_at = :now "
                + "WHERE id = :id AND enabled = TRUE")
        .bind("reason", why)
        .bind("until", until)
        .bind("now", Clock.now(h))
        .bind("id", before.id())
        .execute();
    if (turnedOff == 0) {
      h.createUpdate("UPDATE entries SET disabled_reason = :reason, disabled_until = :until, updated_at = :now WHERE id = :id")
          .bind("reason", why)
          .bind("until", until)
          .bind("now", Clock.now(h))
          .bind("id", before.id())
          .execute();
    } else {
      appendAll(h, ChangeLog.Op.REMOVE, "entry_disabled", before);
    }
    Entry after = find(h, before.id()).orElseThrow();
    AuditLog.append(h, actorKeyId, action, "entry", before.id(), before, after);
    return after;
  }

  public Entry enable(Principal actor, long id) {
    Entry result = jdbi.inTransaction(h -> {
      Entry before = find(h, id).orElseThrow(() -> RequestException.notFound("entry", id));
      return enableIn(h, before, actor.keyId(), "entry_enabled", "entry.enabled").orElse(before);
    });
    changesCommitted.run();
    return result;
  }

  /**
   * Enables every entry whose {@code disabled_until} is at or before {@code now}; returns how
   * many. Audited as done by the server itself (no key), action {@code entry.disable_expired}.
   */
  public int enableExpired(OffsetDateTime now) {
    // Bounded below as well: H2 keeps NULLs first in the index and "IS NOT NULL" does not move
    // the start of its scan, so "<= :now" alone walked every entry without a date (all but a
    // few) every ten seconds, a million rows read back for a bank of a million.
    List<Long> due = jdbi.withHandle(h -> h.createQuery(
            "SELECT id FROM entries WHERE enabled = FALSE AND disabled_until > :epoch AND disabled_until <= :now ORDER BY id")
        .bind("epoch", Instant.EPOCH.atOffset(java.time.ZoneOffset.UTC))
        .bind("now", now)
        .mapTo(Long.class)
        .list());
    int enabled = 0;
    for (long id : due) {
      boolean done = jdbi.inTransaction(h -> find(h, id)
          .filter(e -> e.disabledUntil() != null && !Instant.parse(e.disabledUntil()).isAfter(now.toInstant()))
          .flatMap(before -> enableIn(h, before, null, "entry_disable_expired", "entry.disable_expired"))
          .isPresent());
      if (done) {
        enabled++;
      }
    }
    if (enabled > 0) {
      changesCommitted.run();
    }
    return enabled;
  }

  /**
   * Enables {@code before} unless it is already enabled. The conditional update makes this safe
   * when two processes try at once: only the one whose update changes the row appends changes.
   */
  private static Optional<Entry> enableIn(Handle h, Entry before, Long actorKeyId, String cause, String action) {
    ChangeLog.lockForWriting(h); // before the row lock: see ChangeLog
    int updated = h.createUpdate(
            "UPDATE entries SET enabled = TRUE, disabled_reason = NULL, disabled_until = NULL, updated_at = :now "
                + "WHERE id = :id AND enabled = FALSE")
        .bind("now", Clock.now(h))
        .bind("id", before.id())
        .execute();
    if (updated == 0) {
      return Optional.empty();
    }
    if (BankService.matchable(h, before.bankId())) {
      appendAll(h, ChangeLog.Op.ADD, cause, before);
    }
    Entry after = find(h, before.id()).orElseThrow();
    AuditLog.append(h, actorKeyId, action, "entry", before.id(), before, after);
    return Optional.of(after);
  }

  /** The entry with {@code id}, if there is one. */
  public Optional<Entry> find(long id) {
    return jdbi.withHandle(h -> find(h, id));
  }

  /** The bank of each of {@code ids} that is an entry. */
  public Map<Long, Long> banksOf(Collection<Long> ids) {
    Map<Long, Long> banks = new java.util.HashMap<>();
    if (ids.isEmpty()) {
      return banks;
    }
    jdbi.useHandle(h -> h.createQuery("SELECT id, bank_id FROM entries WHERE id IN (<ids>)").bindList("ids", List.copyOf(ids))
        .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getLong("bank_id")))
        .forEach(e -> banks.put(e.getKey(), e.getValue())));
    return banks;
  }

  /** Replaces an entry's note (null removes it); audited. The note travels with no change to its signals. */
  public Entry setNote(Principal actor, long id, String text) {
    String note = note(text);
    return jdbi.inTransaction(h -> {
      Entry before = find(h, id).orElseThrow(() -> RequestException.notFound("entry", id));
      h.createUpdate("UPDATE entries SET note = :note, updated_at = :at WHERE id = :id")
          .bind("note", note).bind("at", Clock.now(h)).bind("id", id).execute();
      Entry after = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "entry.note_changed", "entry", id, before, after);
      return after;
    });
  }

  public void delete(Principal actor, long id) {
    jdbi.useTransaction(h -> {
      ChangeLog.lockForWriting(h); // first: see ChangeLog
      Entry before = find(h, id).orElseThrow(() -> RequestException.notFound("entry", id));
      if (before.enabled()) {
        appendAll(h, ChangeLog.Op.REMOVE, "entry_deleted", before);
      }
      h.createUpdate("DELETE FROM entry_signals WHERE entry_id = :id").bind("id", id).execute();
      h.createUpdate("DELETE FROM entries WHERE id = :id").bind("id", id).execute();
      AuditLog.append(h, actor.keyId(), "entry.deleted", "entry", id, before, null);
    });
    changesCommitted.run();
  }

  private static void appendAll(Handle h, ChangeLog.Op op, String cause, Entry entry) {
    for (Map.Entry<String, String> signal : entry.signals().entrySet()) {
      ChangeLog.append(h, op, cause, entry.bankId(), entry.id(), signal.getKey(), signal.getValue());
    }
  }

  private Map<String, String> canonicalSignals(Map<String, String> given) {
    if (given == null || given.isEmpty()) {
      throw RequestException.invalid("signals", "give at least one signal, e.g. {\"pdq\": \"<64 hex digits>\"}");
    }
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> signal : given.entrySet()) {
      String field = "signals." + signal.getKey();
      out.put(signal.getKey(), signals.bankable(signal.getKey(), signal.getValue(), field));
    }
    return out;
  }

  private void checkQualities(Bank bank, Map<String, Integer> qualities) {
    for (Map.Entry<String, Integer> quality : qualities.entrySet()) {
      ServerSignalType.BankSetting floor = signals.type(quality.getKey(), "body").qualityFloor();
      if (floor != null && quality.getValue() < SignalCatalog.setting(bank.thresholds(), floor)) {
        throw RequestException.invalid("body", "the content's " + quality.getKey() + " hash has quality " + quality.getValue()
            + ", under this bank's floor of " + SignalCatalog.setting(bank.thresholds(), floor) + " (thresholds."
            + floor.name() + "): it would never match, so it is not banked; bank the content's digests on their own if"
            + " the very same file should match");
      }
    }
  }

  static Optional<Entry> find(Handle h, long id) {
    return h.createQuery("SELECT * FROM entries WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> map(rs, Map.of()))
        .findOne()
        .map(e -> withSignals(e, signalsOf(h, id)))
        .map(e -> withOpinions(e, EntryOpinions.of(h, List.of(id)).getOrDefault(id, EntryOpinions.NONE)));
  }

  private static String likeLiteral(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  private static Map<String, String> signalsOf(Handle h, long entryId) {
    Map<String, String> out = new LinkedHashMap<>();
    h.createQuery("SELECT signal_type, signal_value FROM entry_signals WHERE entry_id = :id ORDER BY signal_type")
        .bind("id", entryId)
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private static Entry withSignals(Entry e, Map<String, String> signals) {
    return new Entry(e.id(), e.bankId(), signals, e.labels(), e.entities(), e.note(), e.provenance(), e.origin(), e.enabled(),
        e.disabledReason(), e.disabledUntil(), e.createdAt(), e.updatedAt(), e.createdBy(), e.opinions());
  }

  private static Entry withOpinions(Entry e, EntryOpinions opinions) {
    return new Entry(e.id(), e.bankId(), e.signals(), e.labels(), e.entities(), e.note(), e.provenance(), e.origin(), e.enabled(),
        e.disabledReason(), e.disabledUntil(), e.createdAt(), e.updatedAt(), e.createdBy(), opinions);
  }

  static Entry map(ResultSet rs, Map<String, String> signals) throws SQLException {
    return new Entry(
        rs.getLong("id"),
        rs.getLong("bank_id"),
        signals,
        JsonText.stringList(rs.getString("labels")),
        JsonText.stringList(rs.getString("entities")),
        rs.getString("note"),
        rs.getString("provenance"),
        rs.getString("origin"),
        rs.getBoolean("enabled"),
        rs.getString("disabled_reason"),
        Clock.text(rs.getObject("disabled_until", OffsetDateTime.class)),
        Clock.text(rs.getObject("created_at", OffsetDateTime.class)),
        Clock.text(rs.getObject("updated_at", OffsetDateTime.class)),
        rs.getObject("created_by", Long.class),
        EntryOpinions.NONE);
  }

  /** An entry's note: free text of several lines (also what a batch import checks). */
  static String note(String text) {
    return TextFields.paragraphs(checkLength(text, "note", MAX_NOTE), "note");
  }

  /** Where an entry came from: one line. */
  static String provenance(String text) {
    return TextFields.line(checkLength(text, "provenance", MAX_PROVENANCE), "provenance");
  }

  private static String checkLength(String text, String field, int max) {
    if (text != null && text.length() > max) {
      throw RequestException.invalid(field, "at most " + max + " characters");
    }
    return text;
  }

  private static OffsetDateTime parseTime(String text, String field) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Clock.utc(Instant.parse(text.strip()));
    } catch (DateTimeParseException e) {
      throw RequestException.invalid(field, "an ISO-8601 instant such as 2026-12-01T00:00:00Z");
    }
  }
}
