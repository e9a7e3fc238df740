package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory and what the server keeps in it are the owner's alone, and the first admin
 * key goes to an owner-only file there rather than to standard error.
 */
class DataDirectoryTest {

  @TempDir Path parent;

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  /** Every folder and file under {@code dir}, itself included. */
  private static List<Path> tree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.toList();
    }
  }

  @Test
  void aNewDataDirectoryAndItsFilesAreOwnerOnly() throws Exception {
    Path dataDir = parent.resolve("data");
    try (CountersignalServer server = TestServers.start(dataDir)) {
      assertThat(mode(dataDir)).isEqualTo("rwx------");
      assertThat(mode(dataDir.resolve("secret.key"))).isEqualTo("rw-------");
      if (!TestDatabases.postgresql()) {
        assertThat(mode(dataDir.resolve("countersignal.mv.db"))).isEqualTo("rw-------");
      }

      Path keyFile = dataDir.toAbsolutePath().resolve("initial-admin-key");
      assertThat(server.initialAdminKeyFile()).contains(keyFile);
      assertThat(mode(keyFile)).isEqualTo("rw-------");
      String key = Files.readString(keyFile).strip();
      assertThat(key).isEqualTo(server.initialAdminKey().orElseThrow());
      Api api = new Api(server.port());
      assertThat(api.get("/api/v1/banks", key).status()).isEqualTo(200);
      long bank = api.post("/api/v1/banks", key, "{\"name\":\"kept\"}").json().get("id").asLong();
      assertThat(api.post("/api/v1/banks/" + bank + "/entries", key,
          "{\"signals\":{\"pdq\":\"f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22\"}}").status()).isEqualTo(201);
    }
    // Closing writes the index snapshot.
    assertThat(dataDir.resolve("index-snapshot")).isDirectory();
    if (!TestDatabases.postgresql()) {
      // H2 writes its trace file only for an error; a clean stop has none to log.
      assertThat(dataDir.resolve("countersignal.trace.db")).doesNotExist();
    }
    for (Path path : tree(dataDir)) {
      assertThat(mode(path)).as(path.toString()).isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
    }
  }

  @Test
  void anExistingDataDirectoryOpenToOthersIsTightenedAtStart() throws Exception {
    Path dataDir = parent.resolve("old");
    try (CountersignalServer first = TestServers.start(dataDir)) {
      assertThat(first.initialAdminKey()).isPresent();
    }
    // As an older version, or a careless copy, would have left it.
    for (Path path : tree(dataDir)) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
    }
    try (CountersignalServer second = TestServers.start(dataDir)) {
      assertThat(second.initialAdminKey()).isEmpty();
      assertThat(second.initialAdminKeyFile()).isEmpty();
      for (Path path : tree(dataDir)) {
        assertThat(mode(path)).as(path.toString()).isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
      }
    }
  }
}
