package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.countersignal.server.action.AccountViolations;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An account's history: its submissions with matches and decisions, newest first, and its counts. */
class AccountHistoryTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Database database;
  static Api api;
  static String admin;
  static final OffsetDateTime NOW = OffsetDateTime.now(ZoneOffset.UTC).withNano(0);
  static final List<Long> ids = new ArrayList<>();

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    database = TestServers.openDatabase(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    OffsetDateTime keep = NOW.plusDays(183);
    database.jdbi().useTransaction(h -> {
      // Oldest first: violating (reviewer), removed by a rule, matched only, labelled (not a violation).
      long violating = AccountRows.submission(h, "post-1", "acct-h", null, "violating", NOW.minusDays(4), keep);
      AccountRows.match(h, violating, "tvec", 11, 4, "[\"attacker_manifesto\"]");
      AccountRows.decision(h, violating, "review", "confirmed", "review");
      long removed = AccountRows.submission(h, "post-2", "acct-h", "other", "actioned", NOW.minusDays(3), keep);
      AccountRows.match(h, removed, "tvec", 12, 0, "[]");
      AccountRows.decision(h, removed, "remove", "taken", "rule");
      AccountRows.removed(h, removed, NOW.minusDays(3));
      long matched = AccountRows.submission(h, "post-3", "acct-h", null, "matched", NOW.minusDays(2), keep);
      AccountRows.match(h, matched, "tvec", 13, 8, "[]");
      AccountRows.decision(h, matched, "suspend_account", "pending_review", "rule");
      long labelled = AccountRows.submission(h, "post-4", "acct-h", null, "actioned", NOW.minusDays(1), keep);
      AccountRows.decision(h, labelled, "label", "taken", "rule");
      // A withdrawn suspension recommendation is not pending.
      AccountRows.decision(h, labelled, "suspend_account", "rejected", "review");
      AccountRows.submission(h, "elsewhere", "acct-other", null, "violating", NOW.minusDays(1), keep);
      ids.addAll(List.of(violating, removed, matched, labelled));
    });
  }

  @AfterAll
  static void stop() {
    // The server first: closing the embedded database shuts it down for every pool in the process.
    server.close();
    database.close();
  }

  @Test
  void countsAndPendingSuspension() {
    Api.Response response = api.get("/api/v1/accounts/acct-h", admin);
    assertThat(response.status()).as(response.header()).isEqualTo(200);
    JsonNode counts = response.json().get("counts");
    assertThat(counts.get("submissions").asInt()).isEqualTo(4);
    assertThat(counts.get("matched").asInt()).isEqualTo(3);
    assertThat(counts.get("confirmed_violations").asInt()).isEqualTo(2);
    assertThat(counts.get("removed").asInt()).isEqualTo(1);
    JsonNode suspensions = response.json().get("suspension_recommendations");
    assertThat(suspensions).hasSize(1);
    assertThat(suspensions.get(0).get("content_id").asText()).isEqualTo("post-3");
    assertThat(suspensions.get(0).get("state").asText()).isEqualTo("pending_review");
  }

  @Test
  void confirmedViolationsCountsViolatingAndTakenRemovalsOnly() {
    assertThat(violations("acct-h")).isEqualTo(2);
    assertThat(violations("acct-other")).isEqualTo(1);
    assertThat(violations("nobody")).isZero();
    assertThat(violations(null)).isZero();
  }

  static int violations(String account) {
    return database.jdbi().withHandle(h -> AccountViolations.confirmedViolations(h, account));
  }

  @Test
  void submissionsNewestFirstWithMatchesAndDecisions() {
    JsonNode items = api.get("/api/v1/accounts/acct-h", admin).json().get("items");
    assertThat(items).extracting(i -> i.get("content_id").asText()).containsExactly("post-4", "post-3", "post-2", "post-1");
    JsonNode first = items.get(3);
    assertThat(first.get("status").asText()).isEqualTo("violating");
    assertThat(first.get("matches")).hasSize(1);
    // The shape of /submissions and /cases: bank_name, amplifies, rule_name.
    assertThat(first.get("matches").get(0).get("bank_name").asText()).isEqualTo("tvec");
    assertThat(first.get("matches").get(0).get("entry_id").asLong()).isEqualTo(11);
    assertThat(first.get("matches").get(0).get("distance").asInt()).isEqualTo(4);
    assertThat(first.get("matches").get(0).get("labels").get(0).asText()).isEqualTo("attacker_manifesto");
    JsonNode removed = items.get(2);
    assertThat(removed.get("amplifies").asText()).isEqualTo("other");
    assertThat(removed.get("account").asText()).isEqualTo("acct-h");
    assertThat(removed.has("amplifies_account")).isFalse();
    assertThat(removed.get("removed_at").isNull()).isFalse();
    assertThat(removed.get("decisions")).singleElement().satisfies(d -> {
      assertThat(d.get("action").asText()).isEqualTo("remove");
      assertThat(d.get("state").asText()).isEqualTo("taken");
      assertThat(d.get("source").asText()).isEqualTo("rule");
      assertThat(d.get("rule_name").asText()).isEqualTo("test rule");
    });
    assertThat(items.get(0).get("matches")).isEmpty();
    assertThat(items.get(0).get("decisions")).hasSize(2);
  }

  @Test
  void pagesWithLimitAndBefore() {
    JsonNode page1 = api.get("/api/v1/accounts/acct-h?limit=3", admin).json();
    assertThat(page1.get("items")).extracting(i -> i.get("content_id").asText()).containsExactly("post-4", "post-3", "post-2");
    long before = page1.get("next_before").asLong();
    JsonNode page2 = api.get("/api/v1/accounts/acct-h?limit=3&before=" + before, admin).json();
    assertThat(page2.get("items")).extracting(i -> i.get("content_id").asText()).containsExactly("post-1");
    assertThat(page2.get("next_before").isNull()).isTrue();
    // The counts are the account's, not the page's.
    assertThat(page2.get("counts").get("submissions").asInt()).isEqualTo(4);
  }

  @Test
  void anAccountWithoutSubmissionsHasAnEmptyHistory() {
    JsonNode view = api.get("/api/v1/accounts/never-seen", admin).json();
    assertThat(view.get("items")).isEmpty();
    assertThat(view.get("counts").get("submissions").asInt()).isZero();
  }

  @Test
  void badPagingIsAProblem() {
    for (String query : new String[] {"?limit=0", "?limit=x", "?before=-1", "?limit=100000"}) {
      Api.Response response = api.get("/api/v1/accounts/acct-h" + query, admin);
      assertThat(response.status()).as(query + ": " + response.header()).isEqualTo(400);
      assertThat(response.contentType()).startsWith("application/problem+json");
    }
    Api.Response tooLong = api.get("/api/v1/accounts/" + "x".repeat(201), admin);
    assertThat(tooLong.status()).as(tooLong.header()).isEqualTo(400);
  }
}
