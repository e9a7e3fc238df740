package org.countersignal.server.signal;

import com.carrotsearch.hppc.LongIntHashMap;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.countersignal.index.hamming.MatchSink;
import org.countersignal.index.snapshot.CorruptSnapshotException;
import org.countersignal.index.snapshot.SnapshotFormat;
import org.countersignal.index.snapshot.SnapshotReader;
import org.countersignal.index.snapshot.SnapshotWriter;
import org.countersignal.signals.text.IndexData;
import org.countersignal.signals.text.TextIndex;
import org.countersignal.signals.text.TextSketcher;

/**
 * Text entries' sketches in a {@link TextIndex}, keyed to their entry. The text index only
 * appends, so removing an entry forgets which document number it had and lookups skip numbers no
 * entry holds; adding it again appends it anew. The values are read from the database
 * ({@link StoredValues}) when a change names one. The snapshot holds the text index's arrays
 * and each document number's entry, so a restart reads them back rather than every text; the
 * replay after it is harmless because adding and removing are idempotent.
 *
 * <p>Lookups run under a read lock and changes under the write lock: the text index allows
 * concurrent lookups but no lookup during an add.
 */
public final class TextSignalIndex implements SignalIndex {

  private TextIndex index = new TextIndex();
  // Primitive, since a million boxed pairs would be two million objects for every collection to walk.
  private final LongIntHashMap documentOf = new LongIntHashMap();
  // Entry of each document number, NO_ENTRY where an add failed after taking its number.
  private long[] entryOf = new long[1024];
  private static final long NO_ENTRY = -1;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final StoredValues values;
  private final String type;

  TextSignalIndex(StoredValues values, String type) {
    this.values = values;
    this.type = type;
    Arrays.fill(entryOf, NO_ENTRY);
  }

  @Override
  public void add(long entryId, String identity) {
    values.value(entryId, type).ifPresent(value -> addValue(entryId, value));
  }

  /** Reads the batch's texts in a few queries rather than one per entry: a bulk import adds thousands. */
  @Override
  public void addAll(List<Long> entryIds, List<String> identities) {
    Map<Long, String> found = values.values(entryIds, type);
    for (long entryId : entryIds) {
      String value = found.get(entryId);
      if (value != null) {
        addValue(entryId, value);
      }
    }
  }

