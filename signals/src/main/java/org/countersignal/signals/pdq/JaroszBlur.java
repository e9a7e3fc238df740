package org.countersignal.signals.pdq;

import java.util.function.IntFunction;

/**
 * The "Jarosz" tent filter PDQ applies before decimating to 64x64: box filters along rows and
 * then along columns, twice. Arithmetic (float running sums, the order of adds and subtracts,
 * the shrinking window at both edges) follows the reference so that hash bits agree with it.
 *
 * <p>The two rounds run as one sweep down the image rather than pass after pass: each first-round
 * row is filtered just before the column filter needs it, into a ring of a few rows, and each
 * column-filtered row goes on at once to the last round's row filter. Between them the rounds
 * hold a few rows, which stay in the processor's cache, where whole intermediate images (4.3 MB
 * of floats for 1200x900) did not. Each row is an array of its own so that the JIT vectorises the
 * column filter (see {@link Sweep}); over a 1200x900 image the sweep takes about half the time
 * of the passes it replaced (docs/BENCHMARKS.md, "The blur as one sweep, vectorised").
 */
final class JaroszBlur {

  private JaroszBlur() {}

  /** Window length used along a dimension of {@code length} that is being reduced to 64. */
  static int windowSize(int length) {
    return (length + 2 * PdqHasher.DCT_INPUT - 1) / (2 * PdqHasher.DCT_INPUT);
  }

  /**
   * Blurs {@code image} (width x height, row-major; left unchanged) with two rounds of row and
   * column box filters and point-samples the result at the 64x64 grid of {@code rows x columns}.
   *
   * <p>Only 64 columns of the last round's output are ever read, so its row filter divides only
   * there and its column filter runs over those 64 columns alone. Running sums still pass over
   * every pixel, so each sampled value comes from exactly the reference's sequence of float
   * operations.
   */
  static float[] blurAndSample(float[] image, int width, int height, int[] rows, int[] columns) {
    return new Sweep(image, width, height, columns).run(rows);
  }

  /**
   * Both rounds, top to bottom, each stage pulling the rows it needs from the one before: the last
   * round's column filter asks for rows of the last round's row filter, which runs when four rows
   * of the first round's column filter are done, which asks for rows of the first round's row
   * filter. A column filter adds row {@code r} while it takes away row {@code r - columnWindow},
   * and a stage makes four rows at a time, so a ring of {@code columnWindow + 4} rows holds every
   * row a stage still needs: memory grows with the window (a 128th of the height), not with the
   * height, however tall and thin an image is.
   *
   * <p>Rows are arrays of their own: the JIT vectorises a loop over separate arrays at the loop's
   * own index, but not one over two stretches of one array, whose overlap it cannot rule out (the
   * column filter ran about seven times slower that way).
   */
  private static final class Sweep {
    private final float[] image;
    private final int width;
    private final int height;
    private final int rowWindow;
    private final int[] columns;
    /** The first round's row filter; image row {@code r} at {@code filtered[r % filtered.length]}. */
    private final float[][] filtered;
    private int rowsFiltered;
    private final ColumnSweep firstColumns;
    /** The first round's output, four rows at a time, for the last round's row filter. */
    private final float[][] fourRows;
    /** The last round's row filter at {@code columns}; row {@code r} at {@code sampled[r % sampled.length]}. */
    private final float[][] sampled;
    private int rowsSampled;
    private final ColumnSweep lastColumns;
    /** 0, 1, ..., width - 1, made for the image's last rows if its height is not a multiple of four. */
    private int[] everyColumn;

    Sweep(float[] image, int width, int height, int[] columns) {
      this.image = image;
      this.width = width;
      this.height = height;
      this.rowWindow = windowSize(width);
      this.columns = columns;
      int columnWindow = windowSize(height);
      // A multiple of four, so that four rows made together never wrap around a ring.
      int ringRows = (columnWindow + 4 + 3) / 4 * 4;
      this.filtered = new float[ringRows][width];
      this.firstColumns = new ColumnSweep(this::filteredRow, width, height, columnWindow);
      this.fourRows = new float[4][width];
      this.sampled = new float[ringRows][columns.length];
      this.lastColumns = new ColumnSweep(this::sampledRow, columns.length, height, columnWindow);
    }

    /** The 64x64 result, row-major: the last round's column filter, divided only at {@code rows}. */
    float[] run(int[] rows) {
      int n = columns.length;
      float[] out = new float[rows.length * n];
      float[] row = new float[n];
      int next = 0;
      for (int target = 0; target < height; target++) {
        lastColumns.next(next < rows.length && rows[next] == target ? row : null);
        for (; next < rows.length && rows[next] == target; next++) {
          System.arraycopy(row, 0, out, next * n, n);
        }
      }
      return out;
    }

