package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each table has one owning package, and only that package's SQL writes it; others call its
 * methods, which take the caller's transaction handle. This reads the sources and the migrations,
 * so a new table without an owner, or a write from the wrong package, fails here. (The tables
 * db-scheduler writes itself are owned by the package that runs that scheduler.)
 */
class TableOwnershipTest {

  /** The table list of docs/SERVER.md ("Tables and their owners"). */
  static final Map<String, String> OWNERS = Map.ofEntries(
      Map.entry("api_keys", "auth"),
      Map.entry("instance_keys", "federation"),
      Map.entry("feeds", "federation"),
      Map.entry("feed_peers", "federation"),
      Map.entry("feed_opinions", "federation"),
      Map.entry("labels", "bank"),
      Map.entry("banks", "bank"),
      Map.entry("entries", "bank"),
      Map.entry("entry_signals", "bank"),
      Map.entry("entry_videos", "bank"),
      Map.entry("entry_values", "bank"),
      Map.entry("signal_changes", "store"),
      Map.entry("change_counter", "store"),
      Map.entry("store_locks", "store"),
      Map.entry("audit_log", "audit"),
      Map.entry("audit_seals", "audit"),
      Map.entry("jobs", "jobs"),
      Map.entry("scheduled_tasks", "jobs"),
      Map.entry("submissions", "action"),
      Map.entry("submission_matches", "action"),
      Map.entry("decisions", "action"),
      Map.entry("rules", "rules"),
      Map.entry("cases", "review"),
      Map.entry("appeals", "review"),
      Map.entry("false_positives", "review"),
      Map.entry("webhook_endpoints", "webhook"),
      Map.entry("webhook_events", "webhook"),
      Map.entry("webhook_deliveries", "webhook"),
      Map.entry("webhook_scheduled_tasks", "webhook"),
      Map.entry("users", "console"),
      Map.entry("console_sessions", "console"),
      Map.entry("reviewer_settings", "console"),
      Map.entry("takeover_actions", "account"),
      Map.entry("maintenance_scheduled_tasks", "retention"),
      Map.entry("exchanges", "exchange"),
      Map.entry("exchange_scheduled_tasks", "exchange"),
      Map.entry("exchange_reported_opinions", "exchange"),
      Map.entry("incidents", "incident"),
      Map.entry("incident_events", "incident"),
      Map.entry("incident_peer_hours", "incident"),
      Map.entry("incident_debriefs", "incident"),
      Map.entry("entry_match_hours", "flood"),
      Map.entry("entry_floods", "flood"),
      Map.entry("streams", "stream"),
      Map.entry("stream_frames", "stream"),
      Map.entry("stream_alerts", "stream"),
      Map.entry("discovery_settings", "discovery"),
      Map.entry("discovery_state", "discovery"),
      Map.entry("recent_signals", "discovery"),
      Map.entry("variant_proposals", "discovery"),
      Map.entry("hma_bank_ratios", "hma"),
      Map.entry("hma_contents", "hma"),
      Map.entry("order_authorities", "order"),
      Map.entry("removal_orders", "order"),
      Map.entry("removal_order_documents", "order"),
      Map.entry("order_complaints", "order"),
      Map.entry("preservation_holds", "order"),
      Map.entry("user_report_cases", "userreport"),
      Map.entry("user_reports", "userreport"),
      Map.entry("transparency_events", "transparency"),
      Map.entry("transparency_reports", "transparency"));

  private static final Path SOURCES = Path.of("src/main/java/org/countersignal/server");
  private static final Pattern WRITE = Pattern.compile("\\b(?:INSERT INTO|UPDATE|DELETE FROM|MERGE INTO)\\s+([a-z_]+)");
  private static final Pattern CREATE = Pattern.compile("CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)");

  @Test
  void everyTableHasAnOwner() throws IOException {
    for (String database : List.of("h2", "postgresql")) {
      TreeSet<String> tables = new TreeSet<>();
      try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration", database))) {
        for (Path file : files.toList()) {
          Matcher m = CREATE.matcher(Files.readString(file));
          while (m.find()) {
            tables.add(m.group(1));
          }
        }
      }
      assertThat(OWNERS.keySet()).as(database + " tables").containsExactlyInAnyOrderElementsOf(tables);
    }
  }

  @Test
  void onlyTheOwnerWritesATable() throws IOException {
    List<String> wrong = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Path relative = SOURCES.relativize(file);
        String pkg = relative.getNameCount() > 1 ? relative.getName(0).toString() : "";
        Matcher m = WRITE.matcher(Files.readString(file));
        while (m.find()) {
          String owner = OWNERS.get(m.group(1));
          if (owner != null && !owner.equals(pkg)) {
            wrong.add(relative + " writes " + m.group(1) + " (owned by " + owner + ")");
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }
}
