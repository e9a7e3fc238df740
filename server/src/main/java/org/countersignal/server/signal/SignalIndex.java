package org.countersignal.server.signal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.countersignal.index.hamming.MatchSink;

/**
 * The in-memory index of one signal type: every matchable value of every entry, keyed by entry
 * id, changed only by the change follower (add, remove) and read by matching (search).
 *
 * <p>Values arrive as the type's canonical text, exactly as the stores wrote them into the change
 * sequence; turning text into the index's own key (a 256-bit word, a digest's bytes, a URL's
 * canonical form) is the index's business. Adding a value an entry already has, or removing one
 * it lacks, must be harmless: a snapshot loaded at start is followed by a replay that may repeat
 * changes the snapshot holds.
 *
 * <p>Thread safety: add and remove come from one thread at a time (the follower's lock); search
 * may run on any number of threads at once, also while a change is applied.
 */
public interface SignalIndex extends AutoCloseable {

  void add(long entryId, String value);

  void remove(long entryId, String value);

  /**
   * Adds the values in order, as {@link #add} one by one would; an index that reads values from
   * elsewhere (a text's sketches from the database) reads them all at once.
   */
  default void addAll(List<Long> entryIds, List<String> values) {
    for (int i = 0; i < entryIds.size(); i++) {
      add(entryIds.get(i), values.get(i));
    }
  }

  /**
   * Reports to {@code sink} every entry whose value is within {@code threshold} of {@code value}
   * with its distance; an exact index ignores the threshold and reports distance 0.
   */
  void search(String value, int threshold, MatchSink sink);

  /**
   * As {@link #search(String, int, MatchSink)}, with what the service computed from the content for
   * this query ({@code probe}, or null when the value was given as text): a type may search with
   * more than the value holds (a text's query chunks start every few words, a banked one's less
   * often).
   */
  default void search(String value, Object probe, int threshold, MatchSink sink) {
    search(value, threshold, sink);
  }

  /**
   * What a hit of {@code value} on entry {@code entryId} covers, for whoever reviews it (which part
   * of a banked text matched, and how much of the query), or null when a distance says it all.
   */
  default Map<String, Object> explain(long entryId, String value, Object probe, int threshold) {
    return null;
  }

  /**
   * Brings the index back to the shape lookups are fastest in, if changes have left it otherwise
   * (a Hamming index after many adds is several segments, each costing every lookup its probes);
   * lookups and changes go on meanwhile. Called when the change sequence has been quiet for a
   * while ({@code IndexCompactor}).
   *
   * @return whether anything was rewritten
   */
  default boolean compact() throws InterruptedException {
    return false;
  }

  /** Values held, for metrics and the start-up log. */
  long size();

  /**
   * Writes the index to {@code file}; the follower keeps changes out meanwhile, so the file agrees
   * with one position of the change sequence. {@link ServerSignalType#readIndex} reads it back.
   */
  void writeSnapshot(Path file) throws IOException;

  @Override
  default void close() {}
}
