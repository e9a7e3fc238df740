package org.countersignal.server.signal;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Where the whole values of a type with short identities ({@link ServerSignalType#identity}) are
 * kept: the change sequence names such a value by its identity, so its index reads the value here.
 */
public interface StoredValues {

  /** No stored values: for parts that never index such a type (e.g. rules checking names). */
  StoredValues NONE = new StoredValues() {
    @Override
    public Optional<String> value(long entryId, String type) {
      return Optional.empty();
    }

    @Override
    public Map<Long, String> values(Collection<Long> entryIds, String type) {
      return Map.of();
    }
  };

  /** Entry {@code entryId}'s whole {@code type} value; empty once it is deleted (its removal follows in the sequence). */
  Optional<String> value(long entryId, String type);

  /** The whole {@code type} values of those of {@code entryIds} that still exist, by entry id. */
  Map<Long, String> values(Collection<Long> entryIds, String type);
}
