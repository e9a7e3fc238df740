package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two admins revoking the last two admin keys that never expire, each their own, at the same
 * moment: one is refused, so an admin key that never expires always stays.
 */
class LastAdminKeyTest {

  @TempDir Path dataDir;

  @Test
  void ofTwoRevocationsAtOnceOfTheLastTwoLastingAdminKeysOneIsRefused() {
    try (CountersignalServer server = TestServers.start(dataDir)) {
      Api api = new Api(server.port());
      String[] keys = {server.initialAdminKey().orElseThrow(), null};
      long[] ids = {1, 0};
      for (int round = 0; round < 10; round++) {
        Api.Response made = api.post("/api/v1/keys", keys[0], "{\"role\":\"admin\"}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        keys[1] = made.json().get("key").asText();
        ids[1] = made.json().get("id").asLong();

        List<CompletableFuture<Integer>> revokes = List.of(
            CompletableFuture.supplyAsync(() -> api.delete("/api/v1/keys/" + ids[0], keys[0]).status()),
            CompletableFuture.supplyAsync(() -> api.delete("/api/v1/keys/" + ids[1], keys[1]).status()));
        List<Integer> statuses = revokes.stream().map(CompletableFuture::join).toList();
        assertThat(statuses).as("round " + round).containsExactlyInAnyOrder(204, 409);

        int kept = statuses.get(0) == 409 ? 0 : 1;
        keys[0] = keys[kept];
        ids[0] = ids[kept];
        assertThat(api.get("/api/v1/keys", keys[0]).status()).as("the key kept works").isEqualTo(200);
      }
    }
  }
}
