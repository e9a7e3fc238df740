package org.countersignal.server.match;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.server.signal.ServerSignalType;
import org.countersignal.server.signal.SignalIndex;
import org.countersignal.server.signal.VideoSignalIndex;
import org.countersignal.server.store.ChangeLog;
import org.countersignal.index.hamming.Match;
import org.countersignal.index.video.VideoFrame;
import org.countersignal.index.video.VideoMatch;
import org.countersignal.index.video.VideoMatchRules;

/**
 * The in-memory indexes, one per signal type of the catalog (each type says which kind), keyed by
 * entry id. They hold every matchable signal of every entry (whatever its bank's state: banks are
 * checked at match time) and change only by {@link #apply}.
 */
public final class MatchIndexes implements AutoCloseable {

  private final SignalCatalog catalog;
  // Replaced only by restore, before any change is applied or any lookup is made.
  private volatile Map<String, SignalIndex> indexes;

  /** The built-in types' indexes, without access to stored videos (for tests of the follower). */
  public MatchIndexes() {
    this(new SignalCatalog());
  }

  public MatchIndexes(SignalCatalog catalog) {
    this.catalog = catalog;
    Map<String, SignalIndex> empty = new LinkedHashMap<>();
    for (ServerSignalType type : catalog.types()) {
      empty.put(type.name(), type.newIndex());
    }
    this.indexes = Map.copyOf(empty);
  }

  public SignalCatalog catalog() {
    return catalog;
  }

  private static String fileOf(ServerSignalType type) {
    return type.name() + ".snapshot";
  }

  /**
   * Writes every index into {@code folder}, a file per type. The caller keeps changes from being
   * applied meanwhile, so the files agree with one position in the change sequence.
   */
  void save(Path folder) throws IOException {
    for (ServerSignalType type : catalog.types()) {
      indexes.get(type.name()).writeSnapshot(folder.resolve(fileOf(type)));
    }
  }

  /**
   * Replaces the (still empty) indexes with those saved in {@code folder}; each file is verified
   * first. A type without a file (one added since the snapshot was written) makes the whole
   * snapshot unusable, so the sequence is replayed from the start instead.
   */
  void restore(Path folder) throws IOException {
    Map<String, SignalIndex> loaded = new LinkedHashMap<>();
    try {
      for (ServerSignalType type : catalog.types()) {
        loaded.put(type.name(), type.readIndex(folder.resolve(fileOf(type))));
      }
    } catch (IOException | RuntimeException e) {
      loaded.values().forEach(SignalIndex::close);
      throw e;
    }
    Map<String, SignalIndex> empty = indexes;
    indexes = Map.copyOf(loaded);
    empty.values().forEach(SignalIndex::close);
  }

  /**
   * Applies changes of the sequence in order. A run of additions to one type goes to its index
   * as one batch ({@link SignalIndex#addAll}); anything else is applied change by change.
   */
  public void applyAll(List<ChangeLog.Change> changes) {
    int i = 0;
    while (i < changes.size()) {
      ChangeLog.Change first = changes.get(i);
      if (first.op() != ChangeLog.Op.ADD) {
        apply(first);
        i++;
        continue;
      }
      List<Long> ids = new ArrayList<>();
      List<String> values = new ArrayList<>();
      for (; i < changes.size() && changes.get(i).op() == ChangeLog.Op.ADD
          && changes.get(i).signalType().equals(first.signalType()); i++) {
        ids.add(changes.get(i).entryId());
        values.add(changes.get(i).signalValue());
      }
      SignalIndex index = indexes.get(first.signalType());
      if (index != null) { // else a type this build does not index: see apply
        index.addAll(ids, values);
      }
    }
  }

  /** Applies one change of the sequence. Values are canonical text, as the stores wrote them. */
  public void apply(ChangeLog.Change change) {
    SignalIndex index = indexes.get(change.signalType());
    if (index == null || change.op() == ChangeLog.Op.UPDATE) {
      return; // a type this build does not index (written by a newer replica), or no change to matching
    }
    if (change.op() == ChangeLog.Op.ADD) {
      index.add(change.entryId(), change.signalValue());
    } else {
      index.remove(change.entryId(), change.signalValue());
    }
  }

  /**
   * The {@code limit} entries nearest to {@code value} within {@code radius}. The index still
   * visits every entry in the radius, but only the nearest {@code limit} are kept.
   */
  Nearest search(String type, String value, Object probe, int radius, int limit) {
    Nearest nearest = new Nearest(limit);
    indexes.get(type).search(value, probe, radius, nearest);
    return nearest;
  }

  /** What a hit covers, as {@link SignalIndex#explain} says; null when the type says nothing more. */
  Map<String, Object> explain(String type, long entryId, String value, Object probe, int threshold) {
    return indexes.get(type).explain(entryId, value, probe, threshold);
  }

  /** Entries whose {@code type} value is within {@code radius} of {@code value}, nearest first. */
  public List<Match> search(String type, String value, int radius) {
    return search(type, value, null, radius, Integer.MAX_VALUE - 8).matches();
  }

  /** Video entries the query video matches under {@code rules}. */
  public List<VideoMatch> searchVideo(List<VideoFrame> query, VideoMatchRules rules) {
    return ((VideoSignalIndex) indexes.get(catalog.video().name())).searchVideo(query, rules);
  }

  /**
   * Compacts every index ({@link SignalIndex#compact}); lookups and changes go on meanwhile.
   *
   * @return the types whose index was rewritten
   */
  List<String> compact() throws InterruptedException {
    List<String> compacted = new ArrayList<>();
    for (Map.Entry<String, SignalIndex> index : indexes.entrySet()) {
      if (index.getValue().compact()) {
        compacted.add(index.getKey());
      }
    }
    return compacted;
  }

  /** The index of {@code type}, for tests and benchmarks that look at its shape. */
  public SignalIndex index(String type) {
    return indexes.get(type);
  }

  /** Values in the index of {@code type}; 0 for a type the catalog does not have. */
  public long size(String type) {
    SignalIndex index = indexes.get(type);
    return index == null ? 0 : index.size();
  }

  @Override
  public void close() {
    indexes.values().forEach(SignalIndex::close);
  }
}
