package org.countersignal.server.signal;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32;
import org.countersignal.index.hamming.MatchSink;
import org.countersignal.signals.url.CanonicalUrl;
import org.countersignal.signals.url.UrlMatcher;
import org.countersignal.signals.url.UrlPattern;

/**
 * Banked URL patterns in a {@link UrlMatcher}, keyed by entry id: a lookup probes one key per path
 * segment and host label of the URL, whatever the number of entries. The snapshot is the
 * patterns as text, one {@code entry id<TAB>pattern} a line, with their count and checksum last.
 *
 * <p>Lookups run under a read lock and changes under the write lock (the matcher allows
 * concurrent lookups but no lookup during a change).
 */
public final class UrlSignalIndex implements SignalIndex {

  private static final String HEADER = "countersignal url patterns 1";

  private final UrlMatcher matcher = new UrlMatcher();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();

  @Override
  public void add(long entryId, String value) {
    UrlPattern pattern = UrlType.pattern(value, "value");
    lock.writeLock().lock();
    try {
      matcher.add(entryId, pattern);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void remove(long entryId, String value) {
    UrlPattern pattern = UrlType.pattern(value, "value");
    lock.writeLock().lock();
    try {
      matcher.remove(entryId, pattern);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Every entry whose pattern covers the URL; a scoped query value is looked up as the URL it names. */
  @Override
  public void search(String value, int threshold, MatchSink sink) {
    for (UrlMatcher.Match match : lookup(value)) {
      sink.accept(match.id(), 0);
    }
  }

  /** Which banked pattern the URL fell under, and how: the URL itself, a path prefix or a domain. */
  @Override
  public Map<String, Object> explain(long entryId, String value, Object probe, int threshold) {
    for (UrlMatcher.Match match : lookup(value)) {
      if (match.id() == entryId) {
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("scope", match.pattern().rule().name().toLowerCase(java.util.Locale.ROOT));
        part.put("pattern", match.pattern().text());
        return part;
      }
    }
    return null;
  }

  private List<UrlMatcher.Match> lookup(String value) {
    CanonicalUrl url = UrlType.url(UrlType.pattern(value, "value"));
    lock.readLock().lock();
    try {
      return matcher.lookup(url);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public long size() {
    lock.readLock().lock();
    try {
      return matcher.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void writeSnapshot(Path file) throws IOException {
    CRC32 crc = new CRC32();
    long count = 0;
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(HEADER);
      out.newLine();
      List<String> lines = new ArrayList<>();
      lock.readLock().lock();
      try {
        matcher.forEach((id, pattern) -> lines.add(id + "\t" + pattern.text()));
      } finally {
        lock.readLock().unlock();
      }
      for (String line : lines) {
        crc.update(line.getBytes(StandardCharsets.UTF_8));
        out.write(line);
        out.newLine();
        count++;
      }
      out.write("end\t" + count + "\t" + Long.toHexString(crc.getValue()));
      out.newLine();
    }
  }

  static UrlSignalIndex read(Path file) throws IOException {
    UrlSignalIndex index = new UrlSignalIndex();
    CRC32 crc = new CRC32();
    long count = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      if (!HEADER.equals(in.readLine())) {
        throw new IOException(file + " is not a URL pattern snapshot");
      }
      for (String line; (line = in.readLine()) != null; ) {
        String[] fields = line.split("\t", -1);
        if (fields[0].equals("end")) {
          if (fields.length != 3 || Long.parseLong(fields[1]) != count || !fields[2].equals(Long.toHexString(crc.getValue()))
              || in.readLine() != null) {
            throw new IOException(file + " is damaged: its count or checksum does not agree");
          }
          return index;
        }
        if (fields.length != 2) {
          throw new IOException(file + " is damaged at pattern " + (count + 1));
        }
        crc.update(line.getBytes(StandardCharsets.UTF_8));
        index.add(Long.parseLong(fields[0]), fields[1]);
        count++;
      }
    } catch (RuntimeException e) {
      throw new IOException(file + " is damaged: " + e.getMessage(), e);
    }
    throw new IOException(file + " is damaged: it ends before its last line");
  }
}
