package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report case's reports on its case page: what each reporter said and why, trusted flaggers by
 * name and users not, and the possible-campaign flag with its reason; for reviewers, admins and
 * auditors, as {@code GET /api/v1/cases/{id}/reports} is.
 */
class ConsoleReportsTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static String admin;
  static String platform;

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    platform = TestServers.key(api, admin, "matcher");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static ConsoleClient signedIn(String key) {
    ConsoleClient client = new ConsoleClient(server.port());
    assertThat(client.signInWithKey(key).status()).isEqualTo(303);
    return client;
  }

  static long report(String reporter, String kind, int ageDays, String details) {
    Api.Response sent = api.post("/api/v1/reports", platform, "{\"reporter_id\":\"" + reporter + "\",\"reporter_kind\":\"" + kind
        + "\",\"reporter_account_age_days\":" + ageDays + ",\"reason\":\"glorification\",\"details\":\"" + details
        + "\",\"content_id\":\"post-77\",\"account\":\"acct-9\"}");
    assertThat(sent.status()).as(sent.body()).isEqualTo(201);
    return sent.json().at("/report/case_id").asLong();
  }

  @Test
  void aReportCaseShowsItsReportsAndWhyItMayBeACampaign() {
    long caseId = report("tf-europol-iru", "trusted_flagger", 3000, "Recruitment video <b>of the group</b>");
    for (int i = 1; i <= 5; i++) {
      assertThat(report("new-user-" + i, "user", 1, "fake news")).isEqualTo(caseId);
    }

    ConsoleClient reviewer = signedIn(TestServers.key(api, admin, "reviewer"));
    ConsoleClient.Page page = reviewer.get("/console/cases/" + caseId);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("id=\"reports\"").contains("id=\"possible-campaign\"")
        .contains("5 reports from accounts made less than 7 days before")
        .contains("trusted flagger</strong> tf-europol-iru").contains("Recruitment video &lt;b&gt;of the group&lt;/b&gt;")
        .contains("6 reporters, 1 of them trusted flaggers").contains("new account").doesNotContain("new-user-1");
    assertThat(page.body().split("data-report-id=").length - 1).isEqualTo(6);

    ConsoleClient auditor = signedIn(TestServers.key(api, admin, "auditor"));
    assertThat(auditor.get("/console/cases/" + caseId).body()).contains("id=\"possible-campaign\"").contains("tf-europol-iru");
    // Curators see cases but not their reports, as through the API.
    ConsoleClient curator = signedIn(TestServers.key(api, admin, "curator"));
    ConsoleClient.Page curated = curator.get("/console/cases/" + caseId);
    assertThat(curated.status()).isEqualTo(200);
    assertThat(curated.body()).contains("shown to reviewers, admins and auditors").doesNotContain("tf-europol-iru")
        .doesNotContain("id=\"possible-campaign\"");
  }
}
