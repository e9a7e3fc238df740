package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.countersignal.server.audit.AuditLog;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * The audit log's hash chain: every record sealed once, in seals an auditor can recompute from the
 * records by the documented encoding, and a record removed or altered afterwards, or a chain
 * rewritten without the server's secret key file, found by the verification.
 */
class AuditChainTest extends AuditServerTest {

  private JsonNode verification() {
    Api.Response verified = api.get("/api/v1/audit/verification", auditor);
    assertThat(verified.status()).as(verified.body()).isEqualTo(200);
    return verified.json();
  }

  // The server also seals by itself every few seconds, so a test never counts on how the records
  // fall into seals: only on each being sealed once, in a chain that verifies.

  @Test
  void everyRecordIsSealedOnceAndTheChainVerifies() {
    changes(3);
    seal();
    assertThat(seal()).as("nothing new to seal").isEmpty();
    long sealed = seals().stream().mapToLong(s -> s.get("records").asLong()).sum();
    assertThat(sealed).isEqualTo(AuditTest.all(api, auditor).size());

    changes(2);
    seal();
    List<JsonNode> records = AuditTest.all(api, auditor);
    List<JsonNode> seals = seals();
    assertThat(records).allSatisfy(r -> assertThat(r.get("seal").isNull()).as(r.toString()).isFalse());
    assertThat(records.getFirst().get("seal").asLong()).isEqualTo(1);
    assertThat(records.getLast().get("seal").asLong()).isEqualTo(seals.getLast().get("seq").asLong());
    assertThat(seals.stream().mapToLong(s -> s.get("records").asLong()).sum()).isEqualTo(records.size());

    JsonNode verified = verification();
    assertThat(verified.get("intact").asBoolean()).as(verified.toString()).isTrue();
    assertThat(verified.get("seals_checked").asLong()).isEqualTo(seals.size());
    assertThat(verified.get("records_checked").asLong()).isEqualTo(records.size());
    assertThat(verified.get("unsealed_records").asLong()).isZero();
    assertThat(verified.at("/last/chain_sha256").asText()).isEqualTo(seals.getLast().get("chain_sha256").asText());
    assertThat(verified.get("problems")).isEmpty();
  }

