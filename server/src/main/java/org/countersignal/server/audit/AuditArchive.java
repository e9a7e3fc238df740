package org.countersignal.server.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.countersignal.server.RequestException;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Old audit records moved out of the database into a file, with the chain kept whole: the audit
 * log otherwise grows with every change for as long as the service runs.
 *
 * <p>Archiving is two steps, so that nothing is deleted that the operator does not hold. {@link
 * #export} writes the records of every seal not yet archived, up to a chosen seal, with the seals
 * themselves, as JSON lines; the bytes depend only on the rows, so the same range always exports
 * the same file. {@link #archive} then takes that file's SHA-256, writes the export again into a
 * digest, and only when the two agree deletes the records, seal by seal, marking each seal with
 * the file's hash. The seals stay: {@link AuditChain#verify} still runs from the first seal,
 * checking archived seals' links and MACs, and {@link #check} holds an archive file against its
 * own seals, so an auditor can show that the file holds exactly the records sealed, and compare
 * its last chain hash with the seal the server lists.
 *
 * <p>The file: a header line {@code {"format":…,"from_seal":F,"through_seal":N,
 * "chain_sha256_before":…}}, then for each seal its records, one line each ({@code {"record":
 * {…}}}, the eight hashed fields with {@code before} and {@code after} as the JSON text stored),
 * followed by the seal's own line ({@code {"seal":{…}}}).
 */
public final class AuditArchive {

  public static final String FORMAT = "countersignal-audit-archive/1";

  /** Problems listed in a check; past these it only counts. */
  private static final int MAX_PROBLEMS = 100;

  private static final ObjectMapper JSON = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
      .disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private final Jdbi jdbi;

  public AuditArchive(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The file's first line. */
  public record Header(String format, long fromSeal, long throughSeal, String chainSha256Before) {}

  /** One audit record, as the file holds it: the fields the seal hashed, as they were hashed. */
  public record ArchivedRecord(long id, String occurredAt, Long actorKeyId, String action, String targetType, String targetId,
      String before, String after) {}

  /** What {@link #archive} did. */
  public record Archived(long fromSeal, long throughSeal, long records, String sha256) {}

  /**
   * What {@link #check} found in a file.
   *
   * @param lastChainSha256 the chain hash of the file's last seal: the seal the server lists under
   *     that number must carry the same
   */
  public record Check(boolean intact, Long fromSeal, Long throughSeal, long seals, long records, String chainSha256Before,
      String lastChainSha256, long problemsFound, List<String> problems) {}

  /** The seals an export through {@code throughSeal} covers: from the first one not archived. */
  private record Range(long from, long through, byte[] chainBefore) {}

  private static Range range(Handle h, long throughSeal) {
    long newest = AuditChain.newest(h).map(AuditChain.Seal::seq).orElse(0L);
    if (throughSeal > newest) {
      throw RequestException.invalid("through_seal", "there is no seal " + throughSeal + " yet; the newest is " + newest
          + " (POST /api/v1/audit/seal seals what is committed)");
    }
    Long firstKept = h.createQuery("SELECT MIN(seq) FROM audit_seals WHERE archived_at IS NULL").mapTo(Long.class).one();
    long from = firstKept == null ? newest + 1 : firstKept;
    if (from > throughSeal) {
      throw new RequestException(RequestException.Kind.CONFLICT, "the records of seals up to " + (from - 1) + " are archived already; nothing up to seal "
          + throughSeal + " is left to archive");
    }
    byte[] before = from == 1 ? AuditChain.GENESIS
        : HexFormat.of().parseHex(AuditChain.seal(h, from - 1).orElseThrow().chainSha256());
    return new Range(from, throughSeal, before);
  }

  /**
   * Writes the archive of every seal not yet archived up to {@code throughSeal} to {@code out};
   * returns its SHA-256. The same range writes the same bytes, for as long as it is not archived.
   */
  public String export(long throughSeal, OutputStream out) throws IOException {
    MessageDigest digest = sha256();
    try (DigestOutputStream digesting = new DigestOutputStream(new BufferedOutputStream(out, 1 << 16), digest)) {
      jdbi.useTransaction(h -> write(h, range(h, throughSeal), digesting));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * Deletes the records of every seal not yet archived up to {@code throughSeal}, once {@code
   * sha256} is shown to be the SHA-256 of their {@link #export}: a file the caller holds whole.
   * Each seal's records go in a transaction of their own, marked on the seal, so a run cut short
   * leaves whole seals archived and the rest as they were; exporting again takes up from there.
   */
  public Archived archive(long actorKeyId, long throughSeal, String sha256) {
    String claimed = sha256 == null ? "" : sha256.strip().toLowerCase(java.util.Locale.ROOT);
    if (!claimed.matches("[0-9a-f]{64}")) {
      throw RequestException.invalid("sha256", "the SHA-256 of the exported archive file, as 64 hex digits");
    }
    Range range = jdbi.inTransaction(h -> range(h, throughSeal));
    MessageDigest digest = sha256();
    try (DigestOutputStream digesting = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
      jdbi.useTransaction(h -> write(h, range, digesting));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not from a null stream
    }
    if (!HexFormat.of().formatHex(digest.digest()).equals(claimed)) {
      throw new RequestException(RequestException.Kind.CONFLICT, "sha256 is not the SHA-256 of the archive of seals " + range.from() + " to " + range.through()
          + " (GET /api/v1/audit/archive?through_seal=" + range.through() + "): nothing was deleted");
    }
    long removed = 0;
    for (long seq = range.from(); seq <= range.through(); seq++) {
      long s = seq;
      removed += jdbi.inTransaction(h -> {
        int deleted = h.createUpdate("DELETE FROM audit_log WHERE seal = :seq").bind("seq", s).execute();
        h.createUpdate("UPDATE audit_seals SET archived_at = :now, archive_sha256 = :sha WHERE seq = :seq AND archived_at IS NULL")
            .bind("now", Clock.now(h)).bind("sha", claimed).bind("seq", s).execute();
        return deleted;
      });
    }
    Archived archived = new Archived(range.from(), range.through(), removed, claimed);
    jdbi.useTransaction(h -> AuditLog.append(h, actorKeyId, "audit.archived", "audit_seal", range.through(), null, archived));
    return archived;
  }

  private static void write(Handle h, Range range, OutputStream out) throws IOException {
    JSON.writeValue(out, new Header(FORMAT, range.from(), range.through(), HexFormat.of().formatHex(range.chainBefore())));
    out.write('\n');
    for (long seq = range.from(); seq <= range.through(); seq++) {
      AuditChain.Seal seal = AuditChain.seal(h, seq).orElseThrow(() -> new IllegalStateException("a seal of the range is missing"));
      List<AuditChain.Record> records = AuditChain.records(h, seq);
      if (records.size() != seal.records()) {
        // Archived meanwhile, or removed: a file without them would not verify, so none is written.
        throw new RequestException(RequestException.Kind.CONFLICT, "seal " + seq + " holds " + records.size() + " records and sealed " + seal.records()
            + "; GET /api/v1/audit/verification says more");
      }
      for (AuditChain.Record record : records) {
        JSON.writeValue(out, Map.of("record", archived(record)));
        out.write('\n');
      }
      JSON.writeValue(out, Map.of("seal", seal));
      out.write('\n');
    }
  }

  private static ArchivedRecord archived(AuditChain.Record record) {
    List<String> f = record.fields();
    return new ArchivedRecord(record.id(), f.get(1), f.get(2) == null ? null : Long.valueOf(f.get(2)), f.get(3), f.get(4), f.get(5),
        f.get(6), f.get(7));
  }

  /**
   * Checks an archive file on its own: each seal's records add up to its {@code records_sha256}
   * and count, each seal's chain hash follows from the one before (from the header's {@code
   * chain_sha256_before}), and, with {@code macKey} (the key derived from the server's secret key
   * file for {@link AuditChain#MAC_KEY_PURPOSE}), each seal's MAC verifies.
   */
  public static Check check(InputStream in, byte[] macKey) throws IOException {
    SecretKeySpec mac = macKey == null ? null : AuditChain.macKey(macKey);
    List<String> problems = new ArrayList<>();
    long[] found = {0};
    java.util.function.Consumer<String> problem = p -> {
      found[0]++;
      if (problems.size() < MAX_PROBLEMS) {
        problems.add(p);
      }
    };
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String first = reader.readLine();
    Header header;
    try {
      header = first == null ? null : JSON.readValue(first, Header.class);
    } catch (IOException e) {
      header = null;
    }
    if (header == null || !FORMAT.equals(header.format()) || header.chainSha256Before() == null
        || !header.chainSha256Before().matches("[0-9a-f]{64}")) {
      return new Check(false, null, null, 0, 0, null, null, 1, List.of("line 1 is not the header of a " + FORMAT + " file"));
    }
    byte[] chain = HexFormat.of().parseHex(header.chainSha256Before());
    long expectedSeq = header.fromSeal();
    long seals = 0;
    long records = 0;
    List<AuditChain.Record> pending = new ArrayList<>();
    String line;
    long number = 1;
    while ((line = reader.readLine()) != null) {
      number++;
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (IOException e) {
        problem.accept("line " + number + " is not JSON");
        continue;
      }
      if (node.has("record")) {
        ArchivedRecord r = value(node.get("record"), ArchivedRecord.class);
        if (r == null) {
          problem.accept("line " + number + " is not an audit record");
          continue;
        }
        pending.add(new AuditChain.Record(r.id(), Arrays.asList(Long.toString(r.id()), r.occurredAt(),
            r.actorKeyId() == null ? null : r.actorKeyId().toString(), r.action(), r.targetType(), r.targetId(), r.before(), r.after())));
        records++;
      } else if (node.has("seal")) {
        AuditChain.Seal seal = value(node.get("seal"), AuditChain.Seal.class);
        if (seal == null) {
          problem.accept("line " + number + " is not a seal");
          continue;
        }
        if (seal.seq() != expectedSeq) {
          problem.accept("seal " + seal.seq() + " comes where seal " + expectedSeq + " should");
        }
        if (pending.size() != seal.records()) {
          problem.accept("seal " + seal.seq() + " sealed " + seal.records() + " records; the file holds " + pending.size());
        }
        if (!HexFormat.of().formatHex(AuditChain.recordsHash(pending)).equals(seal.recordsSha256())) {
          problem.accept("seal " + seal.seq() + ": its records are not the ones sealed");
        }
        byte[] expected = AuditChain.chainHash(chain, seal.seq(), seal.records(), hex(seal.recordsSha256()));
        if (!HexFormat.of().formatHex(expected).equals(seal.chainSha256())) {
          problem.accept("seal " + seal.seq() + " does not follow from the seal before it");
        }
        if (mac != null && !AuditChain.mac(mac, hex(seal.chainSha256())).equals(seal.mac())) {
          problem.accept("seal " + seal.seq() + ": its MAC does not verify with this secret key file");
        }
        chain = hex(seal.chainSha256());
        expectedSeq = seal.seq() + 1;
        seals++;
        pending.clear();
      } else {
        problem.accept("line " + number + " is neither a record nor a seal");
      }
    }
    if (!pending.isEmpty()) {
      problem.accept(pending.size() + " records at the end of the file have no seal: the file was cut short");
    }
    if (expectedSeq != header.throughSeal() + 1) {
      problem.accept("the header names seals " + header.fromSeal() + " to " + header.throughSeal() + "; the file ends after seal "
          + (expectedSeq - 1));
    }
    return new Check(found[0] == 0, header.fromSeal(), header.throughSeal(), seals, records, header.chainSha256Before(),
        seals == 0 ? null : HexFormat.of().formatHex(chain), found[0], List.copyOf(problems));
  }

  /** {@code node} read as a {@code type}; null when it is not one, JSON's null included. */
  private static <T> T value(JsonNode node, Class<T> type) {
    try {
      return JSON.treeToValue(node, type);
    } catch (IOException e) {
      return null;
    }
  }

  /** Hex text as bytes; text that is not 64 hex digits as 32 zero bytes, which no real hash equals. */
  private static byte[] hex(String text) {
    return text != null && text.matches("[0-9a-f]{64}") ? HexFormat.of().parseHex(text) : new byte[32];
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}
