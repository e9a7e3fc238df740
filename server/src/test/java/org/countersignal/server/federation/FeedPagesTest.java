package org.countersignal.server.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a subscriber accepts of a signed page: signed by the key it pinned, or by a key that key
 * announced through a chain of rotations each signed by the key before; nothing else, however the
 * page dresses itself up.
 */
class FeedPagesTest {

  private final KeyPair first = generate();
  private final KeyPair second = generate();
  private final KeyPair third = generate();
  private final KeyPair stranger = generate();
  private final FeedPages.Payload payload = new FeedPages.Payload(FeedPages.FORMAT, "to-b", 0, 1, "amber",
      List.of(new FeedPages.Record(1, "add", "md5", "0123456789abcdef0123456789abcdef", List.of(), null, "cs-x", Instant.EPOCH)),
      Instant.EPOCH, null);

  private static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code json} as the payload of a page, signed by {@code key}. */
  private static FeedPages.Signed signedJson(String json, KeyPair key) throws GeneralSecurityException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(key.getPrivate());
    signer.update(bytes);
    Base64.Encoder base64 = Base64.getEncoder();
    return new FeedPages.Signed(base64.encodeToString(bytes), base64.encodeToString(signer.sign()), null);
  }

  private static FeedPages.Rotation rotation(KeyPair from, KeyPair to) {
    String previous = FeedPages.text(from.getPublic());
    String next = FeedPages.text(to.getPublic());
    return new FeedPages.Rotation(previous, next, FeedPages.announce(previous, next, from.getPrivate()));
  }

  @Test
  void aPageSignedByAKeyThePinnedOneAnnouncedIsAcceptedWithThatKey() {
    FeedPages.Signed page = FeedPages.sign(payload, third.getPrivate(), List.of(rotation(first, second), rotation(second, third)));
    FeedPages.Verified verified = FeedPages.verify(page, first.getPublic(), "to-b", 0);
    assertThat(verified.signer()).isEqualTo(third.getPublic());
    assertThat(verified.payload()).isEqualTo(payload);
    assertThat(FeedPages.verify(page, second.getPublic(), "to-b", 0).signer()).as("pinned midway").isEqualTo(third.getPublic());
  }

  @Test
  void aRotationNotSignedByTheKeyItSucceedsLeadsNowhere() {
    // The stranger announces itself as the first key's successor, signing with its own key.
    String firstText = FeedPages.text(first.getPublic());
    String strangerText = FeedPages.text(stranger.getPublic());
    FeedPages.Rotation forged = new FeedPages.Rotation(firstText, strangerText,
        FeedPages.announce(firstText, strangerText, stranger.getPrivate()));
    FeedPages.Signed page = FeedPages.sign(payload, stranger.getPrivate(), List.of(forged));
    assertThatThrownBy(() -> FeedPages.verify(page, first.getPublic(), "to-b", 0))
        .isInstanceOf(FeedPages.BadPage.class).hasMessageContaining("not the pinned key's");
  }

  @Test
  void aChainThatDoesNotStartAtThePinnedKeyLeadsNowhere() {
    FeedPages.Signed page = FeedPages.sign(payload, third.getPrivate(), List.of(rotation(second, third)));
    assertThatThrownBy(() -> FeedPages.verify(page, first.getPublic(), "to-b", 0)).isInstanceOf(FeedPages.BadPage.class);
    // A rotation's announcement cannot be moved onto other keys: its signature covers both.
    FeedPages.Rotation genuine = rotation(first, second);
    FeedPages.Rotation moved = new FeedPages.Rotation(genuine.previousKey(), FeedPages.text(stranger.getPublic()), genuine.signature());
    FeedPages.Signed hijacked = FeedPages.sign(payload, stranger.getPrivate(), List.of(moved));
    assertThatThrownBy(() -> FeedPages.verify(hijacked, first.getPublic(), "to-b", 0)).isInstanceOf(FeedPages.BadPage.class);
  }

  @Test
  void aWellSignedPageThatIsNullOrHoldsANullRecordIsRefused() throws Exception {
    assertThatThrownBy(() -> FeedPages.verify(signedJson("null", first), first.getPublic(), "to-b", 0))
        .isInstanceOf(FeedPages.BadPage.class).hasMessageContaining("not a feed page");
    String nullRecord = "{\"format\":\"" + FeedPages.FORMAT + "\",\"feed\":\"to-b\",\"after\":0,\"last\":2,\"sharing\":\"red\","
        + "\"records\":[null]}";
    assertThatThrownBy(() -> FeedPages.verify(signedJson(nullRecord, first), first.getPublic(), "to-b", 0))
        .isInstanceOf(FeedPages.BadPage.class).hasMessageContaining("record that is JSON's null");
  }
}
