package org.countersignal.index.hamming;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exact index of 256-bit hashes (PDQ) that returns every stored entry within a Hamming
 * radius of a query, with its id and distance.
 *
 * <p>The index is a list of immutable {@link Segment}s, each with its own multi-index-hashing
 * tables, plus one small {@link AppendBuffer} that takes new entries. Lookups read the current
 * {@code State} (one volatile read) and need no locks; adds, removals and segment swaps are
 * serialised by a write lock. Full buffers become segments, and a background thread merges
 * segments of similar size (as a log-structured merge tree does), so no change ever needs a
 * rebuild of the whole index and lookups stay fast. See {@code docs/INDEX.md}.
 *
 * <p>Thread safety: every method may be called from any number of threads at once. An entry
 * is visible to every lookup that starts after {@link #add} returns; a removed entry is not
 * returned by any lookup that starts after {@link #remove} returns.
 */
public final class HammingIndex implements AutoCloseable {

  public static final int DEFAULT_RADIUS = 31;
  public static final int MAX_RADIUS = 256;

  /** Segments whose sizes are within this factor of each other are merged together. */
  private static final int MERGE_FACTOR = 4;

  private record State(Segment[] segments, AppendBuffer buffer) {}

  private final ReentrantLock writeLock = new ReentrantLock();
  private final AtomicLong liveCount = new AtomicLong();
  private final AtomicBoolean mergeScheduled = new AtomicBoolean();
  private volatile State state;
  private volatile ExecutorService merger;
  private volatile boolean closed;

  /** An empty index. */
  public HammingIndex() {
    this.state = new State(new Segment[0], new AppendBuffer());
  }

  private HammingIndex(Segment segment) {
    this(segment.size == 0 ? new Segment[0] : new Segment[] {segment}, new AppendBuffer(),
        segment.size);
  }

  private HammingIndex(Segment[] segments, AppendBuffer buffer, long size) {
    this.state = new State(segments, buffer);
    liveCount.set(size);
  }

  /**
   * Builds an index over {@code ids.length} hashes stored four longs per hash in
   * {@code words} (see {@link Hash256} for the word order). The index takes over both arrays:
   * the caller must not change them afterwards (this keeps a 10M-hash build within memory).
   */
  public static HammingIndex build(long[] words, long[] ids) {
    if (words.length != (long) ids.length * 4) {
      throw new IllegalArgumentException(
          "need four words per id: " + words.length + " words for " + ids.length + " ids");
    }
    return new HammingIndex(Segment.build(words, ids, ids.length, null));
  }

  /**
   * As {@link #build(long[], long[])}, with the number of substrings fixed instead of chosen
   * from the size; for measuring layouts against each other.
   */
  public static HammingIndex build(long[] words, long[] ids, int substrings) {
    if (words.length != (long) ids.length * 4) {
      throw new IllegalArgumentException("need four words per id");
    }
    return new HammingIndex(Segment.build(words, ids, ids.length, null,
        SubstringLayout.withSubstrings(substrings, ids.length)));
  }

  /** Number of entries (adds minus removals). */
  public long size() {
    return liveCount.get();
  }

  public void add(Hash256 hash, long id) {
    add(hash.w0(), hash.w1(), hash.w2(), hash.w3(), id);
  }

  /** Adds one entry; it is findable by every lookup that starts after this returns. */
  public void add(long w0, long w1, long w2, long w3, long id) {
    writeLock.lock();
    try {
      ensureOpen();
      appendLocked(w0, w1, w2, w3, id);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Adds {@code ids.length} entries given as four words per hash, taking the lock once per
   * buffer-full rather than once per entry.
   */
  public void addAll(long[] words, long[] ids) {
    if (words.length != (long) ids.length * 4) {
      throw new IllegalArgumentException("need four words per id");
    }
    int i = 0;
    while (i < ids.length) {
      writeLock.lock();
      try {
        ensureOpen();
        int stop = Math.min(ids.length, i + AppendBuffer.CAPACITY);
        for (; i < stop; i++) {
          int b = i << 2;
          appendLocked(words[b], words[b + 1], words[b + 2], words[b + 3], ids[i]);
        }
      } finally {
        writeLock.unlock();
      }
    }
  }

  private void appendLocked(long w0, long w1, long w2, long w3, long id) {
    State current = state;
    current.buffer.append(w0, w1, w2, w3, id);
    liveCount.incrementAndGet();
    if (current.buffer.isFull()) {
      Segment sealed = current.buffer.seal();
      Segment[] segments = Arrays.copyOf(current.segments, current.segments.length + 1);
      segments[segments.length - 1] = sealed;
      state = new State(segments, new AppendBuffer());
      scheduleMerge();
    }
  }

  /**
   * Removes every entry that has exactly this hash and this id; returns how many were removed.
   * The hash is needed because the index keeps no map from id to entry (that map alone would
   * cost more memory than the budget allows); callers know the hash of what they remove.
   */
  public int remove(Hash256 hash, long id) {
    long[] q = words(hash);
    writeLock.lock();
    try {
      ensureOpen();
      State current = state;
      int[] removed = {0};
      for (Segment segment : current.segments) {
        segment.forEachExactRow(q, row -> {
          if (segment.ids[row] == id && segment.markDead(row)) {
            removed[0]++;
          }
        });
      }
      AppendBuffer buffer = current.buffer;
      int n = buffer.size();
      for (int row = 0; row < n; row++) {
        if (buffer.ids[row] == id && distance(buffer.words, row, q) == 0 && buffer.markDead(row)) {
          removed[0]++;
        }
      }
      liveCount.addAndGet(-removed[0]);
      return removed[0];
    } finally {
      writeLock.unlock();
    }
  }

  /** Every entry within the default radius (31, the PDQ match threshold), nearest first. */
  public List<Match> search(Hash256 query) {
    return search(query, DEFAULT_RADIUS);
  }

  /** Every entry within {@code radius} of {@code query}, nearest first. */
  public List<Match> search(Hash256 query, int radius) {
    List<Match> matches = new ArrayList<>();
    search(query, radius, (id, distance) -> matches.add(new Match(id, distance)));
    Collections.sort(matches);
    return matches;
  }

  /** Reports every entry within {@code radius} of {@code query} to {@code sink}, in no order. */
  public void search(Hash256 query, int radius, MatchSink sink) {
    checkRadius(radius);
    long[] q = words(query);
    State current = state;
    for (Segment segment : current.segments) {
      segment.search(q, radius, sink);
    }
    current.buffer.scan(q, radius, sink);
  }

  /**
   * As {@link #search(Hash256, int, MatchSink)}, adding to {@code stats} the work the lookup
   * did (entries scanned, directory groups probed, postings read, candidates verified, matches),
   * to explain what a lookup costs on given data. Slightly slower than the plain lookup.
   */
  public void search(Hash256 query, int radius, MatchSink sink, LookupStats stats) {
    checkRadius(radius);
    long[] q = words(query);
    State current = state;
    MatchSink counting = (id, distance) -> {
      stats.matches++;
      sink.accept(id, distance);
    };
    stats.lookups++;
    for (Segment segment : current.segments) {
      segment.search(q, radius, counting, stats);
    }
    stats.rowsScanned += current.buffer.size();
    current.buffer.scan(q, radius, counting);
  }

  /**
   * Looks up many queries at once (such as the eight dihedral variants of one image). All
   * queries see the same state of the index; identical queries are answered once; and the
   * parts of the index that are scanned rather than probed (the append buffer and small
   * segments) are read once for the whole batch instead of once per query.
   */
  public List<List<Match>> searchBatch(List<Hash256> queries, int radius) {
    checkRadius(radius);
    Map<Hash256, List<Match>> answers = new HashMap<>();
    List<Hash256> distinct = new ArrayList<>();
    for (Hash256 query : queries) {
      if (answers.putIfAbsent(query, new ArrayList<>()) == null) {
        distinct.add(query);
      }
    }
    long[][] q = new long[distinct.size()][];
    List<List<Match>> lists = new ArrayList<>(distinct.size());
    for (int i = 0; i < q.length; i++) {
      q[i] = words(distinct.get(i));
      lists.add(answers.get(distinct.get(i)));
    }
    State current = state;
    for (Segment segment : current.segments) {
      if (segment.layout.scanOnlyLayout()) {
        scanBatch(segment.words, segment.ids, segment.size, segment::isDead, q, radius, lists);
      } else {
        for (int i = 0; i < q.length; i++) {
          List<Match> list = lists.get(i);
          segment.search(q[i], radius, (id, d) -> list.add(new Match(id, d)));
        }
      }
    }
    AppendBuffer buffer = current.buffer;
    scanBatch(buffer.words, buffer.ids, buffer.size(), buffer::isDead, q, radius, lists);
    List<List<Match>> result = new ArrayList<>(queries.size());
    for (List<Match> list : lists) {
      Collections.sort(list);
    }
    for (Hash256 query : queries) {
      result.add(List.copyOf(answers.get(query)));
    }
    return result;
  }

  private static void scanBatch(long[] words, long[] ids, int size,
      java.util.function.IntPredicate dead, long[][] q, int radius, List<List<Match>> lists) {
    for (int row = 0, b = 0; row < size; row++, b += 4) {
      long w0 = words[b];
      long w1 = words[b + 1];
      long w2 = words[b + 2];
      long w3 = words[b + 3];
      for (int i = 0; i < q.length; i++) {
        long[] x = q[i];
        int d = Long.bitCount(w0 ^ x[0]) + Long.bitCount(w1 ^ x[1])
            + Long.bitCount(w2 ^ x[2]) + Long.bitCount(w3 ^ x[3]);
        if (d <= radius && !dead.test(row)) {
          lists.get(i).add(new Match(ids[row], d));
        }
      }
    }
  }

  /** Waits until background merges that are due have finished (for tests and benchmarks). */
  public void awaitMerges() throws InterruptedException {
    while (mergeScheduled.get()) {
      ExecutorService executor = merger;
      if (executor == null) {
        return;
      }
      Future<?> marker;
      try {
        marker = executor.submit(() -> { });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return;
      }
      try {
        marker.get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
  }

  /**
   * Merges all segments into one, in the background merge thread, and waits for it. Lookups
   * and changes continue meanwhile. Each segment costs a lookup a fixed number of probes, so
   * after a burst of adds (say 10% of the index) lookups are fastest again once compacted; a
   * caller can run this in a quiet period. Entries added during compaction stay outside it.
   *
   * @return whether there was anything to merge (more than one segment, or removed entries)
   */
  public boolean compact() throws InterruptedException {
    ExecutorService executor;
    writeLock.lock();
    try {
      ensureOpen();
      executor = mergerLocked();
    } finally {
      writeLock.unlock();
    }
    Future<Boolean> done = executor.submit(() -> {
      Segment[] all = state.segments;
      if (all.length > 1 || (all.length == 1 && all[0].liveCount() < all[0].size)) {
        merge(all);
        return true;
      }
      return false;
    });
    try {
      return done.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Number of segments (excluding the append buffer); exposed for tests and benchmarks. */
  public int segmentCount() {
    return state.segments.length;
  }

  /** Bytes held by the index's arrays, computed from their lengths. */
  public long bytesUsed() {
    State current = state;
    long bytes = AppendBuffer.CAPACITY * 48L;
    for (Segment segment : current.segments) {
      bytes += segment.bytesUsed();
    }
    return bytes;
  }

  /**
   * Writes a snapshot of the index to {@code file} (through a temporary file and an atomic
   * rename, so a reader never sees a half-written file). Adds made while it is written may or
   * may not be included; every entry added before the call is.
   */
  public void writeSnapshot(Path file) throws IOException {
    Segment[] segments;
    long[][] deadCopies;
    AppendBuffer buffer;
    int bufferSize;
    long[] bufferDead;
    writeLock.lock();
    try {
      State current = state;
      segments = current.segments;
      deadCopies = new long[segments.length][];
      for (int i = 0; i < segments.length; i++) {
        deadCopies[i] = segments[i].dead.clone();
      }
      buffer = current.buffer;
      bufferSize = buffer.size();
      bufferDead = buffer.dead.clone();
    } finally {
      writeLock.unlock();
    }
    List<HammingSnapshot.Part> parts = new ArrayList<>();
    for (int i = 0; i < segments.length; i++) {
      parts.add(new HammingSnapshot.Part(segments[i], segments[i].words, segments[i].ids,
          segments[i].size, deadCopies[i]));
    }
    parts.add(new HammingSnapshot.Part(null, buffer.words, buffer.ids, bufferSize, bufferDead));
    HammingSnapshot.write(file, parts);
  }

  /**
   * Loads an index written by {@link #writeSnapshot}, with the segments it had then (their
   * tables read, not rebuilt, from a current file); the file is verified before use.
   */
  public static HammingIndex readSnapshot(Path file) throws IOException {
    HammingSnapshot.Loaded loaded = HammingSnapshot.read(file);
    AppendBuffer buffer = new AppendBuffer();
    long[] w = loaded.bufferWords();
    for (int row = 0; row < loaded.bufferRows(); row++) {
      int b = row << 2;
      buffer.append(w[b], w[b + 1], w[b + 2], w[b + 3], loaded.bufferIds()[row]);
    }
    return new HammingIndex(loaded.segments().toArray(new Segment[0]), buffer, loaded.size());
  }

  /** Stops the background merge thread. Lookups still work; changes are refused. */
  @Override
  public void close() {
    writeLock.lock();
    try {
      closed = true;
      ExecutorService executor = merger;
      if (executor != null) {
        executor.shutdownNow();
      }
    } finally {
      writeLock.unlock();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("index is closed");
    }
  }

  // ---- background merging -------------------------------------------------------------

  private void scheduleMerge() {
    if (mergeScheduled.compareAndSet(false, true)) {
      mergerLocked().execute(this::mergeWhileDue);
    }
  }

  /** The merge thread, started on first use; called with the write lock held. */
  private ExecutorService mergerLocked() {
    ExecutorService executor = merger;
    if (executor == null) {
      executor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "hamming-index-merge");
        thread.setDaemon(true);
        return thread;
      });
      merger = executor;
    }
    return executor;
  }

  private void mergeWhileDue() {
    try {
      while (!closed) {
        Segment[] inputs;
        writeLock.lock();
        try {
          inputs = MergePolicy.pick(state.segments, MERGE_FACTOR, AppendBuffer.CAPACITY);
          if (inputs == null) {
            mergeScheduled.set(false);
            return;
          }
        } finally {
          writeLock.unlock();
        }
        merge(inputs);
      }
    } catch (RuntimeException | Error e) {
      mergeScheduled.set(false);
      throw e;
    }
  }

  private void merge(Segment[] inputs) {
    int total = 0;
    for (Segment segment : inputs) {
      total += segment.size;
    }
    // Copy the rows that are live now; rows removed while the merge runs are carried over
    // below, under the lock, using the map from old to new rows.
    long[] words = new long[total * 4];
    long[] ids = new long[total];
    int[][] newRow = new int[inputs.length][];
    int n = 0;
    for (int s = 0; s < inputs.length; s++) {
      Segment segment = inputs[s];
      newRow[s] = new int[segment.size];
      for (int row = 0; row < segment.size; row++) {
        if (segment.isDead(row)) {
          newRow[s][row] = -1;
        } else {
          System.arraycopy(segment.words, row << 2, words, n << 2, 4);
          ids[n] = segment.ids[row];
          newRow[s][row] = n++;
        }
      }
    }
    Segment merged = n == 0 ? null
        : Segment.build(Arrays.copyOf(words, n * 4), Arrays.copyOf(ids, n), n, null);
    writeLock.lock();
    try {
      for (int s = 0; s < inputs.length; s++) {
        for (int row = 0; row < inputs[s].size; row++) {
          if (newRow[s][row] >= 0 && inputs[s].isDead(row)) {
            merged.markDead(newRow[s][row]);
          }
        }
      }
      List<Segment> next = new ArrayList<>();
      for (Segment segment : state.segments) {
        if (!Arrays.asList(inputs).contains(segment)) {
          next.add(segment);
        }
      }
      if (merged != null) {
        next.add(merged);
      }
      state = new State(next.toArray(new Segment[0]), state.buffer);
    } finally {
      writeLock.unlock();
    }
  }

  // ---- helpers -------------------------------------------------------------------------

  private static void checkRadius(int radius) {
    if (radius < 0 || radius > MAX_RADIUS) {
      throw new IllegalArgumentException("radius must be 0 to 256, got " + radius);
    }
  }

  private static long[] words(Hash256 hash) {
    return new long[] {hash.w0(), hash.w1(), hash.w2(), hash.w3()};
  }

  private static int distance(long[] words, int row, long[] q) {
    int b = row << 2;
    return Long.bitCount(words[b] ^ q[0]) + Long.bitCount(words[b + 1] ^ q[1])
        + Long.bitCount(words[b + 2] ^ q[2]) + Long.bitCount(words[b + 3] ^ q[3]);
  }
}
