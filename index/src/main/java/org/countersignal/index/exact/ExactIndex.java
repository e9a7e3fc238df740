package org.countersignal.index.exact;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.countersignal.index.snapshot.CorruptSnapshotException;
import org.countersignal.index.snapshot.SnapshotFormat;
import org.countersignal.index.snapshot.SnapshotReader;
import org.countersignal.index.snapshot.SnapshotWriter;

/**
 * Exact-match index for byte signals (MD5, SHA-256, canonical URL digests, ...): maps a key to
 * the ids stored under it, with the same contract as the Hamming index.
 *
 * <p>Thread safety: the ids of one key live in an immutable array that is replaced, never
 * changed, by {@link ConcurrentHashMap#compute}; a lookup therefore sees either the array
 * before a change or the one after, never a half-written one, and a change is visible to every
 * lookup that starts after the call returns.
 */
public final class ExactIndex {

  /** Longest key accepted (the snapshot stores key lengths in two bytes). */
  public static final int MAX_KEY_BYTES = 0xffff;

  private static final long[] NONE = new long[0];

  private final ConcurrentHashMap<Key, long[]> entries = new ConcurrentHashMap<>();
  private final AtomicLong size = new AtomicLong();

  /** Number of (key, id) entries. */
  public long size() {
    return size.get();
  }

  /** Number of distinct keys. */
  public int keyCount() {
    return entries.size();
  }

  /** Adds an entry; a key may hold several ids, and the same (key, id) may be added twice. */
  public void add(byte[] key, long id) {
    Key k = Key.copyOf(key);
    entries.compute(k, (unused, ids) -> {
      if (ids == null) {
        return new long[] {id};
      }
      long[] grown = Arrays.copyOf(ids, ids.length + 1);
      grown[ids.length] = id;
      return grown;
    });
    size.incrementAndGet();
  }

  /** Removes every entry with this key and id; returns how many were removed. */
  public int remove(byte[] key, long id) {
    int[] removed = {0};
    entries.computeIfPresent(Key.wrap(key), (unused, ids) -> {
      long[] kept = Arrays.stream(ids).filter(x -> x != id).toArray();
      removed[0] = ids.length - kept.length;
      return kept.length == 0 ? null : kept;
    });
    size.addAndGet(-removed[0]);
    return removed[0];
  }

  /** The ids stored under {@code key}, in the order they were added; empty if none. */
  public long[] lookup(byte[] key) {
    long[] ids = entries.get(Key.wrap(key));
    return ids == null ? NONE : ids.clone();
  }

  /** Looks up many keys; answer {@code i} belongs to key {@code i}. */
  public List<long[]> lookupBatch(List<byte[]> keys) {
    List<long[]> answers = new ArrayList<>(keys.size());
    for (byte[] key : keys) {
      answers.add(lookup(key));
    }
    return answers;
  }

  /**
   * Writes a snapshot through a temporary file and an atomic rename. Every change that
   * returned before the call is included; changes made while it runs may or may not be.
   */
  public void writeSnapshot(Path file) throws IOException {
    List<Map.Entry<Key, long[]>> copy = new ArrayList<>(entries.entrySet());
    long count = 0;
    for (Map.Entry<Key, long[]> entry : copy) {
      count += entry.getValue().length;
    }
    try (SnapshotWriter writer = new SnapshotWriter(file, SnapshotFormat.KIND_EXACT_BYTES, count)) {
      // Payload: per entry a two-byte key length, the key, and the id.
      for (Map.Entry<Key, long[]> entry : copy) {
        byte[] key = entry.getKey().bytes;
        for (long id : entry.getValue()) {
          writer.putShort((short) key.length);
          writer.putBytes(key);
          writer.putLong(id);
        }
      }
      writer.commit();
    }
  }

  /** Loads a snapshot; the whole file is verified before the index is returned. */
  public static ExactIndex readSnapshot(Path file) throws IOException {
    ExactIndex index = new ExactIndex();
    try (SnapshotReader reader = new SnapshotReader(file, SnapshotFormat.KIND_EXACT_BYTES)) {
      long count = reader.count();
      // Each entry takes at least 2 + 1 + 8 bytes.
      if (count * 11 > reader.payloadBytes()) {
        throw new CorruptSnapshotException(file + ": truncated snapshot: header promises " + count
            + " entries, payload holds only " + reader.payloadBytes() + " bytes");
      }
      for (long i = 0; i < count; i++) {
        int length = Short.toUnsignedInt(reader.getShort());
        if (length == 0) {
          throw new CorruptSnapshotException(file + ": entry " + i + " has an empty key");
        }
        byte[] key = new byte[length];
        reader.getBytes(key);
        long id = reader.getLong();
        index.add(key, id);
      }
      reader.finish();
    }
    return index;
  }

  /** A key with value equality; {@link #wrap} is for lookups only and must not be stored. */
  private static final class Key {
    final byte[] bytes;
    private final int hash;

    private Key(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    static Key copyOf(byte[] key) {
      check(key);
      return new Key(key.clone());
    }

    static Key wrap(byte[] key) {
      check(key);
      return new Key(key);
    }

    private static void check(byte[] key) {
      if (key.length == 0 || key.length > MAX_KEY_BYTES) {
        throw new IllegalArgumentException("key must be 1 to 65535 bytes, got " + key.length);
      }
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return HexFormat.of().formatHex(bytes);
    }
  }
}
