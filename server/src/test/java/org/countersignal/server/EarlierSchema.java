package org.countersignal.server;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * Takes a database back to the schema before a migration, for tests of what a migration does to
 * rows stored before it: each migration's undo, newest first, and its row in Flyway's history
 * deleted, so the next start applies it (and those after it) again. A new migration adds its undo
 * here, for H2 and for PostgreSQL (the same statements unless the migration differs between them).
 * The data a migration changed in place (as V11 renames words) is the test's to restore.
 */
final class EarlierSchema {

  private static final Map<Integer, Undo> UNDO = new TreeMap<>(Map.ofEntries(
      Map.entry(11, Undo.both()),
      Map.entry(12, Undo.both("DROP TABLE entry_values", "ALTER TABLE submission_matches DROP COLUMN part")),
      Map.entry(13, Undo.both("DROP TABLE exchange_scheduled_tasks", "DROP TABLE exchanges", "ALTER TABLE banks DROP COLUMN follows")),
      Map.entry(14, Undo.both("DROP INDEX entry_signals_hash", "ALTER TABLE entry_signals DROP COLUMN signal_hash",
          "CREATE INDEX entry_signals_value ON entry_signals (signal_type, signal_value)")),
      Map.entry(15, Undo.both("DROP TABLE feed_peers", "DROP TABLE feeds", "DROP TABLE instance_keys")),
      Map.entry(16, Undo.both("ALTER TABLE banks DROP COLUMN received_sharing", "ALTER TABLE banks DROP COLUMN sharing")),
      Map.entry(17, new Undo(List.of(), List.of("DROP TRIGGER signal_changes_notify ON signal_changes", "DROP FUNCTION signal_changes_notify()"))),
      Map.entry(18, Undo.both("ALTER TABLE entries DROP COLUMN origin", "ALTER TABLE instance_keys DROP COLUMN announcement",
          "ALTER TABLE instance_keys DROP COLUMN succeeds")),
      Map.entry(19, Undo.both("DROP TABLE exchange_reported_opinions", "DROP TABLE feed_opinions",
          "ALTER TABLE banks DROP COLUMN disable_when_disputed_by")),
      Map.entry(20, Undo.both("DROP INDEX feed_opinions_peer", "DELETE FROM feed_opinions WHERE platform <> ''",
          "ALTER TABLE feed_opinions DROP CONSTRAINT feed_opinions_pk",
          "ALTER TABLE feed_opinions DROP COLUMN platform",
          "ALTER TABLE feed_opinions ADD PRIMARY KEY (signal_hash, feed_id, peer, signal_type, signal_value)",
          "DELETE FROM exchange_reported_opinions WHERE platform <> ''",
          "ALTER TABLE exchange_reported_opinions DROP CONSTRAINT exchange_reported_opinions_pk",
          "ALTER TABLE exchange_reported_opinions DROP COLUMN platform",
          "ALTER TABLE exchange_reported_opinions ADD PRIMARY KEY (exchange_id, signal_type, signal_value)")),
      Map.entry(21, Undo.both("ALTER TABLE feeds DROP COLUMN labels")),
      Map.entry(22, Undo.both("ALTER TABLE exchanges DROP COLUMN urgent", "ALTER TABLE exchanges DROP COLUMN incidents",
          "ALTER TABLE submissions DROP COLUMN context", "DROP INDEX submission_matches_bank",
          "ALTER TABLE feeds DROP COLUMN announced_at", "ALTER TABLE feeds DROP COLUMN incident_id", "DROP TABLE incident_peer_hours", "DROP TABLE incident_events",
          "DROP TABLE incidents")),
      Map.entry(23, Undo.both("DROP TABLE incident_debriefs")),
      Map.entry(24, Undo.both("DROP INDEX signal_changes_bank", "DROP INDEX entries_disabled_until")),
      Map.entry(25, Undo.both("ALTER TABLE submissions DROP COLUMN account_attributes")),
      Map.entry(26, Undo.both("DROP TABLE hma_contents", "DROP TABLE hma_bank_ratios")),
      Map.entry(27, Undo.both("DROP TABLE preservation_holds", "DROP TABLE order_complaints", "DROP TABLE removal_order_documents", "DROP TABLE removal_orders",
          "DROP TABLE order_authorities")),
      Map.entry(28, Undo.both("DROP TABLE user_reports", "DROP TABLE user_report_cases",
          "DELETE FROM store_locks WHERE name = 'user_report_intake'")),
      Map.entry(29, Undo.both("DROP INDEX submissions_by_time", "DROP TABLE transparency_reports", "DROP TABLE transparency_events")),
      Map.entry(30, Undo.both("DROP INDEX user_reports_by_case_reporter", "DELETE FROM store_locks WHERE name LIKE 'user_report_intake/%'",
          "INSERT INTO store_locks (name) VALUES ('user_report_intake')")),
      Map.entry(31, Undo.both("DROP TABLE audit_seals", "DROP INDEX audit_log_by_seal", "ALTER TABLE audit_log DROP COLUMN seal")),
      Map.entry(32, Undo.both("ALTER TABLE api_keys DROP COLUMN expires_at")),
      Map.entry(33, Undo.both("ALTER TABLE audit_seals DROP COLUMN archive_sha256", "ALTER TABLE audit_seals DROP COLUMN archived_at")),
      Map.entry(34, Undo.both("DROP INDEX signal_changes_entry", "ALTER TABLE change_counter DROP COLUMN compacted_through")),
      Map.entry(35, Undo.both("ALTER TABLE banks DROP COLUMN purpose")),
      Map.entry(36, Undo.both("DROP TABLE entry_floods", "DROP TABLE entry_match_hours", "ALTER TABLE banks DROP COLUMN flood_guard")),
      Map.entry(37, Undo.both("DROP TABLE stream_alerts", "DROP TABLE stream_frames", "DROP TABLE streams")),
      Map.entry(38, Undo.both("DROP TABLE variant_proposals", "DROP TABLE discovery_state", "DROP TABLE recent_signals",
          "DROP TABLE discovery_settings")),
      Map.entry(39, Undo.both("DROP INDEX audit_log_by_actor", "DROP INDEX audit_log_by_action", "DROP INDEX audit_log_by_target"))));

  /** One migration's undo on each database; most are the same on both, a PostgreSQL-only feature's is empty on H2. */
  private record Undo(List<String> h2, List<String> postgresql) {

    static Undo both(String... statements) {
      return new Undo(List.of(statements), List.of(statements));
    }

    List<String> on(Handle h) {
      try {
        return "PostgreSQL".equals(h.getConnection().getMetaData().getDatabaseProductName()) ? postgresql : h2;
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private EarlierSchema() {}

  /** Undoes migration {@code version} and every later one. */
  static void before(Handle h, int version) {
    int newest = newestMigration();
    if (!UNDO.containsKey(newest)) {
      throw new IllegalStateException("migration V" + newest + " has no undo in EarlierSchema; add it");
    }
    List<Integer> versions = UNDO.keySet().stream().filter(v -> v >= version).sorted(java.util.Comparator.reverseOrder()).toList();
    for (int v : versions) {
      UNDO.get(v).on(h).forEach(h::execute);
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
