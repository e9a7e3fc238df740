package org.countersignal.server.federation;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.countersignal.server.Sha256;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.store.Clock;
import org.countersignal.server.webhook.SecretBox;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * This instance's Ed25519 signing key: made at the first start and kept in the database, its
 * private half sealed with the server's secret key file, so every replica signs with the same key
 * and peers pin it once.
 *
 * <p>The key can be rotated: the new key is announced by the old one (its signature of "this key
 * succeeds me"), and every page carries the announcements since the first key, so a subscriber
 * that pinned any earlier key follows the chain to the key in use without its operator's help.
 * The keys form one chain: the first key stored (two replicas starting at once may each store
 * one; the oldest wins), then each key that succeeds the one before.
 */
public final class InstanceKey {

  private static final String PURPOSE = "instance signing key";

  /** One stored key, as read. */
  private record Row(long id, String publicKey, byte[] privateCipher, Long succeeds, String announcement) {}

  private final long id;
  private final PublicKey publicKey;
  private final PrivateKey privateKey;
  private final String instanceId;
  private final List<FeedPages.Rotation> rotations;

  private InstanceKey(long id, PublicKey publicKey, PrivateKey privateKey, String instanceId, List<FeedPages.Rotation> rotations) {
    this.id = id;
    this.publicKey = publicKey;
    this.privateKey = privateKey;
    this.instanceId = instanceId;
    this.rotations = List.copyOf(rotations);
  }

  /** The instance's key in use, made and stored first if it has none. */
  public static InstanceKey loadOrCreate(Jdbi jdbi, SecretBox secrets) {
    List<Row> rows = jdbi.withHandle(InstanceKey::rows);
    if (rows.isEmpty()) {
      KeyPair pair = generate();
      jdbi.useHandle(h -> insert(h, secrets, pair, null, null));
      // Another replica may have stored one first: the oldest is the one every replica uses.
      rows = jdbi.withHandle(InstanceKey::rows);
    }
    return current(rows, secrets);
  }

  /** The id of the newest key stored: when it changes, the key in use may have. */
  static long newestId(Jdbi jdbi) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM instance_keys").mapTo(Long.class).one());
  }

  /**
   * Makes a new key that succeeds the one in use, announced with the old key's signature, and
   * returns it. Pages are signed with it from now on, on every replica.
   */
  static InstanceKey rotate(Jdbi jdbi, SecretBox secrets, Principal actor) {
    return jdbi.inTransaction(h -> {
      // One rotation at a time, so the keys stay one chain.
      h.createQuery("SELECT id FROM instance_keys ORDER BY id FOR UPDATE").mapTo(Long.class).list();
      List<Row> rows = rows(h);
      if (rows.isEmpty()) {
        insert(h, secrets, generate(), null, null);
        rows = rows(h);
      }
      InstanceKey old = current(rows, secrets);
      KeyPair pair = generate();
      String next = FeedPages.text(pair.getPublic());
      String announcement = FeedPages.announce(old.publicKeyText(), next, old.privateKey);
      insert(h, secrets, pair, old.id, announcement);
      AuditLog.append(h, actor.keyId(), "federation.key_rotated", "instance_key", old.id, Map.of("public_key", old.publicKeyText()),
          Map.of("public_key", next));
      return current(rows(h), secrets);
    });
  }

  /** Seals every stored key's private half again under {@code to}, in {@code h}'s transaction: for a rotation of the server key. */
  public static int reseal(Handle h, SecretBox from, SecretBox to) {
    return from.resealAll(PURPOSE,
        h.createQuery("SELECT id, private_key_cipher FROM instance_keys ORDER BY id FOR UPDATE")
            .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getBytes(2))).list(),
        to, (id, sealed) -> h.createUpdate("UPDATE instance_keys SET private_key_cipher = :sealed WHERE id = :id")
            .bind("sealed", sealed).bind("id", id).execute());
  }

  private static void insert(Handle h, SecretBox secrets, KeyPair pair, Long succeeds, String announcement) {
    String sealed = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
    h.createUpdate("INSERT INTO instance_keys (public_key, private_key_cipher, created_at, succeeds, announcement) "
            + "VALUES (:public, :private, :now, :succeeds, :announcement)")
        .bind("public", FeedPages.text(pair.getPublic()))
        .bind("private", secrets.seal(PURPOSE, sealed))
        .bind("now", Clock.now(h))
        .bind("succeeds", succeeds)
        .bind("announcement", announcement)
        .execute();
  }

  private static List<Row> rows(Handle h) {
    return h.createQuery("SELECT id, public_key, private_key_cipher, succeeds, announcement FROM instance_keys ORDER BY id")
        .map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getObject(4, Long.class), rs.getString(5)))
        .list();
  }

  /** The end of the chain that starts at the oldest key, with the announcements along it. */
  private static InstanceKey current(List<Row> rows, SecretBox secrets) {
    Row key = rows.getFirst();
    String first = key.publicKey();
    List<FeedPages.Rotation> rotations = new ArrayList<>();
    while (true) {
      long previous = key.id();
      Row next = rows.stream().filter(r -> r.succeeds() != null && r.succeeds() == previous).findFirst().orElse(null);
      if (next == null) {
        break;
      }
      rotations.add(new FeedPages.Rotation(key.publicKey(), next.publicKey(), next.announcement()));
      key = next;
    }
    byte[] pkcs8 = Base64.getDecoder().decode(secrets.open(PURPOSE, key.privateCipher()));
    try {
      PrivateKey privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      return new InstanceKey(key.id(), FeedPages.publicKey(key.publicKey()), privateKey, idOf(first), rotations);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the stored instance signing key cannot be read", e);
    }
  }

  /**
   * The instance's id: the start of the SHA-256 of its first public key, which every peer can
   * check against the key it pinned and which no rotation changes.
   */
  private static String idOf(String firstPublicKey) {
    byte[] digest = Sha256.digest(Base64.getDecoder().decode(firstPublicKey));
    return "cs-" + java.util.HexFormat.of().formatHex(digest, 0, 12);
  }

  private static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is unavailable", e);
    }
  }

  long id() {
    return id;
  }

  /** The public key as peers pin it (base64 of its X.509 encoding). */
  public String publicKeyText() {
    return FeedPages.text(publicKey);
  }

  /** What the records this instance publishes name as their origin. */
  public String instanceId() {
    return instanceId;
  }

  FeedPages.Signed sign(FeedPages.Payload payload) {
    return FeedPages.sign(payload, privateKey, rotations);
  }
}
