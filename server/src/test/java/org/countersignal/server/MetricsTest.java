package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prometheus metrics: requests by route template and status, match queries and hits, index sizes. */
class MetricsTest {

  @TempDir Path dataDir;

  @Test
  void metricsCountRequestsMatchesAndIndexedSignals() {
    try (CountersignalServer server = TestServers.start(dataDir)) {
      Api api = new Api(server.port());
      String admin = server.initialAdminKey().orElseThrow();
      long bank = api.post("/api/v1/banks", admin, "{\"name\":\"metrics\"}").json().get("id").asLong();
      String md5 = "ab".repeat(16);
      api.post("/api/v1/banks/" + bank + "/entries", admin, "{\"signals\":{\"md5\":\"" + md5 + "\",\"pdq\":\"" + "0f".repeat(32) + "\"}}");
      api.post("/api/v1/match", admin, "{\"signals\":{\"md5\":\"" + md5 + "\"}}");
      api.post("/api/v1/match", admin, "{\"signals\":{\"md5\":\"" + "cd".repeat(16) + "\"}}");
      api.get("/api/v1/banks/999", admin);

      assertThat(api.get("/metrics", null).status()).as("metrics need a key too").isEqualTo(401);
      Api.Response metrics = api.get("/metrics", admin);
      assertThat(metrics.status()).isEqualTo(200);
      String text = metrics.body();
      assertThat(text).containsPattern("countersignal_index_entries\\{signal_type=\"md5\"\\} 1\\.0");
      assertThat(text).containsPattern("countersignal_index_entries\\{signal_type=\"pdq\"\\} 1\\.0");
      assertThat(text).containsPattern("countersignal_match_queries_total\\{signal_type=\"md5\"\\} 2\\.0");
      assertThat(text).containsPattern("countersignal_match_hits_total\\{signal_type=\"md5\"\\} 1\\.0");
      assertThat(text).containsPattern("countersignal_indexes_loaded 1\\.0");
      assertThat(text).containsPattern("countersignal_changes_applied_seq 2\\.0");
      assertThat(text).containsPattern(
          "countersignal_http_requests_seconds_count\\{method=\"POST\",route=\"/api/v1/match\",status=\"200\"\\} 2");
      assertThat(text).containsPattern(
          "countersignal_http_requests_seconds_count\\{method=\"GET\",route=\"/api/v1/banks/\\{id\\}\",status=\"404\"\\} 1");
    }
  }
}
