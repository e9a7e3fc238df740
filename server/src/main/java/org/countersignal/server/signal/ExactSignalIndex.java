package org.countersignal.server.signal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;
import org.countersignal.index.exact.ExactIndex;
import org.countersignal.index.hamming.MatchSink;

/**
 * Values that match only when equal (digests; URLs by their canonical form), keyed by the bytes
 * {@code key} makes of the canonical text.
 */
public final class ExactSignalIndex implements SignalIndex {

  private final ExactIndex index;
  private final Function<String, byte[]> key;

  public ExactSignalIndex(Function<String, byte[]> key) {
    this(new ExactIndex(), key);
  }

  private ExactSignalIndex(ExactIndex index, Function<String, byte[]> key) {
    this.index = index;
    this.key = key;
  }

  public static ExactSignalIndex read(Path file, Function<String, byte[]> key) throws IOException {
    return new ExactSignalIndex(ExactIndex.readSnapshot(file), key);
  }

  @Override
  public void add(long entryId, String value) {
    index.add(key.apply(value), entryId);
  }

  @Override
  public void remove(long entryId, String value) {
    index.remove(key.apply(value), entryId);
  }

  @Override
  public void search(String value, int threshold, MatchSink sink) {
    for (long id : index.lookup(key.apply(value))) {
      sink.accept(id, 0);
    }
  }

  @Override
  public long size() {
    return index.size();
  }

  @Override
  public void writeSnapshot(Path file) throws IOException {
    index.writeSnapshot(file);
  }
}
