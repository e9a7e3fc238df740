package org.countersignal.signals.pdq;

/**
 * The "Jarosz" tent filter PDQ applies before decimating to 64x64: box filters along rows and
 * then along columns, twice. Arithmetic (float running sums, the order of adds and subtracts,
 * the shrinking window at both edges) follows the reference so that hash bits agree with it.
 */
final class JaroszBlur {

  private JaroszBlur() {}

  /** Window length used along a dimension of {@code length} that is being reduced to 64. */
  static int windowSize(int length) {
    return (length + 2 * PdqHasher.DCT_INPUT - 1) / (2 * PdqHasher.DCT_INPUT);
  }

  /**
   * Blurs {@code image} (width x height, row-major) without changing it, using {@code work} and
   * {@code result} (each the same size) as buffers; the blurred image ends up in {@code result}.
   */
  static void blur(float[] image, float[] work, float[] result, int width, int height, int passes) {
    int rowWindow = windowSize(width);
    int columnWindow = windowSize(height);
    float[] source = image;
    for (int pass = 0; pass < passes; pass++) {
      for (int row = 0, offset = 0; row < height; row++, offset += width) {
        boxAlongRow(source, work, offset, width, rowWindow);
      }
      boxAlongColumns(work, result, width, height, columnWindow);
      source = result;
    }
  }

  /** One row of a 1-D box filter; the running sum is float, as in the reference. */
  static void boxAlongRow(float[] in, float[] out, int offset, int length, int window) {
    int half = (window + 2) / 2;
    int leading = half - 1;
    int growing = window - half + 1;
    int full = length - window;
    int trailing = half - 1;

    int right = offset;
    int left = offset;
    int target = offset;
    float sum = 0;
    int count = 0;
    for (int i = 0; i < leading; i++) {
      sum += in[right++];
      count++;
    }
    for (int i = 0; i < growing; i++) {
      sum += in[right++];
      count++;
      out[target++] = sum / count;
    }
    for (int i = 0; i < full; i++) {
      sum += in[right++];
      sum -= in[left++];
      out[target++] = sum / count;
    }
    for (int i = 0; i < trailing; i++) {
      sum -= in[left++];
      count--;
      out[target++] = sum / count;
    }
  }

  /**
   * The same 1-D box filter down every column at once. Sweeping whole rows keeps memory access
   * sequential (a column walk would miss the cache on every pixel); each column still sees the
   * reference's exact sequence of float operations.
   */
  static void boxAlongColumns(float[] in, float[] out, int width, int height, int window) {
    int half = (window + 2) / 2;
    int leading = half - 1;
    int growing = window - half + 1;
    int full = height - window;
    int trailing = half - 1;

    float[] sums = new float[width];
    int right = 0;
    int left = 0;
    int target = 0;
    int count = 0;
    for (int i = 0; i < leading; i++, right += width) {
      for (int c = 0; c < width; c++) {
        sums[c] += in[right + c];
      }
      count++;
    }
    for (int i = 0; i < growing; i++, right += width, target += width) {
      count++;
      for (int c = 0; c < width; c++) {
        float s = sums[c] + in[right + c];
        sums[c] = s;
        out[target + c] = s / count;
      }
    }
    for (int i = 0; i < full; i++, right += width, left += width, target += width) {
      for (int c = 0; c < width; c++) {
        float s = sums[c] + in[right + c];
        s -= in[left + c];
        sums[c] = s;
        out[target + c] = s / count;
      }
    }
    for (int i = 0; i < trailing; i++, left += width, target += width) {
      count--;
      for (int c = 0; c < width; c++) {
        float s = sums[c] - in[left + c];
        sums[c] = s;
        out[target + c] = s / count;
      }
    }
  }
}
