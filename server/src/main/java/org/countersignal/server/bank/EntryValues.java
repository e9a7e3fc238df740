package org.countersignal.server.bank;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.countersignal.server.signal.StoredValues;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The whole values of signals whose type keeps a short identity in {@code entry_signals}
 * ({@link org.countersignal.server.signal.ServerSignalType#identity}), in {@code entry_values},
 * with where their parts lie in the content they were computed from.
 */
final class EntryValues {

  /** An entry's whole value of one type, and its locations (JSON) or null. */
  record Whole(String signal, String locations) {}

  /**
   * An entry's canonical values, type to value, split into what {@code entry_signals} keeps (each
   * type's identity, sorted by type) and the whole values of the types whose identity is not
   * the value, which are kept here.
   */
  record Split(Map<String, String> identities, Map<String, String> wholes) {

    static Split of(SignalCatalog signals, Map<String, String> canonical) {
      Map<String, String> identities = new TreeMap<>();
      Map<String, String> wholes = new TreeMap<>();
      canonical.forEach((type, value) -> {
        String identity = signals.identity(type, value);
        identities.put(type, identity);
        if (!identity.equals(value)) {
          wholes.put(type, value);
        }
      });
      return new Split(identities, wholes);
    }
  }

  /** Values read per query when a batch of changes names many. */
  private static final int IDS_PER_READ = 1000;

  private EntryValues() {}

  /** Where the indexes read whole values. */
  static StoredValues of(Jdbi jdbi) {
    return new StoredValues() {
      @Override
      public Optional<String> value(long entryId, String type) {
        return jdbi.withHandle(h -> find(h, entryId, type)).map(Whole::signal);
      }

      @Override
      public Map<Long, String> values(Collection<Long> entryIds, String type) {
        Map<Long, String> found = new HashMap<>();
        List<Long> ids = List.copyOf(entryIds);
        for (int from = 0; from < ids.size(); from += IDS_PER_READ) {
          List<Long> some = ids.subList(from, Math.min(ids.size(), from + IDS_PER_READ));
          jdbi.useHandle(h -> h.createQuery("SELECT entry_id, signal FROM entry_values WHERE signal_type = :type AND entry_id IN (<ids>)")
              .bind("type", type)
              .bindList("ids", some)
              .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
              .forEach(row -> found.put(row.getKey(), row.getValue())));
        }
        return found;
      }
    };
  }

  static Optional<Whole> find(Handle h, long entryId, String type) {
    return h.createQuery("SELECT signal, locations FROM entry_values WHERE entry_id = :entry AND signal_type = :type")
        .bind("entry", entryId)
        .bind("type", type)
        .map((rs, ctx) -> new Whole(rs.getString(1), rs.getString(2)))
        .findOne();
  }

  /** The locations kept with the {@code type} values of entries {@code ids}, where there are any. */
  static Map<Long, String> locations(Handle h, Collection<Long> ids, String type) {
    Map<Long, String> found = new HashMap<>();
    if (!ids.isEmpty()) {
      h.createQuery("SELECT entry_id, locations FROM entry_values WHERE signal_type = :type AND locations IS NOT NULL"
              + " AND entry_id IN (<ids>)")
          .bind("type", type)
          .bindList("ids", List.copyOf(ids))
          .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
          .forEach(row -> found.put(row.getKey(), row.getValue()));
    }
    return found;
  }

  /** Adds rows to a batch made by {@link #batch}. */
  static void add(PreparedBatch batch, long entryId, String type, Whole whole) {
    batch.bind("entry", entryId).bind("type", type).bind("signal", whole.signal()).bind("locations", whole.locations()).add();
  }

  static PreparedBatch batch(Handle h) {
    return h.prepareBatch(
        "INSERT INTO entry_values (entry_id, signal_type, signal, locations) VALUES (:entry, :type, :signal, :locations)");
  }
}
