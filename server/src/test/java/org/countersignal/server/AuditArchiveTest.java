package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.countersignal.server.audit.AuditArchive;
import org.countersignal.server.audit.AuditChain;
import org.countersignal.server.webhook.SecretBox;
import org.junit.jupiter.api.Test;

/**
 * Archiving old audit records: the export holds exactly the records sealed, nothing is deleted
 * unless the caller shows the export's SHA-256, and afterwards the chain still verifies from its
 * first seal while the file, checked on its own, ends in the chain hash the server keeps.
 */
class AuditArchiveTest extends AuditServerTest {

  private static String sha256(String body) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
  }

  private static AuditArchive.Check check(String file, byte[] macKey) throws Exception {
    return AuditArchive.check(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)), macKey);
  }

  private String archiveRequest(long through, String sha256) {
    return "{\"through_seal\":" + through + ",\"sha256\":\"" + sha256 + "\"}";
  }

  /** Two seals at least (the server also seals by itself), and the number of the one before the newest. */
  private long twoSealsOrMore() {
    changes(3);
    seal();
    changes(2);
    seal();
    List<JsonNode> seals = seals();
    assertThat(seals).hasSizeGreaterThanOrEqualTo(2);
    return seals.get(seals.size() - 2).get("seq").asLong();
  }

  @Test
  void archivedRecordsLeaveTheDatabaseAndTheChainStillVerifiesFromItsFirstSeal() throws Exception {
    long through = twoSealsOrMore();
    List<JsonNode> seals = seals();
    long archivedRecords = seals.stream().filter(s -> s.get("seq").asLong() <= through).mapToLong(s -> s.get("records").asLong()).sum();
    long lastArchivedId = seals.get((int) through - 1).get("last_id").asLong();
    int before = AuditTest.all(api, auditor).size();

    Api.Response export = api.get("/api/v1/audit/archive?through_seal=" + through, auditor);
    assertThat(export.status()).as(export.body()).isEqualTo(200);
    assertThat(export.header("Content-Type")).startsWith("application/x-ndjson");
    assertThat(api.get("/api/v1/audit/archive?through_seal=" + through, auditor).body()).as("the same range, the same bytes")
        .isEqualTo(export.body());
    AuditArchive.Check file = check(export.body(), null);
    assertThat(file.intact()).as(file.problems().toString()).isTrue();
    assertThat(file.fromSeal()).isEqualTo(1);
    assertThat(file.seals()).isEqualTo(through);
    assertThat(file.records()).isEqualTo(archivedRecords);
    assertThat(file.lastChainSha256()).isEqualTo(seals.get((int) through - 1).get("chain_sha256").asText());

    // A copy that is not the export deletes nothing.
    Api.Response wrong = api.post("/api/v1/audit/archive", admin, archiveRequest(through, sha256(export.body() + "\n")));
    assertThat(wrong.status()).as(wrong.body()).isEqualTo(409);
    assertThat(wrong.body()).contains("nothing was deleted");
    assertThat(AuditTest.all(api, auditor)).hasSize(before);
    assertThat(api.post("/api/v1/audit/archive", auditor, archiveRequest(through, sha256(export.body()))).status()).isEqualTo(403);

    Api.Response archived = api.post("/api/v1/audit/archive", admin, archiveRequest(through, sha256(export.body())));
    assertThat(archived.status()).as(archived.body()).isEqualTo(200);
    assertThat(archived.json().get("from_seal").asLong()).isEqualTo(1);
    assertThat(archived.json().get("through_seal").asLong()).isEqualTo(through);
    assertThat(archived.json().get("records").asLong()).isEqualTo(archivedRecords);

    List<JsonNode> left = AuditTest.all(api, auditor);
    assertThat(left).allSatisfy(r -> assertThat(r.get("id").asLong()).isGreaterThan(lastArchivedId));
    assertThat(left).extracting(r -> r.get("action").asText()).contains("audit.archived");
    assertThat(seals()).allSatisfy(s -> assertThat(s.get("archived_at").isNull())
        .as("seal %s", s.get("seq")).isEqualTo(s.get("seq").asLong() > through));
    assertThat(seals().get(0).get("archive_sha256").asText()).isEqualTo(sha256(export.body()));

    seal();
    JsonNode verified = api.get("/api/v1/audit/verification", auditor).json();
    assertThat(verified.get("intact").asBoolean()).as(verified.toString()).isTrue();
    assertThat(verified.get("from_seal").asLong()).isEqualTo(1);
    assertThat(verified.get("archived_seals").asLong()).isEqualTo(through);
    assertThat(verified.get("seals_checked").asLong()).isEqualTo(seals().size());

    Api.Response again = api.get("/api/v1/audit/archive?through_seal=" + through, auditor);
    assertThat(again.status()).as(again.body()).isEqualTo(409);
    assertThat(again.body()).contains("archived already");
    Api.Response next = api.get("/api/v1/audit/archive?through_seal=" + (through + 1), auditor);
    assertThat(next.status()).isEqualTo(200);
    assertThat(check(next.body(), null).fromSeal()).as("the next archive starts where this one ended").isEqualTo(through + 1);
    assertThat(check(next.body(), null).chainSha256Before()).isEqualTo(file.lastChainSha256());
  }

  @Test
  void aSealRemovedAfterItsRecordsWereArchivedIsStillFound() throws Exception {
    long through = twoSealsOrMore();
    String export = api.get("/api/v1/audit/archive?through_seal=" + through, auditor).body();
    assertThat(api.post("/api/v1/audit/archive", admin, archiveRequest(through, sha256(export))).status()).isEqualTo(200);

    database.jdbi().useHandle(h -> h.createUpdate("DELETE FROM audit_seals WHERE seq = 1").execute());
    JsonNode verified = api.get("/api/v1/audit/verification", auditor).json();
    assertThat(verified.get("intact").asBoolean()).isFalse();
    assertThat(verified.get("problems").toString()).contains("missing: the seals jump from 0 to 2");
  }

  @Test
  void aCheckOfTheFileFindsARecordAlteredRemovedOrCutOffAndAForeignKey() throws Exception {
    long through = twoSealsOrMore();
    String export = api.get("/api/v1/audit/archive?through_seal=" + through, auditor).body();
    byte[] macKey = SecretBox.onlyKeyFile(dataDir.resolve("secret.key")).derivedKey(AuditChain.MAC_KEY_PURPOSE);
    assertThat(check(export, macKey).intact()).as("with this server's key").isTrue();

    List<String> lines = new ArrayList<>(export.lines().toList());
    int record = 1; // the first record of seal 1
    assertThat(lines.get(record)).startsWith("{\"record\":");

    List<String> altered = new ArrayList<>(lines);
    altered.set(record, lines.get(record).replace("\"action\":\"", "\"action\":\"x"));
    AuditArchive.Check alteredCheck = check(String.join("\n", altered), null);
    assertThat(alteredCheck.intact()).isFalse();
    assertThat(alteredCheck.problems()).contains("seal 1: its records are not the ones sealed");

    List<String> removed = new ArrayList<>(lines);
    removed.remove(record);
    assertThat(check(String.join("\n", removed), null).problems()).anySatisfy(p -> assertThat(p).startsWith("seal 1 sealed "));

    List<String> cut = lines.subList(0, lines.size() - 1);
    assertThat(check(String.join("\n", cut), null).problems()).anySatisfy(p -> assertThat(p).contains("the file was cut short"));

    byte[] foreign = new byte[32];
    AuditArchive.Check foreignCheck = check(export, foreign);
    assertThat(foreignCheck.intact()).isFalse();
    assertThat(foreignCheck.problems()).contains("seal 1: its MAC does not verify with this secret key file");

    assertThat(check("not an archive\n", null).problems()).containsExactly("line 1 is not the header of a " + AuditArchive.FORMAT + " file");
    // A record or a seal that is JSON's null is one more problem, not a failure of the check.
    String nulls = lines.get(0) + "\n{\"record\":null}\n{\"seal\":null}\n";
    assertThat(check(nulls, null).problems()).contains("line 2 is not an audit record", "line 3 is not a seal");
  }

  @Test
  void anArchiveOfNoSealOrOfASealToComeIsRefused() {
    Api.Response missing = api.get("/api/v1/audit/archive", auditor);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.body()).contains("through_seal");
    Api.Response future = api.get("/api/v1/audit/archive?through_seal=999999", auditor);
    assertThat(future.status()).isEqualTo(422);
    assertThat(future.body()).contains("there is no seal 999999 yet");
    Api.Response badHash = api.post("/api/v1/audit/archive", admin, "{\"through_seal\":1,\"sha256\":\"abc\"}");
    assertThat(badHash.status()).isEqualTo(422);
    assertThat(badHash.body()).contains("64 hex digits");
  }
}