  private void addValue(long entryId, String value) {
    lock.writeLock().lock();
    try {
      if (!documentOf.containsKey(entryId)) {
        int document = index.add(TextType.parse(value));
        if (document >= entryOf.length) {
          int old = entryOf.length;
          entryOf = Arrays.copyOf(entryOf, Math.max(document + 1, old * 2));
          Arrays.fill(entryOf, old, entryOf.length, NO_ENTRY);
        }
        entryOf[document] = entryId;
        documentOf.put(entryId, document);
        changes++;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void remove(long entryId, String identity) {
    lock.writeLock().lock();
    try {
      if (documentOf.containsKey(entryId)) {
        documentOf.remove(entryId);
        changes++;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void search(String value, int threshold, MatchSink sink) {
    search(value, null, threshold, sink);
  }

  @Override
  public void search(String value, Object probe, int threshold, MatchSink sink) {
    lookup(value, probe, threshold).forEach((entryId, match) -> sink.accept(entryId, match.distance()));
  }

  /** Which words of the banked text and of the query matched, and the query's share. */
  @Override
  public Map<String, Object> explain(long entryId, String value, Object probe, int threshold) {
    TextIndex.Match match = lookup(value, probe, threshold).get(entryId);
    return match == null ? null : TextParts.of(match);
  }

  /**
   * The live entries the query matches, each with its best match. The last lookup is kept for
   * the thread, because matching explains its hits one by one right after searching.
   */
  private Map<Long, TextIndex.Match> lookup(String value, Object probe, int threshold) {
    Object key = probe != null ? probe : value;
    Looked last = lastLookup.get();
    if (last != null && last.key() == key && last.threshold() == threshold && last.changes() == changes) {
      return last.matches();
    }
    TextSketcher.Query query = probe instanceof TextSketcher.Query given ? given : TextSketcher.query(TextType.parse(value));
    Map<Long, TextIndex.Match> matches = new LinkedHashMap<>();
    lock.readLock().lock();
    try {
      for (TextIndex.Match match : index.lookup(query, threshold)) {
        long entryId = liveEntry(match.document());
        if (entryId != NO_ENTRY) {
          matches.put(entryId, match);
        }
      }
      lastLookup.set(new Looked(key, threshold, changes, matches));
    } finally {
      lock.readLock().unlock();
    }
    return matches;
  }

  /**
   * The entry document number {@code document} holds, or {@link #NO_ENTRY}: its add failed, or
   * its entry was removed since (and may have been added again under a later number).
   */
  private long liveEntry(int document) {
    long entryId = document < entryOf.length ? entryOf[document] : NO_ENTRY;
    return entryId != NO_ENTRY && documentOf.getOrDefault(entryId, -1) == document ? entryId : NO_ENTRY;
  }

  private record Looked(Object key, int threshold, long changes, Map<Long, TextIndex.Match> matches) {}

  private final ThreadLocal<Looked> lastLookup = new ThreadLocal<>();
  // Counts adds and removes, so a kept lookup is never one from before a change.
  private volatile long changes;

  @Override
  public long size() {
    lock.readLock().lock();
    try {
      return documentOf.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Writes the text index's arrays and the entry of each document number, with documents whose
   * entry was removed since marked as holding none: what {@link #read} restores without
   * sketching a single text again.
   */
  @Override
  public void writeSnapshot(Path file) throws IOException {
    lock.readLock().lock();
    try (SnapshotWriter out = new SnapshotWriter(file, SnapshotFormat.KIND_TEXT_MINHASH, documentOf.size())) {
      int documents = index.documents();
      long[] live = new long[documents];
      for (int d = 0; d < documents; d++) {
        live[d] = liveEntry(d);
      }
      out.putInt(documents);
      out.putLongs(live, 0, documents);
      index.writeTo(new IndexData.Sink() {
        @Override
        public void putInt(int value) throws IOException {
          out.putInt(value);
        }

        @Override
        public void putInts(int[] values, int offset, int length) throws IOException {
          out.putInts(values, offset, length);
        }

        @Override
        public void putLongs(long[] values, int offset, int length) throws IOException {
          out.putLongs(values, offset, length);
        }

        @Override
        public void putChars(char[] values, int offset, int length) throws IOException {
          out.putChars(values, offset, length);
        }
      });
      out.commit();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The index {@link #writeSnapshot} wrote to {@code file}; later texts are read from {@code values}. */
  static TextSignalIndex read(Path file, StoredValues values, String type) throws IOException {
    TextSignalIndex restored = new TextSignalIndex(values, type);
    try (SnapshotReader in = new SnapshotReader(file, SnapshotFormat.KIND_TEXT_MINHASH)) {
      IndexData.Source source = new IndexData.Source() {
        @Override
        public int getInt() throws IOException {
          return in.getInt();
        }

        @Override
        public int getLength(int elementBytes) throws IOException {
          int length = in.getInt();
          if (length < 0 || (long) length * elementBytes > in.remaining()) {
            throw new CorruptSnapshotException(file + ": a length of " + length + " does not fit in what is left");
          }
          return length;
        }

        @Override
        public void getInts(int[] into, int offset, int length) throws IOException {
          in.getInts(into, offset, length);
        }

        @Override
        public void getLongs(long[] into, int offset, int length) throws IOException {
          in.getLongs(into, offset, length);
        }

        @Override
        public void getChars(char[] into, int offset, int length) throws IOException {
          in.getChars(into, offset, length);
        }
      };
      int documents = source.getLength(8);
      long[] entries = new long[Math.max(1024, documents)];
      Arrays.fill(entries, NO_ENTRY);
      source.getLongs(entries, 0, documents);
      restored.index = TextIndex.readFrom(source);
      in.finish();
      if (restored.index.documents() != documents) {
        throw new CorruptSnapshotException(file + ": " + documents + " entries for " + restored.index.documents() + " documents");
      }
      restored.entryOf = entries;
      for (int d = 0; d < documents; d++) {
        if (entries[d] != NO_ENTRY) {
          restored.documentOf.put(entries[d], d);
        }
      }
    }
    return restored;
  }
}
