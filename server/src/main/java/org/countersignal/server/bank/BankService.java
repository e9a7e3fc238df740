package org.countersignal.server.bank;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.countersignal.server.RequestException;
import org.countersignal.server.TextFields;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;
import org.countersignal.server.store.ChangeLog;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Banks: named lists of known signals with labels, thresholds and an on/off switch. */
public final class BankService {

  private static final int MAX_NAME = 200;
  private static final int MAX_DESCRIPTION = 2000;
  /** The most disputing peers a bank may wait for: far more than any bank has. */
  private static final int MAX_DISPUTED_BY = 10_000;

  private final Jdbi jdbi;
  private final SignalCatalog signals;
  private final LabelTaxonomy taxonomy;
  private final Runnable changesCommitted;
  private final List<Runnable> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** @param changesCommitted called after a transaction that appended signal changes commits */
  public BankService(Jdbi jdbi, SignalCatalog signals, LabelTaxonomy taxonomy, Runnable changesCommitted) {
    this.jdbi = jdbi;
    this.signals = signals;
    this.taxonomy = taxonomy;
    this.changesCommitted = changesCommitted;
  }

  /**
   * Has {@code listener} run after each committed creation, change or deletion of a bank made
   * here: for whoever keeps the banks' rows (matching reads them for every lookup).
   */
  public void onChanged(Runnable listener) {
    changeListeners.add(listener);
  }

  private void changed() {
    changeListeners.forEach(Runnable::run);
  }

  public Bank create(Principal actor, BankChanges request) {
    return jdbi.inTransaction(h -> create(h, actor, request));
  }

  /** Makes a bank in the caller's transaction (an incident makes its bank with itself). */
  public Bank create(Handle h, Principal actor, BankChanges request) {
    String name = checkName(request.name());
    String description = checkDescription(request.description());
    List<String> labels = taxonomy.checkLabels(request.labels(), "labels");
    List<String> entities = LabelTaxonomy.checkEntities(request.entities(), "entities");
    Map<String, Integer> thresholds = mergeThresholds(defaultThresholds(), request.thresholds());
    boolean enabled = request.enabled() == null || request.enabled();
    Sharing sharing = request.sharing() == null ? Sharing.AMBER : sharing(request.sharing());
    // A coordinator sets its incident's level: how far the incident goes is its call.
    if (sharing != Sharing.AMBER && actor.role() != Role.ADMIN && actor.role() != Role.COORDINATOR) {
      throw new RequestException(RequestException.Kind.FORBIDDEN, "sharing", "only an admin key sets a bank's sharing level");
    }
    Integer disputedBy = disputedBy(request.disableWhenDisputedBy());
    BankPurpose purpose = request.purpose() == null ? BankPurpose.MATCH : purpose(request.purpose());
    boolean floodGuard = request.floodGuard() == null || request.floodGuard();
    requireNameFree(h, name, -1);
    OffsetDateTime now = Clock.now(h);
    long id = h.createUpdate(
            "INSERT INTO banks (name, description, labels, entities, thresholds, enabled, sharing, disable_when_disputed_by, "
                + "purpose, flood_guard, created_at, updated_at) "
                + "VALUES (:name, :description, :labels, :entities, :thresholds, :enabled, :sharing, :disputedBy, :purpose, :floodGuard, "
                + ":now, :now)")
        .bindMap(columns(name, description, labels, entities, thresholds, enabled))
        .bind("sharing", sharing.wireName())
        .bind("disputedBy", disputedBy)
        .bind("purpose", purpose.wireName())
        .bind("floodGuard", floodGuard)
        .bind("now", now)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
    Bank bank = find(h, id).orElseThrow();
    AuditLog.append(h, actor.keyId(), "bank.created", "bank", id, null, bank);
    h.afterCommit(this::changed);
    return bank;
  }

  /** The bank's own columns, as both the insert and the update write them. */
  private static Map<String, Object> columns(String name, String description, List<String> labels,
      List<String> entities, Map<String, Integer> thresholds, boolean enabled) {
    return Map.of(
        "name", name,
        "description", description,
        "labels", JsonText.write(labels),
        "entities", JsonText.write(entities),
        "thresholds", JsonText.write(thresholds),
        "enabled", enabled);
  }

