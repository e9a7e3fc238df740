package org.countersignal.signals.pdq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import org.countersignal.signals.MalformedSignalException;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class PdqHashTest {

  private static Gen<PdqHash> hashes() {
    Gen<Long> any = longs().all();
    return any.zip(any, any, any, PdqHash::new);
  }

  @Test
  void hexFormRoundTrips() {
    qt().forAll(hashes()).checkAssert(h -> assertThat(PdqHash.fromHex(h.toHex())).isEqualTo(h));
  }

  @Test
  void hexFormIsLowercaseSixtyFourDigits() {
    qt().forAll(hashes()).checkAssert(h -> assertThat(h.toHex()).matches("[0-9a-f]{64}"));
  }

  @Test
  void upperCaseAndSurroundingWhitespaceAreAccepted() {
    PdqHash h = PdqHash.fromHex(" F8F8F0CEE0F4A84F06370A22038F63F0B36E2ED596621E1D33E6B39C4E9C9B22\n");
    assertThat(h.toHex()).isEqualTo("f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22");
  }

  @Test
  void firstHexDigitHoldsTheHighestBits() {
    // As the reference prints it: the first four digits are bits 255..240.
    PdqHash top = PdqHash.fromHex("8" + "0".repeat(63));
    assertThat(top.bit(255)).isTrue();
    assertThat(top.bitCount()).isEqualTo(1);
    PdqHash bottom = PdqHash.fromHex("0".repeat(63) + "1");
    assertThat(bottom.bit(0)).isTrue();
    assertThat(bottom.bitCount()).isEqualTo(1);
  }

  @Test
  void distanceIsAMetric() {
    qt().forAll(hashes(), hashes(), hashes()).checkAssert((a, b, c) -> {
      assertThat(a.distance(a)).isZero();
      assertThat(a.distance(b)).isEqualTo(b.distance(a)).isBetween(0, 256);
      assertThat(a.distance(c)).isLessThanOrEqualTo(a.distance(b) + b.distance(c));
    });
  }

  @Test
  void distanceCountsDifferingBits() {
    PdqHash zero = PdqHash.ZERO;
    PdqHash ones = PdqHash.fromHex("f".repeat(64));
    assertThat(zero.distance(ones)).isEqualTo(256);
    assertThat(zero.distance(PdqHash.fromHex("0".repeat(60) + "f00f"))).isEqualTo(8);
  }

  @Test
  void malformedHexIsRefusedWithAClearMessage() {
    assertThatThrownBy(() -> PdqHash.fromHex("abc"))
        .isInstanceOf(MalformedSignalException.class).hasMessageContaining("64 hex digits");
    assertThatThrownBy(() -> PdqHash.fromHex("g".repeat(64)))
        .isInstanceOf(MalformedSignalException.class).hasMessageContaining("position 0");
    assertThatThrownBy(() -> PdqHash.fromHex("0".repeat(65)))
        .isInstanceOf(MalformedSignalException.class);
    assertThatThrownBy(() -> PdqHash.fromHex("+" + "0".repeat(63)))
        .isInstanceOf(MalformedSignalException.class);
    assertThatThrownBy(() -> PdqHash.fromHex(null)).isInstanceOf(MalformedSignalException.class);
  }
}
