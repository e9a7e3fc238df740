package org.countersignal.server.match;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.countersignal.server.store.ChangeLog;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Index snapshots in the data directory, so a server that restarts (or a replica that was down)
 * loads its indexes from disk and replays only the changes made since, instead of the whole
 * change sequence.
 *
 * <p>Each snapshot is a folder {@code seq-N} holding the index files and {@code mark.properties}:
 * the last change it includes. {@code CURRENT} names the newest complete one and is replaced
 * atomically, so a crash while saving leaves the previous snapshot in force. A snapshot is used
 * only if the database still holds that very change at that position: a data directory pointed
 * at another (or a restored) database replays from the start rather than match stale entries.
 */
public final class IndexSnapshots {

  private static final Logger LOG = LoggerFactory.getLogger(IndexSnapshots.class);
  private static final String CURRENT = "CURRENT";
  private static final String MARK = "mark.properties";

  private final Path folder;

  public IndexSnapshots(Path folder) {
    this.folder = folder;
  }

  /** Writes the indexes as they stand after {@code last}; the caller keeps changes out meanwhile. */
  void save(MatchIndexes indexes, ChangeLog.Change last) throws IOException {
    Files.createDirectories(folder);
    String name = "seq-" + last.seq();
    Path target = folder.resolve(name);
    Path building = folder.resolve(name + ".partial");
    deleteTree(building);
    Files.createDirectories(building);
    indexes.save(building);
    Properties mark = new Properties();
    mark.setProperty("seq", Long.toString(last.seq()));
    mark.setProperty("entry_id", Long.toString(last.entryId()));
    mark.setProperty("signal_type", last.signalType());
    mark.setProperty("signal_value", last.signalValue());
    mark.setProperty("op", last.op().name());
    try (Writer out = Files.newBufferedWriter(building.resolve(MARK), StandardCharsets.UTF_8)) {
      mark.store(out, "the last change of the sequence these indexes include");
    }
    deleteTree(target);
    Files.move(building, target, StandardCopyOption.ATOMIC_MOVE);
    Path pointer = folder.resolve(CURRENT + ".partial");
    Files.writeString(pointer, name + "\n", StandardCharsets.UTF_8);
    Files.move(pointer, folder.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (DirectoryStream<Path> old = Files.newDirectoryStream(folder, "seq-*")) {
      for (Path path : old) {
        if (!path.getFileName().toString().equals(name)) {
          deleteTree(path);
        }
      }
    }
    // The snapshot holds every signal of every bank: owner-only like the rest of the data directory.
    org.countersignal.server.store.DataDirectory.restrictTree(folder);
  }

  /**
   * Loads the newest snapshot into {@code indexes} (which must be empty) if it is sound and
   * belongs to this database; returns the change it ends with, or empty to replay from the start.
   */
  Optional<ChangeLog.Change> restore(MatchIndexes indexes, Jdbi jdbi) {
    Path pointer = folder.resolve(CURRENT);
    if (!Files.exists(pointer)) {
      return Optional.empty();
    }
    try {
      Path snapshot = folder.resolve(Files.readString(pointer, StandardCharsets.UTF_8).strip());
      Properties mark = new Properties();
      try (Reader in = Files.newBufferedReader(snapshot.resolve(MARK), StandardCharsets.UTF_8)) {
        mark.load(in);
      }
      long seq = Long.parseLong(mark.getProperty("seq"));
      long compacted = jdbi.withHandle(ChangeLog::compactedThrough);
      if (seq < compacted) {
        LOG.info("The index snapshot {} stands at change {}, before the compacted part of the change sequence (up to {});"
            + " replaying the whole change sequence instead", snapshot, seq, compacted);
        return Optional.empty();
      }
      List<ChangeLog.Change> atSeq = jdbi.withHandle(h -> ChangeLog.readAfter(h, seq - 1, 1));
      if (atSeq.isEmpty() || !sameChange(atSeq.getFirst(), mark)) {
        LOG.warn("The index snapshot {} does not belong to this database (its last change is not there); replaying the"
            + " whole change sequence instead", snapshot);
        return Optional.empty();
      }
      indexes.restore(snapshot);
      return Optional.of(atSeq.getFirst());
    } catch (IOException | RuntimeException e) {
      LOG.warn("The index snapshot in {} cannot be used ({}); replaying the whole change sequence instead", folder, e.toString());
      return Optional.empty();
    }
  }

  private static boolean sameChange(ChangeLog.Change change, Properties mark) {
    return change.seq() == Long.parseLong(mark.getProperty("seq"))
        && change.entryId() == Long.parseLong(mark.getProperty("entry_id"))
        && change.signalType().equals(mark.getProperty("signal_type"))
        && change.signalValue().equals(mark.getProperty("signal_value"))
        && change.op().name().equals(mark.getProperty("op"));
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