  public List<Bank> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM banks ORDER BY id").map((rs, ctx) -> map(rs)).list());
  }

  public Bank get(long id) {
    return jdbi.withHandle(h -> find(h, id)).orElseThrow(() -> RequestException.notFound("bank", id));
  }

  /**
   * Changes the fields {@code request} gives. A {@code disable_when_disputed_by} set where there was
   * none, or lowered, at once switches off the entries already disputed by that many peers.
   */
  public Bank update(Principal actor, long id, BankChanges request) {
    boolean disputedByGiven = request.disableWhenDisputedBy() != null;
    Integer disputedBy = disputedBy(request.disableWhenDisputedBy());
    boolean[] entriesDisabled = {false};
    boolean[] switched = {false};
    Bank updated = jdbi.inTransaction(h -> {
      if (disputedByGiven || request.enabled() != null) {
        // First: see ChangeLog (a lower setting may disable entries; switching the bank adds or removes them all).
        ChangeLog.lockForWriting(h);
      }
      Bank before = find(h, id).orElseThrow(() -> RequestException.notFound("bank", id));
      String name = request.name() == null ? before.name() : checkName(request.name());
      if (!name.equals(before.name())) {
        requireNameFree(h, name, id);
      }
      String description = request.description() == null ? before.description() : checkDescription(request.description());
      List<String> labels = request.labels() == null ? before.labels() : taxonomy.checkLabels(request.labels(), "labels");
      List<String> entities =
          request.entities() == null ? before.entities() : LabelTaxonomy.checkEntities(request.entities(), "entities");
      Map<String, Integer> thresholds = mergeThresholds(before.thresholds(), request.thresholds());
      boolean enabled = request.enabled() == null ? before.enabled() : request.enabled();
      String sharing = null; // null: unchanged
      if (request.sharing() != null) {
        String stored = h.createQuery("SELECT sharing FROM banks WHERE id = :id").bind("id", id).mapTo(String.class).one();
        // How far entries travel to other organisations is an admin's decision, as publishing is.
        if (actor.role() != Role.ADMIN && !request.sharing().strip().equals(stored)) {
          throw new RequestException(RequestException.Kind.FORBIDDEN, "sharing", "only an admin key changes a bank's sharing level");
        }
        Sharing asked = sharing(request.sharing());
        Sharing received = before.receivedSharing() == null ? Sharing.RED : Sharing.fromWire(before.receivedSharing());
        if (before.follows() != null && asked.compareTo(received) > 0) {
          throw RequestException.invalid("sharing", "bank " + id + " holds entries its source shared at "
              + received.wireName() + "; they cannot be shared wider here");
        }
        sharing = asked.wireName();
      }
      Integer threshold = disputedByGiven ? disputedBy : before.disableWhenDisputedBy();
      String purpose = request.purpose() == null ? before.purpose() : purpose(request.purpose()).wireName();
      boolean floodGuard = request.floodGuard() == null ? before.floodGuard() : request.floodGuard();
      h.createUpdate(
              "UPDATE banks SET name = :name, description = :description, labels = :labels, entities = :entities, "
                  + "thresholds = :thresholds, enabled = :enabled, sharing = COALESCE(:sharing, sharing), "
                  + "disable_when_disputed_by = :disputedBy, purpose = :purpose, flood_guard = :floodGuard, updated_at = :now WHERE id = :id")
          .bindMap(columns(name, description, labels, entities, thresholds, enabled))
          .bind("sharing", sharing)
          .bind("disputedBy", threshold)
          .bind("purpose", purpose)
          .bind("floodGuard", floodGuard)
          .bind("now", Clock.now(h))
          .bind("id", id)
          .execute();
      Bank after = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "bank.updated", "bank", id, before, after);
      if (before.enabled() != enabled) {
        switchEntries(h, id, enabled);
        switched[0] = true;
      }
      boolean lowered = threshold != null && (before.disableWhenDisputedBy() == null || threshold < before.disableWhenDisputedBy());
      if (lowered) {
        entriesDisabled[0] = !DisputedEntries.disable(h, id, null, actor.keyId()).isEmpty();
      }
      return after;
    });
    changed();
    if (entriesDisabled[0] || switched[0]) {
      changesCommitted.run();
    }
    return updated;
  }

  /**
   * Whether bank {@code id}'s enabled entries are in the change sequence as matchable: only while
   * the bank is enabled. An entry made or enabled in a disabled bank waits for the bank.
   */
  static boolean matchable(Handle h, long id) {
    return h.createQuery("SELECT enabled FROM banks WHERE id = :id").bind("id", id).mapTo(Boolean.class).findOne().orElse(false);
  }

  /**
   * Adds to the change sequence every signal of the bank's enabled entries as matchable again,
   * or as no longer matchable: so the indexes, the replicas and the subscribers of the bank's
   * feeds (whose copies would otherwise go on matching) all follow a bank switched off or on.
   */
  private static void switchEntries(Handle h, long id, boolean enabled) {
    ChangeLog.appendAll(h, enabled ? ChangeLog.Op.ADD : ChangeLog.Op.REMOVE, enabled ? "bank_enabled" : "bank_disabled", id,
        enabledSignals(h, id));
  }

  /** Every signal of bank {@code id}'s enabled entries, in entry order. */
  private static List<ChangeLog.EntrySignal> enabledSignals(Handle h, long id) {
    return h.createQuery(
            "SELECT s.entry_id, s.signal_type, s.signal_value FROM entry_signals s JOIN entries e ON e.id = s.entry_id "
                + "WHERE e.bank_id = :bank AND e.enabled = TRUE ORDER BY s.entry_id, s.signal_type")
        .bind("bank", id)
        .map((rs, ctx) -> new ChangeLog.EntrySignal(rs.getLong(1), rs.getString(2), rs.getString(3)))
        .list();
  }

  private static BankPurpose purpose(String given) {
    BankPurpose purpose = BankPurpose.fromWire(given);
    if (purpose == null) {
      throw RequestException.invalid("purpose", "'match' (its entries are found) or 'negative' (its entries cancel other banks' hits)");
    }
    return purpose;
  }

  /** A request's {@code disable_when_disputed_by}: null or 0 (never) as null. */
  private static Integer disputedBy(Integer given) {
    if (given == null || given == 0) {
      return null;
    }
    if (given < 0 || given > MAX_DISPUTED_BY) {
      throw RequestException.invalid("disable_when_disputed_by", "the number of disputing peers (1 to " + MAX_DISPUTED_BY
          + ") at which an entry is switched off; 0 for never");
    }
    return given;
  }

  /**
   * Deletes a bank and all its entries. Every entry still matchable gets its removal in the
   * change sequence in the same transaction, so indexes drop exactly what the tables dropped.
   */
  public void delete(Principal actor, long id) {
    jdbi.useTransaction(h -> {
      ChangeLog.lockForWriting(h); // first: see ChangeLog
      Bank before = find(h, id).orElseThrow(() -> RequestException.notFound("bank", id));
      if (before.follows() != null) {
        throw new RequestException(RequestException.Kind.CONFLICT, "bank", "bank " + id + " follows the exchange '"
            + before.follows() + "'; delete the exchange first (its bank then stays, as a local bank)");
      }
      ChangeLog.appendAll(h, ChangeLog.Op.REMOVE, "bank_deleted", id, enabledSignals(h, id));
      long entries = h.createQuery("SELECT COUNT(*) FROM entries WHERE bank_id = :bank").bind("bank", id).mapTo(Long.class).one();
      h.createUpdate("DELETE FROM entry_signals WHERE entry_id IN (SELECT id FROM entries WHERE bank_id = :bank)").bind("bank", id).execute();
      h.createUpdate("DELETE FROM entries WHERE bank_id = :bank").bind("bank", id).execute();
      h.createUpdate("DELETE FROM banks WHERE id = :id").bind("id", id).execute();
      AuditLog.append(h, actor.keyId(), "bank.deleted", "bank", id, Map.of("bank", before, "entries_deleted", entries), null);
    });
    changed();
    changesCommitted.run();
  }


  /** The bank {@code id}, in the caller's transaction. */
  public static Optional<Bank> find(Handle h, long id) {
    return h.createQuery("SELECT * FROM banks WHERE id = :id").bind("id", id).map((rs, ctx) -> map(rs)).findOne();
  }

  static Bank map(ResultSet rs) throws SQLException {
    return new Bank(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getString("description"),
        JsonText.stringList(rs.getString("labels")),
        JsonText.stringList(rs.getString("entities")),
        JsonText.intMap(rs.getString("thresholds")),
        rs.getBoolean("enabled"),
        Clock.text(rs.getObject("created_at", OffsetDateTime.class)),
        Clock.text(rs.getObject("updated_at", OffsetDateTime.class)),
        rs.getString("follows"),
        effectiveSharing(rs.getString("follows"), rs.getString("sharing"), rs.getString("received_sharing")).wireName(),
        rs.getString("received_sharing"),
        rs.getObject("disable_when_disputed_by", Integer.class),
        rs.getString("purpose"),
        rs.getBoolean("flood_guard"));
  }

  /** A local bank's level; a followed bank's cap, narrowed to what its source gave (red when it gave none). */
  private static Sharing effectiveSharing(String follows, String sharing, String received) {
    Sharing own = Sharing.fromWire(sharing);
    if (follows == null) {
      return own;
    }
    return own.narrowest(received == null ? Sharing.RED : Sharing.fromWire(received));
  }

  private static Sharing sharing(String text) {
    Sharing level = Sharing.fromWire(text);
    if (level == null) {
      throw RequestException.invalid("sharing", "one of red, amber, green, clear");
    }
    return level;
  }

  /**
   * Records the level bank {@code id}'s source gave its latest records, in the caller's
   * transaction: the bank's entries then travel no wider than that (nor than this instance's cap).
   */
  public static void received(Handle h, long id, Sharing level) {
    h.createUpdate("UPDATE banks SET received_sharing = :level WHERE id = :id AND follows IS NOT NULL")
        .bind("level", level.wireName()).bind("id", id).execute();
  }

  /**
   * The bank, if entries may be added to it by hand: a bank that follows an exchange takes its
   * entries from there only, or the next update from the source could not tell whose entry it is.
   */
  static Bank requireLocal(Handle h, long id) {
    Bank bank = find(h, id).orElseThrow(() -> RequestException.notFound("bank", id));
    if (bank.follows() != null) {
      throw new RequestException(RequestException.Kind.CONFLICT, "bank", "bank " + id + " follows the exchange '"
          + bank.follows() + "': its entries come from there (entries may still be disabled here)");
    }
    return bank;
  }

  /**
   * Makes bank {@code id} follow the exchange {@code exchange} (null: local again; a new name when
   * the exchange is renamed), in the caller's transaction. A local bank may start to follow an
   * exchange only while it has no entries, so every entry in a followed bank came from its exchange.
   *
   * @throws RequestException when the bank does not exist, or is local and has entries
   */
  public static Bank follow(Handle h, Principal actor, long id, String exchange) {
    Bank before = find(h, id).orElseThrow(() -> RequestException.notFound("bank", id));
    if (exchange != null && before.follows() == null) {
      boolean empty = h.createQuery("SELECT COUNT(*) FROM entries WHERE bank_id = :bank").bind("bank", id).mapTo(Long.class).one() == 0;
      if (!empty) {
        throw new RequestException(RequestException.Kind.CONFLICT, "bank",
            "bank '" + before.name() + "' has entries of its own; an exchange fills a new or empty bank");
      }
    }
    // A bank that starts to follow takes its level from its source (no cap of its own yet); one
    // that stops keeps another source's list, so it stays here until someone decides otherwise.
    String sharing = exchange == null ? Sharing.RED.wireName() : before.follows() == null ? Sharing.CLEAR.wireName() : null;
    h.createUpdate("UPDATE banks SET follows = :exchange, sharing = COALESCE(:sharing, sharing), updated_at = :now"
            + (exchange == null ? ", received_sharing = NULL" : "") + " WHERE id = :id")
        .bind("exchange", exchange).bind("sharing", sharing).bind("now", Clock.now(h)).bind("id", id).execute();
    Bank after = find(h, id).orElseThrow();
    AuditLog.append(h, actor.keyId(), "bank.updated", "bank", id, before, after);
    return after;
  }

  /** The bank named {@code name}, in the caller's transaction. */
  public static Optional<Bank> findByName(Handle h, String name) {
    return h.createQuery("SELECT * FROM banks WHERE name = :name").bind("name", name).map((rs, ctx) -> map(rs)).findOne();
  }

  private Map<String, Integer> defaultThresholds() {
    Map<String, Integer> thresholds = new LinkedHashMap<>();
    for (String name : signals.thresholdNames()) {
      thresholds.put(name, signals.defaultThreshold(name));
    }
    return thresholds;
  }

  private Map<String, Integer> mergeThresholds(Map<String, Integer> base, Map<String, Integer> changes) {
    Map<String, Integer> merged = new LinkedHashMap<>(base);
    if (changes == null) {
      return merged;
    }
    for (Map.Entry<String, Integer> change : changes.entrySet()) {
      String field = "thresholds." + change.getKey();
      if (!signals.knowsThreshold(change.getKey())) {
        throw RequestException.invalid(field, "unknown threshold; known: " + String.join(", ", signals.thresholdNames()));
      }
      Integer value = change.getValue();
      int max = signals.maxThreshold(change.getKey());
      if (value == null || value < 0 || value > max) {
        throw RequestException.invalid(field, "must be a whole number from 0 to " + max);
      }
      merged.put(change.getKey(), value);
    }
    return merged;
  }

  private static void requireNameFree(Handle h, String name, long exceptId) {
    Optional<Long> other = h.createQuery("SELECT id FROM banks WHERE name = :name AND id <> :id")
        .bind("name", name)
        .bind("id", exceptId)
        .mapTo(Long.class)
        .findOne();
    if (other.isPresent()) {
      throw new RequestException(RequestException.Kind.CONFLICT, "name", "a bank named '" + name + "' already exists (id " + other.get() + ")");
    }
  }

  private static String checkName(String name) {
    String stripped = name == null ? "" : name.strip();
    if (stripped.isEmpty() || stripped.length() > MAX_NAME) {
      throw RequestException.invalid("name", "a bank name has 1 to " + MAX_NAME + " characters");
    }
    return TextFields.line(stripped, "name");
  }

  private static String checkDescription(String description) {
    String text = description == null ? "" : description.strip();
    if (text.length() > MAX_DESCRIPTION) {
      throw RequestException.invalid("description", "at most " + MAX_DESCRIPTION + " characters");
    }
    return TextFields.paragraphs(text, "description");
  }
}
