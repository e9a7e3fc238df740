package org.countersignal.server;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * Takes a database back to the schema before a migration, for tests of what a migration does to
 * rows stored before it: each migration's undo, newest first, and its row in Flyway's history
 * deleted, so the next start applies it (and those after it) again. A new migration adds its undo
 * here. The data a migration changed in place (as V11 renames words) is the test's to restore.
 */
final class EarlierSchema {

  private static final Map<Integer, List<String>> UNDO = new TreeMap<>(Map.of(
      11, List.of(),
      12, List.of("DROP TABLE entry_values", "ALTER TABLE submission_matches DROP COLUMN part"),
      13, List.of("DROP TABLE exchange_scheduled_tasks", "DROP TABLE exchanges", "ALTER TABLE banks DROP COLUMN follows"),
      14, List.of("DROP INDEX entry_signals_hash", "ALTER TABLE entry_signals DROP COLUMN signal_hash",
          "CREATE INDEX entry_signals_value ON entry_signals (signal_type, signal_value)"),
      15, List.of("DROP TABLE feed_peers", "DROP TABLE feeds", "DROP TABLE instance_keys"),
      16, List.of("ALTER TABLE banks DROP COLUMN received_sharing", "ALTER TABLE banks DROP COLUMN sharing"),
      18, List.of("DROP TABLE exchange_reported_opinions", "DROP TABLE feed_opinions",
          "ALTER TABLE banks DROP COLUMN disable_when_disputed_by")));

  private EarlierSchema() {}

  /** Undoes migration {@code version} and every later one. */
  static void before(Handle h, int version) {
    int newest = newestMigration();
    if (!UNDO.containsKey(newest)) {
      throw new IllegalStateException("migration V" + newest + " has no undo in EarlierSchema; add it");
    }
    List<Integer> versions = UNDO.keySet().stream().filter(v -> v >= version).sorted(java.util.Comparator.reverseOrder()).toList();
    for (int v : versions) {
      UNDO.get(v).forEach(h::execute);
      h.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '" + v + "'");
    }
  }

  private static int newestMigration() {
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration/h2"))) {
      return files.map(f -> f.getFileName().toString())
          .filter(name -> name.matches("V\\d+__.*"))
          .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
          .max().orElseThrow();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