  /** The encoding the class documentation of AuditChain gives, written again here from the text. */
  private static byte[] encode(List<String> fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String field : fields) {
      byte[] bytes = field == null ? null : field.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(ByteBuffer.allocate(4).putInt(bytes == null ? -1 : bytes.length).array());
      if (bytes != null) {
        out.writeBytes(bytes);
      }
    }
    return out.toByteArray();
  }

  private List<List<String>> rowsOfSeal(Handle h, long seal) {
    return h.createQuery("SELECT id, occurred_at, actor_key_id, action, target_type, target_id, before_json, after_json FROM audit_log "
            + "WHERE seal = :seal ORDER BY id")
        .bind("seal", seal)
        .map((rs, ctx) -> {
          List<String> fields = new ArrayList<>();
          fields.add(Long.toString(rs.getLong("id")));
          fields.add(rs.getObject("occurred_at", OffsetDateTime.class).toInstant().toString());
          Long actor = rs.getObject("actor_key_id", Long.class);
          fields.add(actor == null ? null : actor.toString());
          for (String column : List.of("action", "target_type", "target_id", "before_json", "after_json")) {
            fields.add(rs.getString(column));
          }
          return fields;
        })
        .list();
  }

  private static byte[] sha256(byte[]... parts) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }

  /** The chain hash of every seal, recomputed from the rows as an auditor with a copy of the database would. */
  private List<String> recomputed(int seals) throws Exception {
    List<String> chain = new ArrayList<>();
    byte[] previous = new byte[32];
    try (Handle h = database.jdbi().open()) {
      for (long seal = 1; seal <= seals; seal++) {
        MessageDigest records = MessageDigest.getInstance("SHA-256");
        List<List<String>> rows = rowsOfSeal(h, seal);
        rows.forEach(row -> records.update(encode(row)));
        previous = sha256(previous, ByteBuffer.allocate(16).putLong(seal).putLong(rows.size()).array(), records.digest());
        chain.add(HexFormat.of().formatHex(previous));
      }
    }
    return chain;
  }

  @Test
  void anAuditorRecomputesTheChainFromTheRecordsAlone() throws Exception {
    changes(2);
    seal();
    changes(1);
    seal();
    List<String> shown = seals().stream().map(s -> s.get("chain_sha256").asText()).toList();
    assertThat(shown).hasSizeGreaterThanOrEqualTo(2);
    assertThat(recomputed(shown.size())).isEqualTo(shown);
  }

  private long sealOfFirst(String action) {
    return database.jdbi().withHandle(h -> h.createQuery("SELECT seal FROM audit_log WHERE id = (SELECT MIN(id) FROM audit_log "
        + "WHERE action = :action AND id > (SELECT MIN(id) FROM audit_log WHERE seal = 1))").bind("action", action).mapTo(Long.class).one());
  }

  @Test
  void aRecordAlteredOrRemovedAfterItWasSealedIsFound() {
    changes(2);
    seal();
    changes(2);
    seal();
    changes(1);
    seal();
    assertThat(verification().get("intact").asBoolean()).isTrue();

    // Someone with write access to the database edits a record after the first of the log.
    long edited = sealOfFirst("bank.updated");
    database.jdbi().useHandle(h -> h.createUpdate("UPDATE audit_log SET after_json = REPLACE(after_json, 'changed', 'edited') "
        + "WHERE id = (SELECT MIN(id) FROM audit_log WHERE seal = :seal AND action = 'bank.updated')").bind("seal", edited).execute());
    JsonNode altered = verification();
    assertThat(altered.get("intact").asBoolean()).isFalse();
    assertThat(altered.get("problems")).extracting(p -> p.get("seal").asLong()).containsExactly(edited);
    assertThat(altered.at("/problems/0/problem").asText()).contains("record was removed, altered or added");

    // ... and removes the first record of the log.
    database.jdbi().useHandle(h -> h.createUpdate("DELETE FROM audit_log WHERE id = (SELECT MIN(id) FROM audit_log)").execute());
    JsonNode removed = verification();
    assertThat(removed.get("problems")).extracting(p -> p.get("seal").asLong()).contains(1L, edited);
    assertThat(removed.get("problems").toString()).contains("were sealed");

    // A seal removed: the one after it no longer follows from the one before, and its records name no seal.
    database.jdbi().useHandle(h -> h.createUpdate("DELETE FROM audit_seals WHERE seq = 2").execute());
    JsonNode gap = verification();
    assertThat(gap.get("problems").toString()).contains("the seals jump from 1 to 3", "does not follow from the seal before it",
        "records name a seal that does not exist");
  }

  @Test
  void aChainRewrittenWithoutTheSecretKeyFileDoesNotVerify() throws Exception {
    changes(2);
    seal();
    changes(1);
    seal();
    String kept = seals().getLast().get("chain_sha256").asText();
    int count = seals().size();

    // Whoever rewrites a record and recomputes every hash after it still cannot make the MAC.
    long edited = sealOfFirst("bank.updated");
    database.jdbi().useHandle(h -> h.createUpdate("UPDATE audit_log SET after_json = REPLACE(after_json, 'changed', 'edited') "
        + "WHERE seal = :seal AND action = 'bank.updated'").bind("seal", edited).execute());
    List<String> forged = recomputed(count);
    database.jdbi().useHandle(h -> {
      for (int seal = 1; seal <= count; seal++) {
        MessageDigest records = MessageDigest.getInstance("SHA-256");
        rowsOfSeal(h, seal).forEach(row -> records.update(encode(row)));
        h.createUpdate("UPDATE audit_seals SET records_sha256 = :records, chain_sha256 = :chain WHERE seq = :seq")
            .bind("records", HexFormat.of().formatHex(records.digest())).bind("chain", forged.get(seal - 1)).bind("seq", seal).execute();
      }
    });
    JsonNode verified = verification();
    assertThat(verified.get("intact").asBoolean()).isFalse();
    assertThat(verified.get("problems")).extracting(p -> p.get("problem").asText())
        .containsOnly("its MAC does not verify with this server's secret key file");
    assertThat(verified.get("problems")).extracting(p -> p.get("seal").asLong())
        .isEqualTo(java.util.stream.LongStream.rangeClosed(edited, count).boxed().toList());
    assertThat(verified.at("/last/chain_sha256").asText()).as("an auditor who kept the head sees it changed").isNotEqualTo(kept);
  }

  @Test
  void aRecordThatCommitsAfterLaterOnesIsSealedByTheNextSeal() {
    long late;
    try (Handle held = database.jdbi().open()) {
      held.begin();
      AuditLog.append(held, null, "test.long_transaction", "test", 1, null, Map.of("step", "written first, committed last"));
      late = held.createQuery("SELECT MAX(id) FROM audit_log").mapTo(Long.class).one();
      changes(2);
      seal();
      JsonNode meanwhile = verification();
      assertThat(meanwhile.get("intact").asBoolean()).as(meanwhile.toString()).isTrue();
      assertThat(meanwhile.get("unsealed_records").asLong()).isZero();
      held.commit();
    }
    seal();
    List<JsonNode> records = AuditTest.all(api, auditor);
    JsonNode lateRecord = records.stream().filter(r -> r.get("id").asLong() == late).findFirst().orElseThrow();
    JsonNode after = records.stream().filter(r -> r.get("id").asLong() > late).findFirst().orElseThrow();
    assertThat(lateRecord.get("seal").asLong()).as("sealed after the record that followed it").isGreaterThan(after.get("seal").asLong());
    JsonNode verified = verification();
    assertThat(verified.get("intact").asBoolean()).as(verified.toString()).isTrue();
    assertThat(verified.get("records_checked").asLong()).isEqualTo(records.size());
  }

  @Test
  void sealersRunningAtOnceKeepOneChainAndSealEachRecordOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> running = new ArrayList<>();
      running.add(pool.submit(() -> changes(15)));
      for (int sealer = 0; sealer < 2; sealer++) {
        running.add(pool.submit(() -> {
          for (int i = 0; i < 15; i++) {
            seal();
          }
        }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    seal();
    List<JsonNode> seals = seals();
    assertThat(seals).extracting(s -> s.get("seq").asLong())
        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, seals.size()).boxed().toList());
    long sealed = seals.stream().mapToLong(s -> s.get("records").asLong()).sum();
    assertThat(sealed).isEqualTo(AuditTest.all(api, auditor).size());
    JsonNode verified = verification();
    assertThat(verified.get("intact").asBoolean()).as(verified.toString()).isTrue();
  }

  @Test
  void theServerSealsNewRecordsByItself() {
    changes(1);
    WebhookReceiver.await("the records sealed without being asked", () ->
        AuditTest.all(api, auditor).stream().noneMatch(r -> r.get("seal").isNull()));
    assertThat(verification().get("intact").asBoolean()).isTrue();
  }

  @Test
  void onlyAdminsAndAuditorsSealAndVerifyAndABadCursorIsRefused() {
    String curator = TestServers.key(api, admin, "curator");
    assertThat(api.post("/api/v1/audit/seal", curator, null).status()).isEqualTo(403);
    assertThat(api.get("/api/v1/audit/verification", curator).status()).isEqualTo(403);
    Api.Response bad = api.get("/api/v1/audit/verification?from_seal=0", auditor);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("field").asText()).isEqualTo("from_seal");
  }
}
