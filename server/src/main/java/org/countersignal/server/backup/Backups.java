package org.countersignal.server.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.Sha256;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.DataDirectory;
import org.countersignal.server.store.Database;

/**
 * Backups of the embedded database made while the server runs: H2's {@code BACKUP TO}, a
 * transactionally consistent copy of the database file taken without stopping writers, zipped
 * into {@code DATA/backups/}. The name is the server's, never the caller's, so no request chooses
 * where a file is written. On PostgreSQL the database's own tools make backups (docs/BACKUP.md):
 * this refuses rather than pretend.
 *
 * <p>A backup holds the database only. The stored secrets in it are sealed with the server key,
 * which is backed up apart (a stolen backup alone gives no secret away); the indexes are rebuilt
 * from the database at the first start of a restored copy.
 */
public final class Backups {

  private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final String PREFIX = "countersignal-";
  private static final String SUFFIX = ".zip";

  private final Database database;
  private final Path folder;

  /** One backup file. */
  public record Backup(String name, long bytes, String sha256, String createdAt) {}

  public Backups(Database database, Path dataDir) {
    this.database = database;
    this.folder = dataDir.toAbsolutePath().resolve("backups");
  }

  /** Makes a backup now, audited as {@code backup.made}; 409 on PostgreSQL. */
  public synchronized Backup make(Principal actor) {
    if (!database.isEmbedded()) {
      throw new RequestException(Kind.CONFLICT, "the database is PostgreSQL: back it up with pg_dump (docs/BACKUP.md)");
    }
    try {
      Files.createDirectories(folder);
      DataDirectory.restrictTree(folder);
      OffsetDateTime now = Clock.now(database.jdbi());
      String name = freeName(PREFIX + NAME_TIME.format(now));
      Path partial = folder.resolve(name + ".partial");
      Files.deleteIfExists(partial);
      // The path is the server's own (no quote can come from a request), quoted all the same.
      database.jdbi().useHandle(h -> h.execute("BACKUP TO '" + partial.toString().replace("'", "''") + "'"));
      DataDirectory.restrictFile(partial);
      Path file = folder.resolve(name);
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
      Backup backup = new Backup(name, Files.size(file), Sha256.hex(file), Clock.text(now));
      Map<String, Object> after = new LinkedHashMap<>();
      after.put("name", backup.name());
      after.put("bytes", backup.bytes());
      after.put("sha256", backup.sha256());
      database.jdbi().useHandle(h -> AuditLog.append(h, actor.keyId(), "backup.made", "backup", null, null, after));
      return backup;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a backup in " + folder + ": " + e.getMessage(), e);
    }
  }

  /** The backups in the folder, oldest first (their names sort by time); without checksums, which would read every file. */
  public List<Backup> list() {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().startsWith(PREFIX) && f.getFileName().toString().endsWith(SUFFIX))
          .sorted()
          .map(f -> {
            try {
              return new Backup(f.getFileName().toString(), Files.size(f), null,
                  Clock.text(Clock.utc(Files.getLastModifiedTime(f).toInstant())));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }

  /** {@code stem}.zip, or {@code stem-2}.zip and so on when a backup of the same second exists. */
  private String freeName(String stem) {
    String name = stem + SUFFIX;
    for (int n = 2; Files.exists(folder.resolve(name)); n++) {
      name = stem + "-" + n + SUFFIX;
    }
    return name;
  }
}
