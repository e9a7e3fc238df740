package org.countersignal.signals.image;

import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * JPEG's YCbCr planes to luminance the way libjpeg turns them into RGB: its "fancy" (triangle)
 * chroma upsampling and its fixed-point colour conversion, rounding and clamping included, then
 * the PDQ weights. Taking Y alone, or letting swscale upsample, differs by about a grey level,
 * which moves the hash of a nearly flat photo by dozens of bits; this matches libjpeg's pixels
 * to within its IDCT's rounding, so hashes agree with the references, which decode with libjpeg.
 */
final class JpegColour {

  private static final int SCALE = 16;
  private static final int HALF = 1 << (SCALE - 1);
  // libjpeg's jdcolor.c constants. Its tables hold these products; here they are computed per
  // pixel, one channel per loop, which the JIT turns into vector instructions (a table lookup,
  // or all three channels in one loop, keeps it to one pixel at a time: about ten times slower).
  private static final int CR_TO_R = fix(1.40200);
  private static final int CB_TO_B = fix(1.77200);
  private static final int CR_TO_G = fix(0.71414);
  private static final int CB_TO_G = fix(0.34414);

  private JpegColour() {}

  private static int fix(double x) {
    return (int) (x * (1 << SCALE) + 0.5);
  }

  /** {@code frame} holds 8-bit full-range Y, Cb, Cr planes, chroma halved per the log2 shifts. */
  static LumaImage luma(AVFrame frame, int log2ChromaW, int log2ChromaH) {
    int w = frame.width();
    int h = frame.height();
    int cw = (w + (1 << log2ChromaW) - 1) >> log2ChromaW;
    int ch = (h + (1 << log2ChromaH) - 1) >> log2ChromaH;
    byte[] y = plane(frame, 0, w, h);
    byte[] cb = plane(frame, 1, cw, ch);
    byte[] cr = plane(frame, 2, cw, ch);
    int ys = frame.linesize(0);
    int cs = frame.linesize(1);
    Rows rows = new Rows(w);
    int[] cbRow = new int[w];
    int[] crRow = new int[w];
    int[] cbCol = new int[cw];
    int[] crCol = new int[cw];
    float[] out = new float[Math.multiplyExact(w, h)];
    for (int row = 0; row < h; row++) {
      if (log2ChromaH == 1) {
        // Vertical triangle filter: 3/4 of the nearer chroma row, 1/4 of the other (edges repeat).
        int near = row >> 1;
        int far = (row & 1) == 0 ? Math.max(near - 1, 0) : Math.min(near + 1, ch - 1);
        for (int c = 0; c < cw; c++) {
          cbCol[c] = 3 * (cb[near * cs + c] & 0xff) + (cb[far * cs + c] & 0xff);
          crCol[c] = 3 * (cr[near * cs + c] & 0xff) + (cr[far * cs + c] & 0xff);
        }
        upsampleRow(cbCol, cw, w, log2ChromaW, cbRow, true);
        upsampleRow(crCol, cw, w, log2ChromaW, crRow, true);
      } else {
        for (int c = 0; c < cw; c++) {
          cbCol[c] = cb[row * cs + c] & 0xff;
          crCol[c] = cr[row * cs + c] & 0xff;
        }
        upsampleRow(cbCol, cw, w, log2ChromaW, cbRow, false);
        upsampleRow(crCol, cw, w, log2ChromaW, crRow, false);
      }
      convertRow(y, row * ys, cbRow, crRow, rows, out, row * w, w);
    }
    return new LumaImage(out, w, h);
  }

  /** A row's worth of working space for {@link #convertRow}. */
  private record Rows(int[] luma, int[] red, int[] green, int[] blue) {
    Rows(int w) {
      this(new int[w], new int[w], new int[w], new int[w]);
    }
  }

  /** One row to luminance, through libjpeg's rounding and clamping of each channel. */
  private static void convertRow(byte[] y, int from, int[] cbRow, int[] crRow, Rows rows, float[] out, int to, int w) {
    int[] luma = rows.luma();
    int[] red = rows.red();
    int[] green = rows.green();
    int[] blue = rows.blue();
    for (int x = 0; x < w; x++) {
      luma[x] = y[from + x] & 0xff;
    }
    for (int x = 0; x < w; x++) {
      red[x] = clamp(luma[x] + ((CR_TO_R * (crRow[x] - 128) + HALF) >> SCALE));
    }
    for (int x = 0; x < w; x++) {
      green[x] = clamp(luma[x] + ((-CB_TO_G * (cbRow[x] - 128) + HALF - CR_TO_G * (crRow[x] - 128)) >> SCALE));
    }
    for (int x = 0; x < w; x++) {
      blue[x] = clamp(luma[x] + ((CB_TO_B * (cbRow[x] - 128) + HALF) >> SCALE));
    }
    for (int x = 0; x < w; x++) {
      out[to + x] = LumaImage.R_WEIGHT * red[x] + LumaImage.G_WEIGHT * green[x] + LumaImage.B_WEIGHT * blue[x];
    }
  }

  /**
   * One row of chroma to full width. {@code summed}: the values are vertical sums of weight 4
   * (h2v2), else plain samples (h2v1, or no horizontal subsampling).
   */
  private static void upsampleRow(int[] in, int cw, int w, int log2ChromaW, int[] out, boolean summed) {
    if (log2ChromaW == 0) {
      for (int x = 0; x < w; x++) {
        out[x] = summed ? (in[x] * 4 + 8) >> 4 : in[x];
      }
      return;
    }
    if (cw == 1) {
      for (int x = 0; x < w; x++) {
        out[x] = summed ? (in[0] * 4 + 8) >> 4 : in[0];
      }
      return;
    }
    for (int c = 0; c < cw; c++) {
      int here = in[c];
      int left = in[Math.max(c - 1, 0)];
      int right = in[Math.min(c + 1, cw - 1)];
      int even;
      int odd;
      if (summed) {
        even = c == 0 ? (here * 4 + 8) >> 4 : (here * 3 + left + 8) >> 4;
        odd = c == cw - 1 ? (here * 4 + 7) >> 4 : (here * 3 + right + 7) >> 4;
      } else {
        even = c == 0 ? here : (here * 3 + left + 1) >> 2;
        odd = c == cw - 1 ? here : (here * 3 + right + 2) >> 2;
      }
      int x = 2 * c;
      if (x < w) {
        out[x] = even;
      }
      if (x + 1 < w) {
        out[x + 1] = odd;
      }
    }
  }

  private static byte[] plane(AVFrame frame, int index, int width, int height) {
    int stride = frame.linesize(index);
    byte[] bytes = new byte[Math.multiplyExact(stride, height - 1) + width];
    frame.data(index).position(0).get(bytes, 0, bytes.length);
    return bytes;
  }

  private static int clamp(int v) {
    return Math.min(Math.max(v, 0), 255);
  }
}
