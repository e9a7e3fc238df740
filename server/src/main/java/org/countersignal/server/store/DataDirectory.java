package org.countersignal.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory is the owner's alone: it holds the embedded database (password hashes, key
 * hashes, stored media), the server key, the first admin key and the index snapshots. It is made
 * (or tightened, when an older version made it readable by all) 0700 and the files in it 0600,
 * where the file system has POSIX permissions; elsewhere (Windows) the folder's own ACLs apply.
 */
public final class DataDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
  private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

  private DataDirectory() {}

  /** Makes {@code dir} owner-only, creating it if need be, and tightens everything already in it. */
  public static void prepare(Path dir) {
    try {
      if (posix(dir) && !Files.exists(dir)) {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
      } else {
        Files.createDirectories(dir);
      }
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // made meanwhile by another process on the same directory: tightened below
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dir, e);
    }
    restrictTree(dir);
  }

  /**
   * Sets every folder under {@code root} (itself included) to 0700 and every file to 0600.
   * Symbolic links are left alone: what they point to is not ours to change.
   */
  public static void restrictTree(Path root) {
    if (!posix(root) || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.forEach(p -> {
        if (!p.equals(root) && Files.isSymbolicLink(p)) {
          return;
        }
        restrict(p, Files.isDirectory(p) ? OWNER_DIR : OWNER_FILE);
      });
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Could not make everything in {} owner-only: {}", root, e.getMessage());
    }
  }

  /** Makes {@code file} 0600 (where permissions exist). */
  public static void restrictFile(Path file) {
    if (posix(file) && Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(file)) {
      restrict(file, OWNER_FILE);
    }
  }

  /**
   * Writes {@code bytes} to {@code file}, replacing it, readable by the owner only from the
   * moment it exists.
   */
  public static void writeOwnerOnly(Path file, byte[] bytes) {
    try {
      Files.deleteIfExists(file);
      FileAttribute<?>[] attributes = posix(file)
          ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)} : new FileAttribute<?>[0];
      Files.createFile(file, attributes);
      Files.write(file, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void restrict(Path path, Set<PosixFilePermission> permissions) {
    try {
      if (!Files.getPosixFilePermissions(path).equals(permissions)) {
        Files.setPosixFilePermissions(path, permissions);
      }
    } catch (IOException e) {
      LOG.warn("Could not make {} owner-only: {}", path, e.getMessage());
    }
  }

  private static boolean posix(Path path) {
    FileSystem fs = path.getFileSystem();
    return fs.supportedFileAttributeViews().contains("posix");
  }
}
