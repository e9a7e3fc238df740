package org.countersignal.signals.pdq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JaroszBlurTest {

  /**
   * The filter as PDQ.md states it, written plainly: output i is the float mean of inputs
   * [i - (w - h), i + h - 1] clipped to the vector, by a running float sum along the vector.
   */
  private static void naiveBox(float[] in, float[] out, int start, int stride, int length, int window) {
    int half = (window + 2) / 2;
    float sum = 0;
    int count = 0;
    int nextIn = 0;
    int nextOut = 0;
    int leaving = 0;
    // Grow the window until output 0's right edge (h - 1) is in, then emit one output per step.
    while (nextOut < length) {
      int rightEdge = nextOut + half - 1;
      while (nextIn <= rightEdge && nextIn < length) {
        sum += in[start + nextIn * stride];
        count++;
        nextIn++;
      }
      int leftEdge = nextOut - (window - half);
      while (leaving < leftEdge) {
        sum -= in[start + leaving * stride];
        count--;
        leaving++;
      }
      out[start + nextOut * stride] = sum / count;
      nextOut++;
    }
  }

  private static float[] naiveBlurAndSample(float[] image, int width, int height) {
    float[] a = image.clone();
    float[] b = new float[a.length];
    int rowWindow = JaroszBlur.windowSize(width);
    int columnWindow = JaroszBlur.windowSize(height);
    for (int pass = 0; pass < 2; pass++) {
      for (int r = 0; r < height; r++) {
        naiveBox(a, b, r * width, 1, width, rowWindow);
      }
      for (int c = 0; c < width; c++) {
        naiveBox(b, a, c, width, height, columnWindow);
      }
    }
    int[] rows = PdqHasher.samplePoints(height);
    int[] columns = PdqHasher.samplePoints(width);
    float[] out = new float[64 * 64];
    for (int i = 0; i < 64; i++) {
      for (int j = 0; j < 64; j++) {
        out[i * 64 + j] = a[rows[i] * width + columns[j]];
      }
    }
    return out;
  }

  @Test
  void theFastPathGivesExactlyThePlainComputationsFloats() {
    qt().withExamples(40)
        .forAll(integers().between(5, 700), integers().between(5, 700), longs().all())
        .checkAssert(JaroszBlurTest::assertSameAsPlainComputation);
  }

  /** Long sides have wide windows, and the sweep's rings of rows grow with them. */
  @Test
  void longSidesGiveExactlyThePlainComputationsFloatsToo() {
    qt().withExamples(12)
        .forAll(integers().between(5, 40), integers().between(1500, 4000), longs().all())
        .checkAssert((shortSide, longSide, seed) -> {
          assertSameAsPlainComputation(shortSide, longSide, seed);
          assertSameAsPlainComputation(longSide, shortSide, seed);
        });
  }

  /**
   * A tall, thin image (here 5 x 2,000,000, within the decoders' pixel limit) needs rows of the
   * blur only as deep as its window: the blur allocates a small part of the image's own 40 MB,
   * where whole-height intermediates of 64 sampled columns alone took half a gigabyte.
   */
  @Test
  void aTallThinImageIsBlurredInLittleMemory() {
    int width = 5;
    int height = 2_000_000;
    float[] image = new float[width * height];
    Arrays.fill(image, 128f);
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    float[] small = JaroszBlur.blurAndSample(
        image, width, height, PdqHasher.samplePoints(height), PdqHasher.samplePoints(width));
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(small).containsOnly(128f);
    assertThat(allocated).as("bytes allocated by the blur").isLessThan(8L << 20);
  }

  private static void assertSameAsPlainComputation(int width, int height, long seed) {
    Random random = new Random(seed);
    float[] image = new float[width * height];
    for (int i = 0; i < image.length; i++) {
      image[i] = random.nextInt(256) * 0.97f;
    }
    float[] fast = JaroszBlur.blurAndSample(
        image, width, height, PdqHasher.samplePoints(height), PdqHasher.samplePoints(width));
    assertThat(fast).as("%dx%d", width, height).containsExactly(naiveBlurAndSample(image, width, height));
  }

  @Test
  void windowShrinksEachDimensionToAbout64() {
    assertThat(JaroszBlur.windowSize(64)).isEqualTo(1);
    assertThat(JaroszBlur.windowSize(128)).isEqualTo(1);
    assertThat(JaroszBlur.windowSize(129)).isEqualTo(2);
    assertThat(JaroszBlur.windowSize(1200)).isEqualTo(10);
    assertThat(JaroszBlur.windowSize(900)).isEqualTo(8);
  }
}
