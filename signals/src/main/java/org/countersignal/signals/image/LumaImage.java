package org.countersignal.signals.image;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;

/**
 * An image reduced to luminance, one float per pixel in row-major order: what every perceptual
 * hash here starts from. {@code Y = 0.299 R + 0.587 G + 0.114 B}, or the grey value itself.
 */
public record LumaImage(float[] pixels, int width, int height) {

  public LumaImage {
    if (width < 0 || height < 0 || (long) width * height != pixels.length) {
      throw new IllegalArgumentException(
          "pixel buffer of " + pixels.length + " does not hold " + width + "x" + height);
    }
  }

  static final float R_WEIGHT = 0.299f;
  static final float G_WEIGHT = 0.587f;
  static final float B_WEIGHT = 0.114f;

  /** Luminance of interleaved 8-bit RGB bytes (3 per pixel, R first). */
  public static LumaImage fromRgb(byte[] rgb, int width, int height) {
    float[] out = new float[Math.multiplyExact(width, height)];
    for (int p = 0, i = 0; p < out.length; p++, i += 3) {
      out[p] = R_WEIGHT * (rgb[i] & 0xff) + G_WEIGHT * (rgb[i + 1] & 0xff) + B_WEIGHT * (rgb[i + 2] & 0xff);
    }
    return new LumaImage(out, width, height);
  }

  /** Pixels converted per bulk copy out of native memory: a small buffer that stays in cache. */
  private static final int CHUNK_PIXELS = 4096;

  /**
   * As {@link #fromRgb(byte[], int, int)}, from native memory. Copied out in chunks: reading
   * the segment a byte at a time cost as much as hashing the image.
   */
  static LumaImage fromRgb(MemorySegment rgb, int width, int height) {
    float[] out = new float[Math.multiplyExact(width, height)];
    byte[] chunk = new byte[3 * CHUNK_PIXELS];
    for (int p = 0; p < out.length; p += CHUNK_PIXELS) {
      int n = Math.min(CHUNK_PIXELS, out.length - p);
      MemorySegment.copy(rgb, JAVA_BYTE, 3L * p, chunk, 0, 3 * n);
      for (int i = 0, j = 0; i < n; i++, j += 3) {
        out[p + i] = R_WEIGHT * (chunk[j] & 0xff) + G_WEIGHT * (chunk[j + 1] & 0xff) + B_WEIGHT * (chunk[j + 2] & 0xff);
      }
    }
    return new LumaImage(out, width, height);
  }

  /** Grey bytes from native memory. */
  static LumaImage fromGrey(MemorySegment grey, int width, int height) {
    float[] out = new float[Math.multiplyExact(width, height)];
    byte[] chunk = new byte[CHUNK_PIXELS];
    for (int p = 0; p < out.length; p += CHUNK_PIXELS) {
      int n = Math.min(CHUNK_PIXELS, out.length - p);
      MemorySegment.copy(grey, JAVA_BYTE, p, chunk, 0, n);
      for (int i = 0; i < n; i++) {
        out[p + i] = chunk[i] & 0xff;
      }
    }
    return new LumaImage(out, width, height);
  }

  /** Grey bytes, one per pixel, used as luminance as they are. */
  static LumaImage fromGrey(byte[] grey, int width, int height) {
    float[] out = new float[Math.multiplyExact(width, height)];
    for (int p = 0; p < out.length; p++) {
      out[p] = grey[p] & 0xff;
    }
    return new LumaImage(out, width, height);
  }

  /** Luminance of packed {@code 0x??RRGGBB} ints; the top byte (alpha) is ignored. */
  public static LumaImage fromPackedRgb(int[] argb, int width, int height) {
    float[] out = new float[Math.multiplyExact(width, height)];
    for (int p = 0; p < out.length; p++) {
      int v = argb[p];
      out[p] = R_WEIGHT * ((v >>> 16) & 0xff) + G_WEIGHT * ((v >>> 8) & 0xff) + B_WEIGHT * (v & 0xff);
    }
    return new LumaImage(out, width, height);
  }

  public float at(int row, int column) {
    return pixels[row * width + column];
  }
}
