package org.countersignal.signals.vpdq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.countersignal.signals.MalformedSignalException;
import org.countersignal.signals.pdq.PdqHash;
import org.junit.jupiter.api.Test;

class VpdqFormatsTest {

  private static VpdqSignal randomSignal(long seed, int frames) {
    Random random = new Random(seed);
    List<VpdqFrame> list = new ArrayList<>();
    for (int i = 0; i < frames; i++) {
      PdqHash hash = new PdqHash(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
      // Times on a millisecond grid, as the text form keeps three decimals.
      list.add(new VpdqFrame(i * 2, hash, random.nextInt(101), i * 2 / 25.0));
    }
    return new VpdqSignal(list);
  }

  @Test
  void textFormRoundTrips() {
    qt().forAll(longs().all(), integers().between(0, 50)).checkAssert((seed, n) -> {
      VpdqSignal signal = randomSignal(seed, n);
      VpdqSignal back = VpdqText.parse(VpdqText.format(signal));
      assertThat(back.frames()).hasSize(n);
      for (int i = 0; i < n; i++) {
        VpdqFrame a = signal.frames().get(i);
        VpdqFrame b = back.frames().get(i);
        assertThat(b.hash()).isEqualTo(a.hash());
        assertThat(b.quality()).isEqualTo(a.quality());
        assertThat(b.frameNumber()).isEqualTo(a.frameNumber());
        assertThat(b.seconds()).isCloseTo(a.seconds(), org.assertj.core.data.Offset.offset(0.0005));
      }
    });
  }

  @Test
  void binaryFormRoundTripsAndIsSmallerThanText() {
    qt().forAll(longs().all(), integers().between(0, 50)).checkAssert((seed, n) -> {
      VpdqSignal signal = randomSignal(seed, n);
      byte[] binary = VpdqBinary.encode(signal);
      VpdqSignal back = VpdqBinary.decode(binary);
      assertThat(back.frames()).extracting(VpdqFrame::hash).containsExactlyElementsOf(
          signal.frames().stream().map(VpdqFrame::hash).toList());
      if (n > 0) {
        assertThat(binary.length).isLessThan(VpdqText.format(signal).length());
      }
    });
  }

  @Test
  void bothReferenceLineOrdersAreRead() {
    String hash = "e271017837246aaccddea259648fb7d62f435c89d9e99b2497763e216c8d055c";
    VpdqFrame qualityFirst = VpdqText.parse("7,93," + hash + ",0.233\n").frames().getFirst();
    VpdqFrame hashFirst = VpdqText.parse("7," + hash + ",93,0.233\n").frames().getFirst();
    assertThat(hashFirst).isEqualTo(qualityFirst);
    assertThat(qualityFirst.quality()).isEqualTo(93);
    assertThat(qualityFirst.frameNumber()).isEqualTo(7);
  }

  @Test
  void malformedTextNamesTheLine() {
    String good = "0,100,e271017837246aaccddea259648fb7d62f435c89d9e99b2497763e216c8d055c,0.000\n";
    assertThatThrownBy(() -> VpdqText.parse(good + "1,100,nothex,0.033\n"))
        .isInstanceOf(MalformedSignalException.class).hasMessageContaining("line 2");
    assertThatThrownBy(() -> VpdqText.parse("1,2,3\n"))
        .isInstanceOf(MalformedSignalException.class).hasMessageContaining("4 comma-separated fields");
    assertThatThrownBy(() -> VpdqText.parse(good.replace(",100,", ",101,")))
        .isInstanceOf(MalformedSignalException.class).hasMessageContaining("out of range");
  }

  @Test
  void truncatedOrForeignBinaryIsRefused() {
    byte[] binary = VpdqBinary.encode(randomSignal(1, 5));
    assertThatThrownBy(() -> VpdqBinary.decode(Arrays.copyOf(binary, binary.length - 3)))
        .isInstanceOf(MalformedSignalException.class);
    assertThatThrownBy(() -> VpdqBinary.decode("not a signal".getBytes()))
        .isInstanceOf(MalformedSignalException.class);
    assertThatThrownBy(() -> VpdqBinary.decode(new byte[2])).isInstanceOf(MalformedSignalException.class);
  }

  @Test
  void matchingIgnoresOrderAndLowQualityFrames() {
    VpdqSignal video = randomSignal(3, 40);
    List<VpdqFrame> reversed = new ArrayList<>(video.frames());
    java.util.Collections.reverse(reversed);
    VpdqComparison same = VpdqMatcher.compare(new VpdqSignal(reversed), video, VpdqMatchOptions.DEFAULT);
    assertThat(same.matched()).isTrue();
    assertThat(same.bankMatchedPercent()).isEqualTo(100.0);
    VpdqComparison unrelated = VpdqMatcher.compare(randomSignal(4, 40), video, VpdqMatchOptions.DEFAULT);
    assertThat(unrelated.matched()).isFalse();
    List<VpdqFrame> flat = video.frames().stream()
        .map(f -> new VpdqFrame(f.frameNumber(), f.hash(), 10, f.seconds())).toList();
    assertThat(VpdqMatcher.compare(new VpdqSignal(flat), new VpdqSignal(flat), VpdqMatchOptions.DEFAULT).matched())
        .isFalse();
  }
}
