package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** What the tests of the audit chain share: a server, its database beside it, an admin and an auditor key, and changes to audit. */
abstract class AuditServerTest {

  @TempDir Path dataDir;
  CountersignalServer server;
  Database database;
  Api api;
  String admin;
  String auditor;

  @BeforeEach
  void start() {
    server = TestServers.start(dataDir);
    database = TestServers.openDatabase(dataDir);
    api = new Api(server.port());
    admin = server.initialAdminKey().orElseThrow();
    auditor = TestServers.key(api, admin, "auditor");
  }

  @AfterEach
  void stop() {
    database.close();
    server.close();
  }

  /** {@code banks} banks made and changed: two audit records each. */
  void changes(int banks) {
    for (int i = 0; i < banks; i++) {
      long bank = api.post("/api/v1/banks", admin, "{\"name\":\"audited-" + i + "-" + System.nanoTime() + "\"}").json().get("id").asLong();
      assertThat(api.patch("/api/v1/banks/" + bank, admin, "{\"description\":\"changed " + i + "\"}").status()).isEqualTo(200);
    }
  }

  /** Seals what is committed now; returns the seals made. */
  JsonNode seal() {
    Api.Response sealed = api.post("/api/v1/audit/seal", auditor, null);
    assertThat(sealed.status()).as(sealed.body()).isEqualTo(200);
    return sealed.json().get("sealed");
  }

  List<JsonNode> seals() {
    List<JsonNode> all = new ArrayList<>();
    api.get("/api/v1/audit/seals?limit=1000", auditor).json().get("items").forEach(all::add);
    return all;
  }
}
