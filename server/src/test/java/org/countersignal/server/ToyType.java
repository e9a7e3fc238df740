package org.countersignal.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.countersignal.index.hamming.MatchSink;
import org.countersignal.server.signal.ServerSignalType;
import org.countersignal.server.signal.SignalIndex;
import org.countersignal.signals.ContentType;

/**
 * A signal type that exists only in test code: 16 hex digits (64 bits), matched within a
 * Hamming distance (default 4, at most 64) by a plain scan, its index snapshotted as text. It
 * shows that a type is one class: the server banks, matches, snapshots and follows it with no
 * other change.
 */
final class ToyType implements ServerSignalType {

  static final String NAME = "toy64";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String canonical(String text, String field) {
    if (text == null || !text.strip().matches("[0-9a-fA-F]{16}")) {
      throw RequestException.invalid(field, "a toy64 signal is 16 hex digits");
    }
    return text.strip().toLowerCase(Locale.ROOT);
  }

  @Override
  public int maxThreshold() {
    return 64;
  }

  @Override
  public int defaultThreshold() {
    return 4;
  }

  @Override
  public Set<ContentType> hashedFrom() {
    return Set.of();
  }

  @Override
  public SignalIndex newIndex() {
    return new ScanIndex();
  }

  @Override
  public SignalIndex readIndex(Path file) throws IOException {
    ScanIndex index = new ScanIndex();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] parts = line.split(" ");
      index.add(Long.parseLong(parts[0]), parts[1]);
    }
    return index;
  }

  /** Entry id to value, scanned whole: fine for a few entries. */
  static final class ScanIndex implements SignalIndex {

    private final Map<Long, Long> values = new ConcurrentHashMap<>();

    @Override
    public void add(long entryId, String value) {
      values.put(entryId, Long.parseUnsignedLong(value, 16));
    }

    @Override
    public void remove(long entryId, String value) {
      values.remove(entryId);
    }

    @Override
    public void search(String value, int threshold, MatchSink sink) {
      long query = Long.parseUnsignedLong(value, 16);
      values.forEach((id, banked) -> {
        int distance = Long.bitCount(query ^ banked);
        if (distance <= threshold) {
          sink.accept(id, distance);
        }
      });
    }

    @Override
    public long size() {
      return values.size();
    }

    @Override
    public void writeSnapshot(Path file) throws IOException {
      List<String> lines = new ArrayList<>();
      values.forEach((id, value) -> lines.add(id + " " + String.format("%016x", value)));
      Files.write(file, lines, StandardCharsets.UTF_8);
    }
  }
}
