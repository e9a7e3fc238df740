package org.countersignal.signals.pdq;

import java.util.concurrent.ArrayBlockingQueue;

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
   * Blurs {@code image} (width x height, row-major; left unchanged) with {@code passes} rounds of
   * row and column box filters and point-samples the result at the 64x64 grid of
   * {@code rows x columns}.
   *
   * <p>Only 64 columns of the last round's output are ever read, so its column filter runs over
   * those 64 columns alone. Running sums still pass over every pixel, so each sampled value comes
   * from exactly the reference's sequence of float operations.
   */
  static float[] blurAndSample(float[] image, int width, int height, int passes, int[] rows, int[] columns) {
    int rowWindow = windowSize(width);
    int columnWindow = windowSize(height);
    float[] source = image;
    float[][] buffers = null;
    if (passes > 1) {
      buffers = Buffers.take(image.length);
      float[] work = buffers[0];
      float[] result = buffers[1];
      for (int pass = 0; pass < passes - 1; pass++) {
        boxAlongRows(source, work, width, height, rowWindow);
        boxAlongColumns(work, result, width, height, columnWindow);
        source = result;
      }
    }
    try {
      return lastRound(source, width, height, rowWindow, columnWindow, rows, columns);
    } finally {
      if (buffers != null) {
        Buffers.give(buffers);
      }
    }
  }

  private static float[] lastRound(
      float[] source, int width, int height, int rowWindow, int columnWindow, int[] rows, int[] columns) {
    int n = columns.length;
    float[] sampledColumns = new float[height * n];
    float[] fourRows = new float[4 * width];
    int row = 0;
    for (; row + 4 <= height; row += 4) {
      boxAlongFourRows(source, row * width, fourRows, 0, width, rowWindow);
      for (int r = 0; r < 4; r++) {
        for (int k = 0; k < n; k++) {
          sampledColumns[(row + r) * n + k] = fourRows[r * width + columns[k]];
        }
      }
    }
    for (; row < height; row++) {
      boxAlongRowAt(source, row * width, width, rowWindow, columns, sampledColumns, row * n);
    }
    float[] blurredColumns = new float[height * n];
    boxAlongColumns(sampledColumns, blurredColumns, n, height, columnWindow);
    float[] out = new float[rows.length * n];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(blurredColumns, rows[i] * n, out, i * n, n);
    }
    return out;
  }

  /**
   * The row box filter keeping only the outputs at {@code columns} (ascending, repeats allowed),
   * written to {@code out[outOffset + k]} for the k-th column.
   */
  static void boxAlongRowAt(
      float[] in, int offset, int length, int window, int[] columns, float[] out, int outOffset) {
    int half = (window + 2) / 2;
    int leading = half - 1;
    int growing = window - half + 1;
    int full = length - window;
    int trailing = half - 1;

    int right = offset;
    int left = offset;
    int target = 0;
    int next = 0;
    float sum = 0;
    int count = 0;
    for (int i = 0; i < leading; i++) {
      sum += in[right++];
      count++;
    }
    for (int i = 0; i < growing; i++, target++) {
      sum += in[right++];
      count++;
      while (next < columns.length && columns[next] == target) {
        out[outOffset + next++] = sum / count;
      }
    }
    for (int i = 0; i < full; i++, target++) {
      sum += in[right++];
      sum -= in[left++];
      while (next < columns.length && columns[next] == target) {
        out[outOffset + next++] = sum / count;
      }
    }
    for (int i = 0; i < trailing; i++, target++) {
      sum -= in[left++];
      count--;
      while (next < columns.length && columns[next] == target) {
        out[outOffset + next++] = sum / count;
      }
    }
  }

  /**
   * The 1-D box filter along every row. Rows are filtered four at a time: each row's running sum
   * is a chain of dependent float additions, and interleaving four independent chains lets the
   * processor overlap them without changing any row's arithmetic.
   */
  static void boxAlongRows(float[] in, float[] out, int width, int height, int window) {
    int row = 0;
    for (; row + 4 <= height; row += 4) {
      boxAlongFourRows(in, row * width, out, row * width, width, window);
    }
    if (row < height) {
      // The last one to three rows: the single-row filter, keeping every column.
      int[] everyColumn = java.util.stream.IntStream.range(0, width).toArray();
      for (; row < height; row++) {
        boxAlongRowAt(in, row * width, width, window, everyColumn, out, row * width);
      }
    }
  }

  /**
   * Four consecutive rows of {@code in} from {@code inOffset}, filtered into four rows of
   * {@code out} from {@code outOffset}. Where the window is whole, the running sums are stored
   * first and divided afterwards in a loop of its own: the divisor is then the same for every
   * element, so the JIT divides eight floats per instruction instead of one; each quotient is
   * the same float division as before.
   */
  private static void boxAlongFourRows(float[] in, int inOffset, float[] out, int outOffset, int length, int window) {
    int half = (window + 2) / 2;
    int leading = half - 1;
    int growing = window - half + 1;
    int full = length - window;
    int trailing = half - 1;

    int a = inOffset;
    int b = inOffset + length;
    int c = inOffset + 2 * length;
    int d = inOffset + 3 * length;
    int oa = outOffset;
    int ob = outOffset + length;
    int oc = outOffset + 2 * length;
    int od = outOffset + 3 * length;
    int right = 0;
    int left = 0;
    int target = 0;
    float sumA = 0;
    float sumB = 0;
    float sumC = 0;
    float sumD = 0;
    int count = 0;
    for (int i = 0; i < leading; i++, right++) {
      sumA += in[a + right];
      sumB += in[b + right];
      sumC += in[c + right];
      sumD += in[d + right];
      count++;
    }
    for (int i = 0; i < growing; i++, right++, target++) {
      sumA += in[a + right];
      sumB += in[b + right];
      sumC += in[c + right];
      sumD += in[d + right];
      count++;
      out[oa + target] = sumA / count;
      out[ob + target] = sumB / count;
      out[oc + target] = sumC / count;
      out[od + target] = sumD / count;
    }
    int wholeFrom = target;
    for (int i = 0; i < full; i++, right++, left++, target++) {
      sumA += in[a + right];
      sumB += in[b + right];
      sumC += in[c + right];
      sumD += in[d + right];
      sumA -= in[a + left];
      sumB -= in[b + left];
      sumC -= in[c + left];
      sumD -= in[d + left];
      out[oa + target] = sumA;
      out[ob + target] = sumB;
      out[oc + target] = sumC;
      out[od + target] = sumD;
    }
    divide(out, oa + wholeFrom, oa + target, count);
    divide(out, ob + wholeFrom, ob + target, count);
    divide(out, oc + wholeFrom, oc + target, count);
    divide(out, od + wholeFrom, od + target, count);
    for (int i = 0; i < trailing; i++, left++, target++) {
      sumA -= in[a + left];
      sumB -= in[b + left];
      sumC -= in[c + left];
      sumD -= in[d + left];
      count--;
      out[oa + target] = sumA / count;
      out[ob + target] = sumB / count;
      out[oc + target] = sumC / count;
      out[od + target] = sumD / count;
    }
  }

  private static void divide(float[] values, int from, int to, int divisor) {
    for (int i = from; i < to; i++) {
      values[i] = values[i] / divisor;
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

  /**
   * The first rounds' two image-sized buffers, kept between calls: zeroing two fresh ones for each
   * image or video frame cost about as much as a pass of the row filter. At most one pair per
   * processor is kept, and only for images of up to {@link #KEPT_PIXELS}, so neither a server's
   * many request threads nor one huge image pins more than a few tens of megabytes.
   */
  private static final class Buffers {
    private static final int KEPT_PIXELS = 1 << 22;
    private static final ArrayBlockingQueue<float[][]> KEPT =
        new ArrayBlockingQueue<>(Runtime.getRuntime().availableProcessors());

    /** Two buffers of at least {@code length} floats; their contents are overwritten before use. */
    static float[][] take(int length) {
      float[][] kept = KEPT.poll();
      if (kept != null && kept[0].length >= length) {
        return kept;
      }
      return new float[][] {new float[length], new float[length]};
    }

    static void give(float[][] buffers) {
      if (buffers[0].length <= KEPT_PIXELS) {
        KEPT.offer(buffers);
      }
    }
  }
}
