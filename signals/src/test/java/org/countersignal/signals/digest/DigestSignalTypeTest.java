package org.countersignal.signals.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.countersignal.signals.MalformedSignalException;
import org.junit.jupiter.api.Test;

class DigestSignalTypeTest {

  private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

  @Test
  void digestsMatchThePublishedTestVectors() {
    // RFC 1321 and FIPS 180-2 examples for "abc".
    assertThat(DigestSignalType.MD5.digest(ABC).hex()).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
    assertThat(DigestSignalType.SHA256.digest(ABC).hex())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void parsingNormalisesCaseAndRefusesWrongLengths() {
    assertThat(DigestSignalType.MD5.parse("900150983CD24FB0D6963F7D28E17F72"))
        .isEqualTo(DigestSignalType.MD5.digest(ABC));
    assertThatThrownBy(() -> DigestSignalType.SHA256.parse("900150983cd24fb0d6963f7d28e17f72"))
        .isInstanceOf(MalformedSignalException.class).hasMessageContaining("64 hex digits");
    assertThatThrownBy(() -> DigestSignalType.MD5.parse("z00150983cd24fb0d6963f7d28e17f72"))
        .isInstanceOf(MalformedSignalException.class);
  }

  @Test
  void onlyIdenticalDigestsMatch() {
    Digest a = DigestSignalType.MD5.digest(ABC);
    Digest b = DigestSignalType.MD5.digest("abd".getBytes(StandardCharsets.US_ASCII));
    assertThat(DigestSignalType.MD5.distance(a, a)).isLessThanOrEqualTo(DigestSignalType.MD5.defaultThreshold());
    assertThat(DigestSignalType.MD5.distance(a, b)).isGreaterThan(DigestSignalType.MD5.defaultThreshold());
  }
}
