package org.countersignal.server.federation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.countersignal.server.bank.Sharing;

/**
 * The signed page of a feed, as it travels between instances: the publisher signs the exact bytes
 * of the page's JSON with its Ed25519 key, and the subscriber checks the signature against the key
 * it pinned before it reads a single field. The signed bytes name the feed and the range of the
 * change sequence they cover ({@code after}, exclusive, to {@code last}), and the subscriber
 * accepts a page only for the feed and the {@code after} it asked for: a page recorded earlier, or
 * taken from another feed, cannot be played back to undo a deletion that came later.
 */
public final class FeedPages {

  /** The version of this format, signed with every page. */
  public static final String FORMAT = "countersignal-feed-page/1";
  /** What a key rotation's announcement signs, before the two keys. */
  public static final String ROTATION = "countersignal-key-rotation/1";

  private static final String ALGORITHM = "Ed25519";

  private static final ObjectMapper JSON = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  /**
   * One change of the published bank.
   *
   * @param op {@code add} (the signal matches from now) or {@code remove} (it no longer does: the
   *     entry was disabled or deleted)
   * @param origin with an addition, the id of the instance the entry first came from: the
   *     publisher's own, or the one it received the entry from, passed on unchanged
   */
  public record Record(long seq, String op, String signalType, String signal, List<String> labels, String provenance,
      String origin, Instant changedAt) {}

  /**
   * What is signed: the feed, the range of the sequence, how far its records may travel on from
   * the subscriber (a {@code Sharing} level's name), the records, and when.
   *
   * @param compactedThrough the last position of the publisher's sequence that was compacted
   *     (null before any was): a subscriber that had read part of the feed and stopped before it
   *     may have missed a removal that is gone, and fetches the feed again from the start
   */
  public record Payload(String format, String feed, long after, long last, String sharing, List<Record> records, Instant signedAt,
      Long compactedThrough) {}

  /**
   * The answer to a subscriber waiting for a feed's updates: a hint to fetch, not signed.
   *
   * @param next the position of the feed's first change after {@code after}, or null when none came
   * @param incidents the version of the incidents shared with the subscriber ({@link Feeds#incidentVersion}),
   *     when the subscriber asked to hear of their changes; null otherwise
   */
  public record Updates(String feed, long after, Long next, Long incidents) {

    public Updates(String feed, long after, Long next) {
      this(feed, after, next, null);
    }
  }

  /**
   * A page on the wire: the payload's JSON as base64, the signature of those bytes, and the
   * publisher's key rotations since its first key, oldest first (none when it never rotated).
   */
  public record Signed(String payload, String signature, List<Rotation> rotations) {}

  /**
   * The announcement that {@code key} succeeds {@code previousKey}: {@code signature} is the
   * previous key's, over {@value #ROTATION} and the two keys, so only the holder of a key can name
   * its successor.
   */
  public record Rotation(String previousKey, String key, String signature) {}

  /** A page found good, and the key that signed it: the pinned one, or one it announced since. */
  public record Verified(Payload payload, PublicKey signer) {}

  /** Why a page was refused. */
  public static final class BadPage extends RuntimeException {
    BadPage(String message) {
      super(message);
    }
  }

  private FeedPages() {}

  static Signed sign(Payload payload, PrivateKey key, List<Rotation> rotations) {
    try {
      byte[] bytes = JSON.writeValueAsBytes(payload);
      Base64.Encoder base64 = Base64.getEncoder();
      return new Signed(base64.encodeToString(bytes), base64.encodeToString(signature(bytes, key)), rotations.isEmpty() ? null : rotations);
    } catch (IOException e) {
      throw new IllegalStateException("a feed page could not be signed", e);
    }
  }

  /** The signature, by {@code previous}'s private half, announcing {@code next} as its successor. */
  static String announce(String previousKey, String nextKey, PrivateKey previous) {
    return Base64.getEncoder().encodeToString(signature(rotationStatement(previousKey, nextKey), previous));
  }

