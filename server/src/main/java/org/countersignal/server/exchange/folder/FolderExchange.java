package org.countersignal.server.exchange.folder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.countersignal.server.exchange.ExchangeContext;
import org.countersignal.server.exchange.ExchangeException;
import org.countersignal.server.exchange.FetchDelta;
import org.countersignal.server.exchange.SignalExchange;

/**
 * A watched folder as an exchange: hash-list files dropped into it (python-threatexchange's
 * files, or our JSON lines; see {@link HashListFile}) are fetched, each new file once, in order of
 * modification time and then name. A file changed after it was read is read again (applying the
 * same record twice changes nothing). Files whose names start with a dot, or do not end in
 * {@code .txt}, {@code .csv} or {@code .jsonl}, are left alone, so a writer can write under another
 * name and rename when done.
 *
 * <p>Folders are read only under the server's exchange folder root: an exchange is configured
 * over the API, and reading any path the server can would hand out the server's files.
 */
public final class FolderExchange implements SignalExchange<FolderConfig, FolderCheckpoint> {

  static final int DEFAULT_BATCH = 1_000;
  static final int MAX_BATCH = 50_000;

  @Override
  public String name() {
    return "folder";
  }

  @Override
  public String description() {
    return "Hash-list files dropped into a folder under the server's exchange folder root: signal_type signal lines (.txt), "
        + "the dataset CSV (.csv) or JSON lines (.jsonl), each new file fetched once";
  }

  @Override
  public Class<FolderConfig> configType() {
    return FolderConfig.class;
  }

  @Override
  public Class<FolderCheckpoint> checkpointType() {
    return FolderCheckpoint.class;
  }

  @Override
  public Set<String> credentialNames() {
    return Set.of();
  }

  @Override
  public void check(FolderConfig config, ExchangeContext context) {
    folder(config, context);
    if (config.batchSize() != null && (config.batchSize() < 1 || config.batchSize() > MAX_BATCH)) {
      throw new IllegalArgumentException("batch_size: from 1 to " + MAX_BATCH);
    }
  }

  /** The folder the configuration names, which must lie within the root (checked again, symbolic links resolved, at each fetch). */
  static Path folder(FolderConfig config, ExchangeContext context) {
    if (config.path() == null || config.path().isBlank()) {
      throw new IllegalArgumentException("path: the folder to watch, relative to the exchange folder root " + context.folderRoot());
    }
    Path root = context.folderRoot().toAbsolutePath().normalize();
    Path folder = root.resolve(config.path().strip()).normalize();
    if (!folder.startsWith(root)) {
      throw new IllegalArgumentException("path: must lie within the exchange folder root " + root);
    }
    return folder;
  }

  @Override
  public Fetch<FolderCheckpoint> fetch(FolderConfig config, Map<String, String> credentials, FolderCheckpoint checkpoint,
      ExchangeContext context) {
    Path folder = folder(config, context);
    List<Listed> files;
    try {
      Path real = folder.toRealPath();
      if (!real.startsWith(context.folderRoot().toRealPath())) {
        throw new ExchangeException("the folder " + folder + " leads outside the exchange folder root");
      }
      files = newFiles(real, checkpoint);
    } catch (IOException e) {
      throw new ExchangeException("cannot read the folder " + folder + ": " + e.getMessage(), e);
    }
    return new FolderFetch(files, checkpoint, config.batch());
  }

  /** A hash-list file of the folder, with its modification time as listed. */
  private record Listed(Path file, String name, long modified) {}

  /**
   * The files to read, in order: the checkpoint's own if it is not done, then those after it. A
   * file changed after it is listed is read with its listed time, so the next fetch reads it again.
   */
  private static List<Listed> newFiles(Path folder, FolderCheckpoint checkpoint) throws IOException {
    List<Listed> files = new ArrayList<>();
    try (Stream<Path> listing = Files.list(folder)) {
      for (Path file : listing.filter(HashListFile::isHashList).toList()) {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
          continue;
        }
        long modified = attributes.lastModifiedTime().toMillis();
        String name = file.getFileName().toString();
        boolean current = checkpoint != null && !checkpoint.done() && checkpoint.file().equals(name)
            && checkpoint.modifiedMillis() == modified;
        if (checkpoint == null || current || checkpoint.isBefore(modified, name)) {
          files.add(new Listed(file, name, modified));
        }
      }
    }
    files.sort(Comparator.comparingLong(Listed::modified).thenComparing(Listed::name));
    return files;
  }

  /** Reads the files one after another, a batch of records at a time. */
  private static final class FolderFetch implements Fetch<FolderCheckpoint> {
    private final List<Listed> files;
    private final int batch;
    private FolderCheckpoint checkpoint;
    private int index;
    private HashListFile open;
    private long line;

    FolderFetch(List<Listed> files, FolderCheckpoint checkpoint, int batch) {
      this.files = files;
      this.checkpoint = checkpoint;
      this.batch = batch;
    }

    @Override
    public FetchDelta<FolderCheckpoint> next() {
      try {
        while (index < files.size()) {
          Listed listed = files.get(index);
          String name = listed.name();
          long modified = listed.modified();
          if (open == null) {
            open = new HashListFile(listed.file());
            line = 0;
            // Resuming a file part-read: skip what the checkpoint says is applied.
            if (checkpoint != null && !checkpoint.done() && checkpoint.file().equals(name) && checkpoint.modifiedMillis() == modified) {
              while (line < checkpoint.lines() && open.next() != null) {
                line++;
              }
            }
          }
          List<FetchDelta.Update> updates = new ArrayList<>();
          List<FetchDelta.Update> record = null;
          while (updates.size() < batch && (record = open.next()) != null) {
            updates.addAll(record);
            line++;
          }
          boolean done = record == null;
          if (done) {
            open.close();
            open = null;
            index++;
          }
          checkpoint = new FolderCheckpoint(name, modified, line, done);
          return new FetchDelta<>(updates, checkpoint);
        }
        return null;
      } catch (IOException | RuntimeException e) {
        if (e instanceof ExchangeException exchange) {
          throw exchange;
        }
        throw new ExchangeException("cannot read " + files.get(index).name() + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      if (open != null) {
        open.close();
      }
    }
  }
}
