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
   */
  public record Record(long seq, String op, String signalType, String signal, List<String> labels, String provenance,
      Instant changedAt) {}

  /**
   * What is signed: the feed, the range of the sequence, how far its records may travel on from
   * the subscriber (a {@code Sharing} level's name), the records, and when.
   */
  public record Payload(String format, String feed, long after, long last, String sharing, List<Record> records, Instant signedAt) {}

  /**
   * The answer to a subscriber waiting for a feed's updates: a hint to fetch, not signed.
   *
   * @param next the position of the feed's first change after {@code after}, or null when none came
   */
  public record Updates(String feed, long after, Long next) {}

  /** A page on the wire: the payload's JSON as base64, and the signature of those bytes. */
  public record Signed(String payload, String signature) {}

  /** Why a page was refused. */
  public static final class BadPage extends RuntimeException {
    BadPage(String message) {
      super(message);
    }
  }

  private FeedPages() {}

  static Signed sign(Payload payload, PrivateKey key) {
    try {
      byte[] bytes = JSON.writeValueAsBytes(payload);
      Signature signer = Signature.getInstance(ALGORITHM);
      signer.initSign(key);
      signer.update(bytes);
      Base64.Encoder base64 = Base64.getEncoder();
      return new Signed(base64.encodeToString(bytes), base64.encodeToString(signer.sign()));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("a feed page could not be signed", e);
    }
  }

  /**
   * The payload of {@code page}, once its signature is found to be {@code publisher}'s and it is
   * the page of {@code feed} after {@code after}.
   *
   * @throws BadPage otherwise, saying why
   */
  public static Payload verify(Signed page, PublicKey publisher, String feed, long after) {
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
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(publisher);
      verifier.update(bytes);
      if (!verifier.verify(signature)) {
        throw new BadPage("the page's signature is not the pinned key's");
      }
    } catch (java.security.SignatureException e) {
      throw new BadPage("the page's signature is not the pinned key's");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is unavailable", e);
    }
    Payload payload;
    try {
      payload = JSON.readValue(bytes, Payload.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new BadPage("the signed page is not a feed page: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadPage("the signed page is not a feed page");
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
      if (record.seq() <= previous || record.seq() > payload.last()) {
        throw new BadPage("the page's records are not in its range (" + after + ", " + payload.last() + "] in order");
      }
      previous = record.seq();
    }
    return payload;
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
  static String text(PublicKey key) {
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
