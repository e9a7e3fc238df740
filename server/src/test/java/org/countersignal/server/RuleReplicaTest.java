package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules changed through one server are evaluated by another on the same PostgreSQL database
 * shortly after (each evaluates from its own in-memory copy). PostgreSQL run only, like
 * {@link ReplicaTest}.
 */
@EnabledIfSystemProperty(named = TestDatabases.PROPERTY, matches = "postgresql")
class RuleReplicaTest {

  @TempDir Path dirA;
  @TempDir Path dirB;

  static final String MANIFESTO = "{\"hits\":[{\"bank_id\":1,\"bank_name\":\"b\",\"entry_id\":1,\"signal_type\":\"pdq\","
      + "\"query\":\"q\",\"distance\":4,\"threshold\":31,\"labels\":[\"attacker_manifesto\"],\"entities\":[]}],\"content_type\":\"image\"}";

  static List<String> fired(Api api, String key) {
    Api.Response response = api.post("/api/v1/rules/evaluate", key, MANIFESTO);
    assertThat(response.status()).as(response.header()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    response.json().get("firings").forEach(f -> names.add(f.get("rule_name").asText() + ":" + f.get("action").asText()));
    return names;
  }

  @Test
  void ruleChangesThroughOneServerAreEvaluatedByTheOther() throws Exception {
    String database = TestDatabases.newPostgresDatabase();
    try (CountersignalServer a = TestServers.start(ReplicaTest.replica(dirA, database));
        CountersignalServer b = TestServers.start(ReplicaTest.replica(dirB, database))) {
      Api apiA = new Api(a.port());
      Api apiB = new Api(b.port());
      String admin = a.initialAdminKey().orElseThrow();
      String curator = TestServers.key(apiA, admin, "curator");
      assertThat(fired(apiB, curator)).isEmpty();

      Api.Response created = apiA.post("/api/v1/rules", curator,
          "{\"name\":\"manifestos\",\"action\":\"remove\",\"conditions\":{\"labels\":[\"attacker_manifesto\"]}}");
      assertThat(created.status()).as(created.header()).isEqualTo(201);
      long id = created.json().get("id").asLong();
      assertThat(fired(apiA, curator)).as("the server that made it, at once").containsExactly("manifestos:remove");
      ReplicaTest.await(() -> fired(apiB, curator).equals(List.of("manifestos:remove")), "B fires the rule created through A");

      assertThat(apiB.patch("/api/v1/rules/" + id, curator, "{\"action\":\"review\"}").status()).isEqualTo(200);
      assertThat(fired(apiB, curator)).containsExactly("manifestos:review");
      ReplicaTest.await(() -> fired(apiA, curator).equals(List.of("manifestos:review")), "A sees the action changed through B");

      Api.Response second = apiB.post("/api/v1/rules", curator, "{\"name\":\"second\",\"action\":\"label\",\"priority\":9}");
      assertThat(second.status()).isEqualTo(201);
      assertThat(apiB.delete("/api/v1/rules/" + id, curator).status()).isEqualTo(204);
      ReplicaTest.await(() -> fired(apiA, curator).equals(List.of("second:label")), "A drops the rule deleted through B and has the new one");
    }
  }
}
