package org.countersignal.server.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A hostile publisher's answer to a subscriber asking for the page of its feed after a position,
 * read and checked as the subscriber does before it applies anything of it ({@code
 * PeerExchange}): {@link FeedPages#read} takes the body (null for one that is not a page), then
 * {@link FeedPages#verify} checks it against the pinned key, the feed and the position. A page
 * that is not good must be refused with a {@link FeedPages.BadPage}; nothing else may escape,
 * and a page let through must be of the feed and position asked for, its records in its range.
 *
 * <p>The first input byte says what the rest is. Even: the body as it comes, signature and all.
 * Odd: the JSON of the signed payload, which the target signs with the pinned key, or (second bit
 * set) with a key the pinned one announced through a rotation: the signature holds, and the
 * reading of the payload behind it is reached, as with a publisher that turned hostile.
 */
class FeedPageFuzzTest {

  private static final String FEED = "partners";
  private static final long AFTER = 40;

  // Keys made for these tests alone.
  private static final PublicKey PINNED = FeedPages.publicKey("MCowBQYDK2VwAyEAEj+HGKhk/qA1eTXodJMsvb7mQfcS2Q3fjUe64o6fOIo=");
  private static final PrivateKey PINNED_PRIVATE = privateKey("MC4CAQAwBQYDK2VwBCIEIEV9f4igk2utaCMkeudvyww432WD4acP+o0cLpMLT3x6");
  private static final String NEXT_PUBLIC = "MCowBQYDK2VwAyEA1r3gzJxxq96sHb0kHXbG4f9CtlEES8l21xULJtNXSlg=";
  private static final PrivateKey NEXT_PRIVATE = privateKey("MC4CAQAwBQYDK2VwBCIEIDdFnl1tq6gut61dYYvNg5RlZpldc83zGhaHISq0uE1N");
  private static final List<FeedPages.Rotation> ROTATED = List.of(new FeedPages.Rotation(FeedPages.text(PINNED), NEXT_PUBLIC,
      FeedPages.announce(FeedPages.text(PINNED), NEXT_PUBLIC, PINNED_PRIVATE)));

  @FuzzTest(maxDuration = "5m")
  void verify(byte[] data) {
    if (data.length < 1) {
      return;
    }
    byte[] rest = Arrays.copyOfRange(data, 1, data.length);
    FeedPages.Signed page;
    if ((data[0] & 1) == 0) {
      page = FeedPages.read(rest);
      if (page == null) {
        return;
      }
    } else {
      page = (data[0] & 2) == 0 ? signed(rest, PINNED_PRIVATE, null) : signed(rest, NEXT_PRIVATE, ROTATED);
    }
    try {
      FeedPages.Verified verified = FeedPages.verify(page, PINNED, FEED, AFTER);
      FeedPages.Payload payload = verified.payload();
      assertThat(payload.format()).isEqualTo(FeedPages.FORMAT);
      assertThat(payload.feed()).isEqualTo(FEED);
      assertThat(payload.after()).isEqualTo(AFTER);
      long previous = AFTER;
      for (FeedPages.Record record : payload.records() == null ? List.<FeedPages.Record>of() : payload.records()) {
        assertThat(record.seq()).isGreaterThan(previous).isLessThanOrEqualTo(payload.last());
        previous = record.seq();
      }
    } catch (FeedPages.BadPage e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  private static FeedPages.Signed signed(byte[] payload, PrivateKey key, List<FeedPages.Rotation> rotations) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(key);
      signer.update(payload);
      Base64.Encoder base64 = Base64.getEncoder();
      return new FeedPages.Signed(base64.encodeToString(payload), base64.encodeToString(signer.sign()), rotations);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PrivateKey privateKey(String pkcs8) {
    try {
      return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
