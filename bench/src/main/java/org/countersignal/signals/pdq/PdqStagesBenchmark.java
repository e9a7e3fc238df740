package org.countersignal.signals.pdq;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where PDQ's own time goes on a 1200x900 image: the blur with decimation, the quality metric,
 * the DCT and the median threshold. (Lives in the PDQ package to reach the stages.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PdqStagesBenchmark {

  private static final int WIDTH = 1200;
  private static final int HEIGHT = 900;

  private final float[] image = new float[WIDTH * HEIGHT];
  private final int[] rows = PdqHasher.samplePoints(HEIGHT);
  private final int[] columns = PdqHasher.samplePoints(WIDTH);
  private float[] small;
  private float[] dct;

  @Setup
  public void fill() {
    Random random = new Random(1);
    for (int i = 0; i < image.length; i++) {
      image[i] = random.nextInt(256);
    }
    small = JaroszBlur.blurAndSample(image, WIDTH, HEIGHT, rows, columns);
    dct = PdqHasher.dct(small);
  }

  /** Both blur rounds and the decimation to 64x64. */
  @Benchmark
  public float[] blurAndSample() {
    return JaroszBlur.blurAndSample(image, WIDTH, HEIGHT, rows, columns);
  }

  @Benchmark
  public int quality() {
    return PdqHasher.quality(small);
  }

  @Benchmark
  public float[] dct() {
    return PdqHasher.dct(small);
  }

  @Benchmark
  public PdqHash threshold() {
    return PdqHasher.threshold(dct);
  }
}
