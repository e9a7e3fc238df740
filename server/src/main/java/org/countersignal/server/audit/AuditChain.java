package org.countersignal.server.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.SqlStates;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hash chain over the audit log, so that a record removed or altered after it was written is
 * found: the audit trail is evidence, and the database's own administrators must not be able to
 * edit it unseen.
 *
 * <p>Writers never wait for the chain. {@link AuditLog#append} stays one insert inside the
 * writer's transaction, on every replica at once; the chain is extended afterwards by a sealer
 * that folds the records committed since the last seal, in id order, into new seals (one for each
 * {@link #BATCH} ids at most; a bulk job's thousands of records cost one seal, not one link each).
 * Each replica runs a sealer; the seal's number is the table's primary key, so when two seal at
 * once one commits and the other's seal is refused, and the chain never forks. Identity ids are
 * handed out before commit, so a record can commit after records with higher ids: each record
 * therefore names the seal that covers it ({@code audit_log.seal}), and a late one is covered by
 * the next seal instead of being skipped.
 *
 * <p>What a seal holds, so that an auditor can recompute it from the records:
 * <ul>
 *   <li>each record encoded as its fields id, occurred_at (the instant as the API writes it),
 *       actor_key_id, action, target_type, target_id, before and after (the JSON text as stored),
 *       each as a 4-byte big-endian length and that many UTF-8 bytes (length -1 for null);
 *   <li>{@code records_sha256}: SHA-256 of the seal's records so encoded, in id order;
 *   <li>{@code chain_sha256}: SHA-256 of the previous seal's chain hash (32 zero bytes before the
 *       first seal), the seal's number and its record count (8 bytes each, big-endian) and
 *       {@code records_sha256};
 *   <li>{@code mac}: HMAC-SHA256 of the chain hash under a key derived from the server's secret
 *       key file, so that whoever can write the database but not read that file cannot forge a
 *       chain that verifies here.
 * </ul>
 */
public final class AuditChain {

  private static final Logger LOG = LoggerFactory.getLogger(AuditChain.class);

  /** The purpose the MAC key is derived for, from the server's secret key file. */
  public static final String MAC_KEY_PURPOSE = "audit seal";

  /** At most this many records in one seal: one transaction's work stays bounded. */
  static final int BATCH = 10_000;

  /** Problems listed in a verification; past these it only counts. */
  static final int MAX_PROBLEMS = 100;

  static final byte[] GENESIS = new byte[32];
  private static final String SEAL_COLUMNS = "seq, sealed_at, records, first_id, last_id, records_sha256, chain_sha256, mac, "
      + "archived_at, archive_sha256";

  private final Jdbi jdbi;
  private final SecretKeySpec macKey;

  /** @param macKey the key the seals' MACs are made with; replicas sharing a database must share it */
  public AuditChain(Jdbi jdbi, byte[] macKey) {
    this.jdbi = jdbi;
    this.macKey = macKey(macKey);
  }

  /**
   * One seal, as the API shows it.
   *
   * @param archivedAt when its records were moved out into an archive file ({@link AuditArchive});
   *     null while they are here
   * @param archiveSha256 the SHA-256 of that archive file
   */
  public record Seal(long seq, String sealedAt, int records, long firstId, long lastId, String recordsSha256, String chainSha256,
      String mac, String archivedAt, String archiveSha256) {}

  /** What is wrong with one seal, or with records no seal accounts for ({@code seal} 0). */
  public record Problem(long seal, String problem) {}

  /**
   * The outcome of recomputing the chain.
   *
   * @param intact every seal checked adds up, links to the one before and carries this server's MAC
   * @param fromSeal the first seal checked; its predecessor's chain hash was taken as given
   * @param unsealedRecords records committed but not sealed yet (the sealer runs every few seconds)
   * @param last the newest seal: an auditor who keeps its chain hash can tell later whether
   *     anything before it was rewritten, even by someone who could recompute the whole chain
   * @param archivedSeals seals checked whose records are archived: their links and MACs are
   *     checked here, their records against the archive file ({@link AuditArchive#check})
   * @param problemsFound how many problems were found; {@code problems} lists the first of them
   */
  public record Verification(boolean intact, long fromSeal, long sealsChecked, long recordsChecked, long archivedSeals,
      long unsealedRecords, Seal last, long problemsFound, List<Problem> problems) {}

  /**
   * Seals every record committed and not yet sealed, in seals of at most {@link #BATCH}; returns
   * the seals made. Safe beside a sealer on another replica: a seal the other made first is
   * simply not made here, and this run ends.
   *
   * <p>The records are taken in windows of {@link #BATCH} ids from the lowest unsealed one up to
   * the highest id when the run began, each window read through the index on (seal, id): a
   * backlog of millions (the first run after an upgrade) costs each seal its own records, not a
   * pass over all that are left. Records committed meanwhile below the window are the next run's.
   */
  public List<Seal> sealNow() {
    List<Seal> made = new ArrayList<>();
    Long[] range = jdbi.withHandle(h -> new Long[] {
        h.createQuery("SELECT MIN(id) FROM audit_log WHERE seal IS NULL").mapTo(Long.class).one(),
        h.createQuery("SELECT MAX(id) FROM audit_log").mapTo(Long.class).one()});
    if (range[0] == null) {
      return made;
    }
    for (long from = range[0]; from <= range[1]; from += BATCH) {
      Sealed sealed = sealWindow(from, Math.min(range[1], from + BATCH - 1));
      sealed.seal().ifPresent(made::add);
      if (sealed.sealedElsewhere()) {
        return made;
      }
    }
    return made;
  }

  /** {@link #sealNow}, with a failure logged and left to the next run: for the housekeeping thread. */
  public void sealQuietly() {
    try {
      sealNow();
    } catch (RuntimeException e) {
      LOG.warn("Sealing the audit log failed; the next run tries again", e);
    }
  }

  /** A record that committed, inside the range being sealed, after the range was read. */
  private static final class LateRecord extends RuntimeException {
    LateRecord() {
      super(null, null, false, false);
    }
  }

  /** What sealing one window came to: its seal, if it had records; or that another replica sealed first. */
  private record Sealed(Optional<Seal> seal, boolean sealedElsewhere) {}

  private Sealed sealWindow(long from, long to) {
    for (int attempt = 0; ; attempt++) {
      try {
        return new Sealed(jdbi.inTransaction(h -> seal(h, from, to)), false);
      } catch (LateRecord e) {
        if (attempt >= 3) {
          return new Sealed(Optional.empty(), false); // records keep arriving inside the window: the next run seals them
        }
      } catch (UnableToExecuteStatementException e) {
        if (SqlStates.causedBy(e, SqlStates.UNIQUE_VIOLATION)) {
          LOG.debug("Another replica made the next audit seal first");
          return new Sealed(Optional.empty(), true);
        }
        throw e;
      }
    }
  }

  private Optional<Seal> seal(Handle h, long from, long to) {
    List<Record> records = h.createQuery(
            "SELECT id, occurred_at, actor_key_id, action, target_type, target_id, before_json, after_json FROM audit_log "
                + "WHERE seal IS NULL AND id BETWEEN :from AND :to ORDER BY id")
        .bind("from", from)
        .bind("to", to)
        .map((rs, ctx) -> record(rs))
        .list();
    if (records.isEmpty()) {
      return Optional.empty();
    }
    Optional<Seal> previous = newest(h);
    long seq = previous.map(Seal::seq).orElse(0L) + 1;
    byte[] recordsHash = recordsHash(records);
    byte[] chainHash = chainHash(previous.map(s -> HexFormat.of().parseHex(s.chainSha256())).orElse(GENESIS), seq, records.size(),
        recordsHash);
    long first = records.getFirst().id();
    long last = records.getLast().id();
    OffsetDateTime now = Clock.now(h);
    Seal seal = new Seal(seq, Clock.text(now), records.size(), first, last, HexFormat.of().formatHex(recordsHash),
        HexFormat.of().formatHex(chainHash), mac(chainHash), null, null);
    h.createUpdate("INSERT INTO audit_seals (seq, sealed_at, records, first_id, last_id, records_sha256, chain_sha256, mac) VALUES (:seq, :at, :records, :first, :last, :recordsHash, :chain, :mac)")
        .bind("seq", seq)
        .bind("at", now)
        .bind("records", seal.records())
        .bind("first", first)
        .bind("last", last)
        .bind("recordsHash", seal.recordsSha256())
        .bind("chain", seal.chainSha256())
        .bind("mac", seal.mac())
        .execute();
    int marked = h.createUpdate("UPDATE audit_log SET seal = :seq WHERE seal IS NULL AND id BETWEEN :first AND :last")
        .bind("seq", seq).bind("first", first).bind("last", last).execute();
    if (marked != records.size()) {
      throw new LateRecord(); // rolls back: sealed again with it
    }
    return Optional.of(seal);
  }

  /**
   * Makes the MAC of every seal again under {@code to}, in {@code h}'s transaction, for a rotation
   * of the server key: a seal whose MAC verifies under one of {@code from} (or already under
   * {@code to}) gets the new key's; one that verifies under none keeps its MAC, and keeps failing
   * verification. Returns how many seals got a new MAC.
   */
  public static int remac(Handle h, List<byte[]> from, byte[] to) {
    SecretKeySpec target = macKey(to);
    List<SecretKeySpec> sources = from.stream().map(AuditChain::macKey).toList();
    int changed = 0;
    long after = 0;
    while (true) {
      List<Seal> page = h.createQuery("SELECT " + SEAL_COLUMNS + " FROM audit_seals WHERE seq > :after ORDER BY seq FETCH FIRST 1000 ROWS ONLY")
          .bind("after", after).map((rs, ctx) -> seal(rs)).list();
      for (Seal seal : page) {
        byte[] chain = HexFormat.of().parseHex(seal.chainSha256());
        String renewed = mac(target, chain);
        if (!renewed.equals(seal.mac()) && sources.stream().anyMatch(key -> mac(key, chain).equals(seal.mac()))) {
          h.createUpdate("UPDATE audit_seals SET mac = :mac WHERE seq = :seq").bind("mac", renewed).bind("seq", seal.seq()).execute();
          changed++;
        }
        after = seal.seq();
      }
      if (page.size() < 1000) {
        return changed;
      }
    }
  }

  /** Seals with {@code seq > after}, oldest first. */
  public List<Seal> seals(long after, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + SEAL_COLUMNS + " FROM audit_seals WHERE seq > :after ORDER BY seq "
            + "FETCH FIRST :limit ROWS ONLY")
        .bind("after", after).bind("limit", limit).map((rs, ctx) -> seal(rs)).list());
  }

  /**
   * Recomputes every seal from {@code fromSeal} on from the records that name it, and checks that
   * no record names a seal that does not exist. The seal before {@code fromSeal} is taken as
   * given: an auditor who kept its chain hash compares it with the one shown.
   */
  public Verification verify(long fromSeal) {
    return jdbi.inTransaction(h -> {
      List<Problem> problems = new ArrayList<>();
      long[] found = {0};
      java.util.function.Consumer<Problem> problem = p -> {
        found[0]++;
        if (problems.size() < MAX_PROBLEMS) {
          problems.add(p);
        }
      };
      long start = Math.max(1, fromSeal);
      Seal before = start == 1 ? null : seal(h, start - 1).orElse(null);
      if (start > 1 && before == null) {
        problem.accept(new Problem(start - 1, "the seal before the first one checked is missing"));
      }
      byte[] chain = before == null ? GENESIS : HexFormat.of().parseHex(before.chainSha256());
      long expectedSeq = start;
      long sealsChecked = 0;
      long recordsChecked = 0;
      long archivedSeals = 0;
      Seal last = before;
      while (true) {
        List<Seal> page = h.createQuery("SELECT " + SEAL_COLUMNS + " FROM audit_seals WHERE seq >= :from ORDER BY seq FETCH FIRST 100 ROWS ONLY")
            .bind("from", expectedSeq).map((rs, ctx) -> seal(rs)).list();
        for (Seal seal : page) {
          if (seal.seq() != expectedSeq) {
            problem.accept(new Problem(expectedSeq, "missing: the seals jump from " + (expectedSeq - 1) + " to " + seal.seq()));
          }
          if (seal.archivedAt() != null) {
            archivedSeals++; // its records are in the archive file, which AuditArchive.check holds against the seal
          } else {
            List<Record> records = records(h, seal.seq());
            recordsChecked += records.size();
            byte[] recordsHash = recordsHash(records);
            if (records.size() != seal.records()) {
              problem.accept(new Problem(seal.seq(), "holds " + records.size() + " records; " + seal.records() + " were sealed"));
            }
            if (!HexFormat.of().formatHex(recordsHash).equals(seal.recordsSha256())) {
              problem.accept(new Problem(seal.seq(), "its records are not the ones sealed: a record was removed, altered or added"));
            }
          }
          byte[] expected = chainHash(chain, seal.seq(), seal.records(), HexFormat.of().parseHex(seal.recordsSha256()));
          if (!HexFormat.of().formatHex(expected).equals(seal.chainSha256())) {
            problem.accept(new Problem(seal.seq(), "does not follow from the seal before it"));
          }
          if (!mac(HexFormat.of().parseHex(seal.chainSha256())).equals(seal.mac())) {
            problem.accept(new Problem(seal.seq(), "its MAC does not verify with this server's secret key file"));
          }
          chain = HexFormat.of().parseHex(seal.chainSha256());
          expectedSeq = seal.seq() + 1;
          sealsChecked++;
          last = seal;
        }
        if (page.size() < 100) {
          break;
        }
      }
      long orphans = h.createQuery("SELECT COUNT(*) FROM audit_log a WHERE a.seal IS NOT NULL "
              + "AND NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.seq = a.seal)")
          .mapTo(Long.class).one();
      if (orphans > 0) {
        problem.accept(new Problem(0, orphans + " records name a seal that does not exist"));
      }
      long unsealed = h.createQuery("SELECT COUNT(*) FROM audit_log WHERE seal IS NULL").mapTo(Long.class).one();
      return new Verification(found[0] == 0, start, sealsChecked, recordsChecked, archivedSeals, unsealed, last, found[0],
          List.copyOf(problems));
    });
  }

  /** The records seal {@code seq} covers, in id order. */
  static List<Record> records(Handle h, long seq) {
    return h.createQuery("SELECT id, occurred_at, actor_key_id, action, target_type, target_id, before_json, after_json FROM audit_log "
            + "WHERE seal = :seq ORDER BY id")
        .bind("seq", seq).map((rs, ctx) -> record(rs)).list();
  }

  /** Seal {@code seq}, if it exists. */
  static Optional<Seal> seal(Handle h, long seq) {
    return h.createQuery("SELECT " + SEAL_COLUMNS + " FROM audit_seals WHERE seq = :seq").bind("seq", seq).map((rs, ctx) -> seal(rs)).findOne();
  }

  /** The newest seal, if there is one. */
  static Optional<Seal> newest(Handle h) {
    return h.createQuery("SELECT " + SEAL_COLUMNS + " FROM audit_seals ORDER BY seq DESC FETCH FIRST 1 ROW ONLY")
        .map((rs, ctx) -> seal(rs)).findOne();
  }

  /** One audit record's fields, as they are hashed: id, occurred_at, actor_key_id, action, target_type, target_id, before, after. */
  record Record(long id, List<String> fields) {}

  private static Record record(java.sql.ResultSet rs) throws java.sql.SQLException {
    long id = rs.getLong("id");
    Long actor = rs.getObject("actor_key_id", Long.class);
    List<String> fields = new ArrayList<>(8);
    fields.add(Long.toString(id));
    fields.add(Clock.text(rs.getObject("occurred_at", OffsetDateTime.class)));
    fields.add(actor == null ? null : actor.toString());
    fields.add(rs.getString("action"));
    fields.add(rs.getString("target_type"));
    fields.add(rs.getString("target_id"));
    fields.add(rs.getString("before_json"));
    fields.add(rs.getString("after_json"));
    return new Record(id, fields);
  }

  private static Seal seal(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Seal(rs.getLong("seq"), Clock.text(rs.getObject("sealed_at", OffsetDateTime.class)), rs.getInt("records"),
        rs.getLong("first_id"), rs.getLong("last_id"), rs.getString("records_sha256"), rs.getString("chain_sha256"), rs.getString("mac"),
        Clock.text(rs.getObject("archived_at", OffsetDateTime.class)), rs.getString("archive_sha256"));
  }

  static byte[] recordsHash(List<Record> records) {
    MessageDigest digest = sha256();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
    DataOutputStream out = new DataOutputStream(buffer);
    try {
      for (Record record : records) {
        buffer.reset();
        for (String field : record.fields()) {
          if (field == null) {
            out.writeInt(-1);
          } else {
            byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
          }
        }
        digest.update(buffer.toByteArray());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not from an in-memory stream
    }
    return digest.digest();
  }

  static byte[] chainHash(byte[] previous, long seq, long records, byte[] recordsHash) {
    MessageDigest digest = sha256();
    digest.update(previous);
    digest.update(ByteBuffer.allocate(16).putLong(seq).putLong(records).array());
    digest.update(recordsHash);
    return digest.digest();
  }

  private String mac(byte[] chainHash) {
    return mac(macKey, chainHash);
  }

  static SecretKeySpec macKey(byte[] key) {
    return new SecretKeySpec(key.clone(), "HmacSHA256");
  }

  static String mac(SecretKeySpec key, byte[] chainHash) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(chainHash));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is required of every Java runtime", e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}
