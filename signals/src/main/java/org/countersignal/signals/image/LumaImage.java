package org.countersignal.signals.image;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

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
   * Luminance of 8-bit RGBX pixels in native memory (4 bytes per pixel: R, G, B, unused). One
   * pixel per int lets the JIT convert eight pixels per instruction, where three bytes per pixel
   * keep it to one; each pixel's float operations are those of {@link #fromRgb(byte[], int, int)}.
   * Copied out in chunks: reading the segment an element at a time cost as much as hashing.
   */
  static LumaImage fromRgbx(MemorySegment rgbx, int width, int height) {
    return fromRgbx(rgbx, width, height, new float[Math.multiplyExact(width, height)]);
  }

  /** As {@link #fromRgbx(MemorySegment, int, int)}, into {@code out}, of exactly width x height. */
  public static LumaImage fromRgbx(MemorySegment rgbx, int width, int height, float[] out) {
    int[] chunk = new int[CHUNK_PIXELS];
    for (int p = 0; p < out.length; p += CHUNK_PIXELS) {
      int n = Math.min(CHUNK_PIXELS, out.length - p);
      MemorySegment.copy(rgbx, PIXEL, 4L * p, chunk, 0, n);
      fromRgbx(chunk, n, out, p);
    }
    return new LumaImage(out, width, height);
  }

  private static void fromRgbx(int[] pixels, int n, float[] out, int to) {
    for (int i = 0; i < n; i++) {
      int v = pixels[i];
      out[to + i] = R_WEIGHT * (v & 0xff) + G_WEIGHT * ((v >>> 8) & 0xff) + B_WEIGHT * ((v >>> 16) & 0xff);
    }
  }

  private static final ValueLayout.OfInt PIXEL = JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

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
