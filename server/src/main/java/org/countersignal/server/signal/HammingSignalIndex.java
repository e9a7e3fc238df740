package org.countersignal.server.signal;

import java.io.IOException;
import java.nio.file.Path;
import org.countersignal.index.hamming.Hash256;
import org.countersignal.index.hamming.HammingIndex;
import org.countersignal.index.hamming.MatchSink;

/** 256-bit hashes as 64 hex digits (PDQ and its kin), searched within a Hamming distance. */
public final class HammingSignalIndex implements SignalIndex {

  private final HammingIndex index;

  public HammingSignalIndex() {
    this(new HammingIndex());
  }

  private HammingSignalIndex(HammingIndex index) {
    this.index = index;
  }

  public static HammingSignalIndex read(Path file) throws IOException {
    return new HammingSignalIndex(HammingIndex.readSnapshot(file));
  }

  @Override
  public void add(long entryId, String value) {
    index.add(Hash256.fromHex(value), entryId);
  }

  @Override
  public void remove(long entryId, String value) {
    index.remove(Hash256.fromHex(value), entryId);
  }

  @Override
  public void search(String value, int threshold, MatchSink sink) {
    index.search(Hash256.fromHex(value), threshold, sink);
  }

  @Override
  public boolean compact() throws InterruptedException {
    return index.compact();
  }

  /** Segments of the index (an append buffer aside): one once compacted. */
  public int segmentCount() {
    return index.segmentCount();
  }

  @Override
  public long size() {
    return index.size();
  }

  @Override
  public void writeSnapshot(Path file) throws IOException {
    index.writeSnapshot(file);
  }

  @Override
  public void close() {
    index.close();
  }
}
