package org.countersignal.signals.pdq;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.countersignal.signals.image.LumaImage;

/**
 * Computes PDQ hashes from luminance: blur, decimate to 64x64, take the 16x16 low-frequency DCT,
 * threshold at the median. Stateless and thread-safe.
 */
public final class PdqHasher {

  static final int DCT_INPUT = 64;
  static final int DCT_OUTPUT = 16;
  static final int MIN_SIDE = 5;

  /** Row-major 16x64: {@code D[i][j] = sqrt(2/64) cos(pi/128 (i+1)(2j+1))}. */
  private static final float[] DCT_MATRIX = dctMatrix();

  /** The hash of one image, able to produce its dihedral variants without decoding again. */
  public static final class Result {
    private final PdqSignal signal;
    private final float[] dct;

    Result(PdqSignal signal, float[] dct) {
      this.signal = signal;
      this.dct = dct;
    }

    public PdqSignal signal() {
      return signal;
    }

    public PdqHash hash() {
      return signal.hash();
    }

    public int quality() {
      return signal.quality();
    }

    /** The hash of the image as it would be after {@code symmetry}. */
    public PdqHash variant(Dihedral symmetry) {
      if (symmetry == Dihedral.ORIGINAL || dct == null) {
        return signal.hash();
      }
      return threshold(symmetry.applyTo(dct));
    }

    /** All eight variants, {@link Dihedral#ORIGINAL} first. */
    public Map<Dihedral, PdqHash> variants() {
      Map<Dihedral, PdqHash> all = new EnumMap<>(Dihedral.class);
      for (Dihedral symmetry : Dihedral.values()) {
        all.put(symmetry, variant(symmetry));
      }
      return all;
    }
  }

  public Result hash(LumaImage image) {
    int width = image.width();
    int height = image.height();
    if (width < MIN_SIDE || height < MIN_SIDE) {
      return new Result(new PdqSignal(PdqHash.ZERO, 0), null);
    }
    float[] small = JaroszBlur.blurAndSample(
        image.pixels(), width, height, samplePoints(height), samplePoints(width));
    int quality = quality(small);
    float[] dct = dct(small);
    return new Result(new PdqSignal(threshold(dct), quality), dct);
  }

  /** Where decimation to 64 samples a dimension of {@code length}: the centres of 64 cells. */
  static int[] samplePoints(int length) {
    int[] points = new int[DCT_INPUT];
    for (int i = 0; i < DCT_INPUT; i++) {
      points[i] = (int) (((i + 0.5) * length) / DCT_INPUT);
    }
    return points;
  }

  /** Sum of scaled absolute gradients between neighbours in the 64x64 image, capped at 100. */
  static int quality(float[] small) {
    int n = DCT_INPUT;
    int gradientSum = 0;
    for (int i = 0; i < n - 1; i++) {
      for (int j = 0; j < n; j++) {
        gradientSum += Math.abs((int) ((small[i * n + j] - small[(i + 1) * n + j]) * 100 / 255));
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n - 1; j++) {
        gradientSum += Math.abs((int) ((small[i * n + j] - small[i * n + j + 1]) * 100 / 255));
      }
    }
    return Math.min(100, gradientSum / 90);
  }

  /** {@code D A D^T}: the 16x16 lowest non-constant frequencies of the 64x64 image. */
  static float[] dct(float[] small) {
    int n = DCT_INPUT;
    int m = DCT_OUTPUT;
    float[] partial = new float[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float sum = 0;
        for (int k = 0; k < n; k++) {
          sum += DCT_MATRIX[i * n + k] * small[k * n + j];
        }
        partial[i * n + j] = sum;
      }
    }
    float[] out = new float[m * m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        float sum = 0;
        for (int k = 0; k < n; k++) {
          sum += partial[i * n + k] * DCT_MATRIX[j * n + k];
        }
        out[i * m + j] = sum;
      }
    }
    return out;
  }

  /** Bit k is set when coefficient k exceeds the median (the lower middle of the 256 values). */
  static PdqHash threshold(float[] dct) {
    float[] sorted = dct.clone();
    Arrays.sort(sorted);
    float median = sorted[sorted.length / 2 - 1];
    boolean[] bits = new boolean[dct.length];
    for (int k = 0; k < dct.length; k++) {
      bits[k] = dct[k] > median;
    }
    return PdqHash.fromBits(bits);
  }

  private static float[] dctMatrix() {
    float[] matrix = new float[DCT_OUTPUT * DCT_INPUT];
    double scale = Math.sqrt(2.0 / DCT_INPUT);
    for (int i = 0; i < DCT_OUTPUT; i++) {
      for (int j = 0; j < DCT_INPUT; j++) {
        matrix[i * DCT_INPUT + j] =
            (float) (scale * Math.cos((Math.PI / 2 / DCT_INPUT) * (i + 1) * (2 * j + 1)));
      }
    }
    return matrix;
  }
}