    /** Image row {@code row} once through the first round's row filter. */
    private float[] filteredRow(int row) {
      while (rowsFiltered <= row) {
        int at = rowsFiltered % filtered.length;
        if (rowsFiltered + 4 <= height) {
          boxAlongFourRows(image, rowsFiltered * width,
              filtered[at], filtered[at + 1], filtered[at + 2], filtered[at + 3], width, rowWindow);
          rowsFiltered += 4;
        } else {
          // The last one to three rows: the sampled-row filter, sampling every column.
          boxAlongRowAt(image, rowsFiltered * width, width, rowWindow, everyColumn(), filtered[at]);
          rowsFiltered++;
        }
      }
      return filtered[row % filtered.length];
    }

    /**
     * Row {@code row} of the last round's row filter, at {@code columns}: made four rows at a time
     * once the first round's column filter has done them, or one at a time for the last few.
     */
    private float[] sampledRow(int row) {
      while (rowsSampled <= row) {
        int target = firstColumns.target();
        firstColumns.next(fourRows[target & 3]);
        if ((target & 3) == 3) {
          boxAlongFourRowsAt(fourRows, width, rowWindow, columns, sampled, (target - 3) % sampled.length);
          rowsSampled = target + 1;
        } else if (target >= height / 4 * 4) {
          boxAlongRowAt(fourRows[target & 3], 0, width, rowWindow, columns, sampled[target % sampled.length]);
          rowsSampled = target + 1;
        }
      }
      return sampled[row % sampled.length];
    }

    private int[] everyColumn() {
      if (everyColumn == null) {
        everyColumn = java.util.stream.IntStream.range(0, width).toArray();
      }
      return everyColumn;
    }
  }

  /**
   * The 1-D box filter down every column at once, one output row at a time, pulling the input rows
   * it needs. Sweeping whole rows keeps memory access sequential (a column walk would miss the
   * cache on every pixel); each column still sees the reference's exact sequence of float
   * operations.
   */
  private static final class ColumnSweep {
    private final IntFunction<float[]> rows;
    private final int height;
    private final int half;
    private final int growing;
    private final int full;
    private final float[] sums;
    private int right;
    private int left;
    private int count;
    private int target;

    /** A filter over {@code height} rows of {@code width}; {@code rows} gives input row r. */
    ColumnSweep(IntFunction<float[]> rows, int width, int height, int window) {
      this.rows = rows;
      this.height = height;
      this.half = (window + 2) / 2;
      this.growing = window - half + 1;
      this.full = height - window;
      this.sums = new float[width];
    }

    /** The output row the next call computes. */
    int target() {
      return target;
    }

    /** Output row {@link #target()} into {@code out}; with {@code out} null, only the sums move on. */
    void next(float[] out) {
      if (target >= height) {
        throw new IllegalStateException("all " + height + " rows are done");
      }
      if (target == 0) {
        for (; right < half - 1; right++) {
          enter(sums, rows.apply(right), null, ++count);
        }
      }
      if (target < growing) {
        enter(sums, rows.apply(right++), out, ++count);
      } else if (target < growing + full) {
        float[] entering = rows.apply(right++);
        slide(sums, entering, rows.apply(left++), out, count);
      } else {
        leave(sums, rows.apply(left++), out, --count);
      }
      target++;
    }
  }

  /**
   * A step of the column filter while its window grows: {@code sums += entering}, then
   * {@code out = sums / count} unless out is null.
   */
  private static void enter(float[] sums, float[] entering, float[] out, int count) {
    if (out == null) {
      for (int c = 0; c < sums.length; c++) {
        sums[c] += entering[c];
      }
      return;
    }
    for (int c = 0; c < sums.length; c++) {
      float s = sums[c] + entering[c];
      sums[c] = s;
      out[c] = s / count;
    }
  }

  /**
   * A step of the column filter with its window whole: {@code sums += entering},
   * {@code sums -= leaving}, then divided into out unless out is null.
   */
  private static void slide(float[] sums, float[] entering, float[] leaving, float[] out, int count) {
    if (out == null) {
      for (int c = 0; c < sums.length; c++) {
        float s = sums[c] + entering[c];
        sums[c] = s - leaving[c];
      }
      return;
    }
    for (int c = 0; c < sums.length; c++) {
      float s = sums[c] + entering[c];
      s -= leaving[c];
      sums[c] = s;
      out[c] = s / count;
    }
  }

  /**
   * A step of the column filter while its window shrinks at the far edge:
   * {@code sums -= leaving}, then divided into out unless out is null.
   */
  private static void leave(float[] sums, float[] leaving, float[] out, int count) {
    if (out == null) {
      for (int c = 0; c < sums.length; c++) {
        sums[c] -= leaving[c];
      }
      return;
    }
    for (int c = 0; c < sums.length; c++) {
      float s = sums[c] - leaving[c];
      sums[c] = s;
      out[c] = s / count;
    }
  }

