package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.countersignal.server.retention.Retention;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention purge: media and signals of content past its retention time go, unless an open
 * case or appeal holds it; the row, its status and its decisions stay.
 */
class RetentionTest {

  @TempDir Path dataDir;

  record Stored(String status, String signals, byte[] media, String mediaType, OffsetDateTime purgedAt) {}

  static Stored stored(Database database, long id) {
    return database.jdbi().withHandle(h -> h.createQuery(
            "SELECT status, signals, media, media_type, purged_at FROM submissions WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> new Stored(rs.getString("status"), rs.getString("signals"), rs.getBytes("media"),
            rs.getString("media_type"), rs.getObject("purged_at", OffsetDateTime.class)))
        .one());
  }

  @Test
  void purgesExpiredContentNobodyIsStillDecidingAbout() {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    OffsetDateTime past = now.minusDays(1);
    try (Database database = TestServers.openDatabase(dataDir)) {
      long[] ids = database.jdbi().inTransaction(h -> {
        long expired = AccountRows.submission(h, "expired", "a", null, "actioned", now.minusDays(200), past);
        AccountRows.decision(h, expired, "remove", "taken", "rule");
        AccountRows.removed(h, expired, now.minusDays(200));
        long kept = AccountRows.submission(h, "kept", "a", null, "actioned", now.minusDays(10), now.plusDays(173));
        long openCase = AccountRows.submission(h, "open-case", "a", null, "in_review", now.minusDays(200), past);
        AccountRows.reviewCase(h, openCase, "open");
        long escalated = AccountRows.submission(h, "escalated", "a", null, "in_review", now.minusDays(200), past);
        AccountRows.reviewCase(h, escalated, "escalated");
        long decidedCase = AccountRows.submission(h, "decided-case", "a", null, "violating", now.minusDays(200), past);
        AccountRows.reviewCase(h, decidedCase, "confirmed");
        long openAppeal = AccountRows.submission(h, "open-appeal", "a", null, "actioned", now.minusDays(200), past);
        AccountRows.appeal(h, openAppeal, "open");
        long upheld = AccountRows.submission(h, "upheld", "a", null, "actioned", now.minusDays(200), past);
        AccountRows.appeal(h, upheld, "upheld");
        return new long[] {expired, kept, openCase, escalated, decidedCase, openAppeal, upheld};
      });
      int auditBefore = database.jdbi().withHandle(h -> h.createQuery(
          "SELECT COUNT(*) FROM audit_log WHERE action = 'content.purge'").mapTo(Integer.class).one());

      try (Retention retention = new Retention(database.dataSource(), database.jdbi(), Duration.ofDays(183))) {
        assertThat(retention.purgeNow()).isEqualTo(3);
        assertThat(retention.purgeNow()).as("a purged row is not purged again").isZero();
      }

      for (long id : new long[] {ids[0], ids[4], ids[6]}) {
        Stored row = stored(database, id);
        assertThat(row.media()).isNull();
        assertThat(row.mediaType()).isNull();
        assertThat(row.signals()).isEqualTo("{}");
        assertThat(row.purgedAt()).isNotNull();
      }
      assertThat(stored(database, ids[0]).status()).isEqualTo("actioned");
      for (long id : new long[] {ids[1], ids[2], ids[3], ids[5]}) {
        Stored row = stored(database, id);
        assertThat(row.media()).containsExactly(1, 2, 3, 4);
        assertThat(row.mediaType()).isEqualTo("image/png");
        assertThat(row.signals()).contains("md5");
        assertThat(row.purgedAt()).isNull();
      }
      int decisions = database.jdbi().withHandle(h -> h.createQuery(
          "SELECT COUNT(*) FROM decisions WHERE submission_id = :id").bind("id", ids[0]).mapTo(Integer.class).one());
      assertThat(decisions).isEqualTo(1);
      var audit = database.jdbi().withHandle(h -> h.createQuery(
              "SELECT after_json FROM audit_log WHERE action = 'content.purge' ORDER BY id").mapTo(String.class).list());
      assertThat(audit).hasSize(auditBefore + 1);
      assertThat(Api.JSON.readTree(audit.getLast()).get("purged").asInt()).isEqualTo(3);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theScheduledPurgeStartsAndStopsWithItsOwnTable() {
    try (Database database = TestServers.openDatabase(dataDir)) {
      try (Retention retention = new Retention(database.dataSource(), database.jdbi(), Duration.ofDays(183))) {
        retention.start();
        // startTasks schedules the recurring purge before start returns.
        List<Object> tasks = database.jdbi().withHandle(h -> h.createQuery(
            "SELECT task_name FROM maintenance_scheduled_tasks ORDER BY task_name").mapToMap().list()).stream()
            .map(row -> row.get("task_name")).toList();
        assertThat(tasks).containsExactly("change-compaction", "content-purge");
      }
    }
  }

  @Test
  void theCompactionLeavesRecentChangesAndIncidentBanksWhole() throws Exception {
    try (CountersignalServer server = TestServers.start(dataDir);
        Database database = TestServers.openDatabase(dataDir)) {
      Api api = new Api(server.port());
      String admin = server.initialAdminKey().orElseThrow();
      String coordinator = TestServers.key(api, admin, "coordinator");
      Api.Response incident = api.post("/api/v1/incidents", coordinator,
          "{\"name\":\"compaction\",\"kind\":\"attack_livestreamed\",\"level\":\"incident\"}");
      assertThat(incident.status()).as(incident.body()).isEqualTo(201);
      long incidentBank = incident.json().get("bank_id").asLong();
      long ordinaryBank = api.post("/api/v1/banks", admin, "{\"name\":\"ordinary\"}").json().get("id").asLong();
      for (long bank : new long[] {incidentBank, ordinaryBank}) {
        Api.Response entry = api.post("/api/v1/banks/" + bank + "/entries", admin,
            "{\"signals\":{\"md5\":\"0123456789abcdef0123456789abcde" + (bank == incidentBank ? "0" : "1") + "\"}}");
        assertThat(entry.status()).as(entry.body()).isEqualTo(201);
        assertThat(api.delete("/api/v1/entries/" + entry.json().get("id").asLong(), admin).status()).isEqualTo(204);
      }

      try (Retention retention = new Retention(database.dataSource(), database.jdbi(), Duration.ofDays(183))) {
        assertThat(retention.compactChangesNow().removed()).as("nothing is older than the retention time").isZero();
      }
      Thread.sleep(5);
      try (Retention retention = new Retention(database.dataSource(), database.jdbi(), Duration.ofMillis(1))) {
        assertThat(retention.compactChangesNow().removed()).as("the ordinary bank's addition and removal").isEqualTo(2);
      }
      List<String> timeline = new java.util.ArrayList<>();
      api.get("/api/v1/incidents/" + incident.json().get("id").asLong() + "/timeline", coordinator).json().get("items")
          .forEach(e -> timeline.add(e.get("kind").asText()));
      assertThat(timeline).contains("entry_added", "entry_removed");
    }
  }
}