  private static byte[] rotationStatement(String previousKey, String nextKey) {
    return (ROTATION + "\n" + previousKey + "\n" + nextKey).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static byte[] signature(byte[] bytes, PrivateKey key) {
    try {
      Signature signer = Signature.getInstance(ALGORITHM);
      signer.initSign(key);
      signer.update(bytes);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  private static boolean verifies(byte[] bytes, byte[] signature, PublicKey key) {
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(bytes);
      return verifier.verify(signature);
    } catch (java.security.SignatureException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is unavailable", e);
    }
  }

  /**
   * The key that {@code pinned} hands on to through the announcements of {@code rotations}: each
   * one whose previous key is the one reached so far and whose signature that key made moves it
   * on; any other is passed over. {@code pinned} itself when none applies.
   */
  static PublicKey successor(PublicKey pinned, List<Rotation> rotations) {
    PublicKey reached = pinned;
    for (Rotation rotation : rotations == null ? List.<Rotation>of() : rotations) {
      if (rotation == null || rotation.previousKey() == null || rotation.key() == null || rotation.signature() == null
          || !rotation.previousKey().equals(text(reached))) {
        continue;
      }
      byte[] signature;
      PublicKey next;
      try {
        signature = Base64.getDecoder().decode(rotation.signature());
        next = publicKey(rotation.key());
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (verifies(rotationStatement(rotation.previousKey(), rotation.key()), signature, reached)) {
        reached = next;
      }
    }
    return reached;
  }

  /**
   * The payload of {@code page}, once its signature is found to be {@code publisher}'s (or that of
   * a key {@code publisher} announced as its successor, through the page's rotations) and it is
   * the page of {@code feed} after {@code after}.
   *
   * @throws BadPage otherwise, saying why
   */
  public static Verified verify(Signed page, PublicKey publisher, String feed, long after) {
    if (page == null || page.payload() == null || page.signature() == null) {
      throw new BadPage("the page has no payload or no signature");
    }
    byte[] bytes;
    byte[] signature;
    try {
      bytes = Base64.getDecoder().decode(page.payload());
      signature = Base64.getDecoder().decode(page.signature());
    } catch (IllegalArgumentException e) {
      throw new BadPage("the page's payload or signature is not base64");
    }
    PublicKey signer = publisher;
    if (!verifies(bytes, signature, signer)) {
      // Signed by a key the pinned one announced since, or not at all.
      signer = successor(publisher, page.rotations());
      if (signer.equals(publisher) || !verifies(bytes, signature, signer)) {
        throw new BadPage("the page's signature is not the pinned key's, nor that of a key it announced");
      }
    }
    Payload payload;
    try {
      payload = JSON.readValue(bytes, Payload.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new BadPage("the signed page is not a feed page: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadPage("the signed page is not a feed page");
    }
    if (payload == null) {
      throw new BadPage("the signed page is JSON's null, not a feed page");
    }
    if (!FORMAT.equals(payload.format())) {
      throw new BadPage("the page is in the format '" + payload.format() + "', not " + FORMAT);
    }
    if (!feed.equals(payload.feed()) || payload.after() != after) {
      throw new BadPage("the page is of the feed '" + payload.feed() + "' after " + payload.after() + ", not of '" + feed
          + "' after " + after + " as asked: a page played back or taken from elsewhere");
    }
    if (Sharing.fromWire(payload.sharing()) == null) {
      throw new BadPage("the page gives no sharing level (red, amber, green or clear)");
    }
    long previous = after;
    for (Record record : payload.records() == null ? List.<Record>of() : payload.records()) {
      if (record == null) {
        throw new BadPage("the page holds a record that is JSON's null");
      }
      if (record.seq() <= previous || record.seq() > payload.last()) {
        throw new BadPage("the page's records are not in its range (" + after + ", " + payload.last() + "] in order");
      }
      previous = record.seq();
    }
    return new Verified(payload, signer);
  }

  /** The Ed25519 public key in {@code text}: base64 of its X.509 encoding, as {@code GET /api/v1/federation/key} shows it. */
  public static PublicKey publicKey(String text) {
    try {
      byte[] encoded = Base64.getDecoder().decode(text.strip());
      // The Ed25519 factory refuses any other key (Ed448, EC) in an X.509 encoding.
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(encoded));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key in base64 (its X.509 encoding)");
    }
  }

  /** {@code key} as {@link #publicKey} reads it. */
  public static String text(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /** Reads an answer to a wait for updates; null for a body that is not one. */
  public static Updates readUpdates(byte[] body) {
    try {
      return JSON.readValue(body, Updates.class);
    } catch (IOException e) {
      return null;
    }
  }

  /** Reads a page's wire form; null for a body that is not one. */
  public static Signed read(byte[] body) {
    try {
      return JSON.readValue(body, Signed.class);
    } catch (IOException e) {
      return null;
    }
  }
}