  /**
   * The row box filter over the row of {@code in} at {@code offset}, keeping only the outputs at
   * {@code columns} (ascending, repeats allowed): {@code out[k]} for the k-th column.
   */
  private static void boxAlongRowAt(float[] in, int offset, int length, int window, int[] columns, float[] out) {
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
        out[next++] = sum / count;
      }
    }
    for (int i = 0; i < full; i++, target++) {
      sum += in[right++];
      sum -= in[left++];
      while (next < columns.length && columns[next] == target) {
        out[next++] = sum / count;
      }
    }
    for (int i = 0; i < trailing; i++, target++) {
      sum -= in[left++];
      count--;
      while (next < columns.length && columns[next] == target) {
        out[next++] = sum / count;
      }
    }
  }

  /**
   * {@link #boxAlongRowAt} for four rows at once, the outputs of {@code in[r]} going to
   * {@code out[first + r]}. Where the window is whole, the running sums go from one sampled
   * column to the next without a store or a test between.
   */
  private static void boxAlongFourRowsAt(
      float[][] in, int length, int window, int[] columns, float[][] out, int first) {
    int half = (window + 2) / 2;
    int leading = half - 1;
    int growing = window - half + 1;
    int full = length - window;
    int trailing = half - 1;
    int n = columns.length;
    float[] a = in[0];
    float[] b = in[1];
    float[] c = in[2];
    float[] d = in[3];
    float[] outA = out[first];
    float[] outB = out[first + 1];
    float[] outC = out[first + 2];
    float[] outD = out[first + 3];

    int right = 0;
    int left = 0;
    int target = 0;
    int next = 0;
    float sumA = 0;
    float sumB = 0;
    float sumC = 0;
    float sumD = 0;
    int count = 0;
    for (int i = 0; i < leading; i++, right++) {
      sumA += a[right];
      sumB += b[right];
      sumC += c[right];
      sumD += d[right];
      count++;
    }
    for (int i = 0; i < growing; i++, right++, target++) {
      sumA += a[right];
      sumB += b[right];
      sumC += c[right];
      sumD += d[right];
      count++;
      for (; next < n && columns[next] == target; next++) {
        outA[next] = sumA / count;
        outB[next] = sumB / count;
        outC[next] = sumC / count;
        outD[next] = sumD / count;
      }
    }
    int wholeEnd = target + full;
    while (target < wholeEnd) {
      // Up to and including the next sampled column, or to the window's last whole position.
      int stop = next < n ? Math.min(columns[next] + 1, wholeEnd) : wholeEnd;
      for (; target < stop; right++, left++, target++) {
        sumA += a[right];
        sumB += b[right];
        sumC += c[right];
        sumD += d[right];
        sumA -= a[left];
        sumB -= b[left];
        sumC -= c[left];
        sumD -= d[left];
      }
      for (; next < n && columns[next] == target - 1; next++) {
        outA[next] = sumA / count;
        outB[next] = sumB / count;
        outC[next] = sumC / count;
        outD[next] = sumD / count;
      }
    }
    for (int i = 0; i < trailing; i++, left++, target++) {
      sumA -= a[left];
      sumB -= b[left];
      sumC -= c[left];
      sumD -= d[left];
      count--;
      for (; next < n && columns[next] == target; next++) {
        outA[next] = sumA / count;
        outB[next] = sumB / count;
        outC[next] = sumC / count;
        outD[next] = sumD / count;
      }
    }
  }

  /**
   * Four consecutive rows of {@code in} from {@code inOffset}, filtered into {@code outA} to
   * {@code outD}. Each row's running sum is a chain of dependent float
   * additions; interleaving four independent chains lets the processor overlap them without
   * changing any row's arithmetic. Where the window is whole, the running sums are stored first
   * and divided afterwards in a loop of its own: the divisor is then the same for every element,
   * so the JIT divides eight floats per instruction instead of one; each quotient is the same
   * float division as before.
   */
  private static void boxAlongFourRows(
      float[] in, int inOffset, float[] outA, float[] outB, float[] outC, float[] outD, int length, int window) {
    int half = (window + 2) / 2;
    int leading = half - 1;
    int growing = window - half + 1;
    int full = length - window;
    int trailing = half - 1;

    int a = inOffset;
    int b = inOffset + length;
    int c = inOffset + 2 * length;
    int d = inOffset + 3 * length;
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
      outA[target] = sumA / count;
      outB[target] = sumB / count;
      outC[target] = sumC / count;
      outD[target] = sumD / count;
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
      outA[target] = sumA;
      outB[target] = sumB;
      outC[target] = sumC;
      outD[target] = sumD;
    }
    divide(outA, wholeFrom, target, count);
    divide(outB, wholeFrom, target, count);
    divide(outC, wholeFrom, target, count);
    divide(outD, wholeFrom, target, count);
    for (int i = 0; i < trailing; i++, left++, target++) {
      sumA -= in[a + left];
      sumB -= in[b + left];
      sumC -= in[c + left];
      sumD -= in[d + left];
      count--;
      outA[target] = sumA / count;
      outB[target] = sumB / count;
      outC[target] = sumC / count;
      outD[target] = sumD / count;
    }
  }

  private static void divide(float[] values, int from, int to, int divisor) {
    for (int i = from; i < to; i++) {
      values[i] = values[i] / divisor;
    }
  }
}
