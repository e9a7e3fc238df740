package org.countersignal.signals.image;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import org.bytedeco.javacpp.Loader;

/**
 * The libjpeg API of the libjpeg-turbo inside Leptonica's native library, through a small C
 * shim built with this module ({@code src/main/c/libjpeg_rgbx.c}): it decodes into a buffer of
 * our own, one int a pixel, where Leptonica's reader packs every pixel into its raster a byte at
 * a time. Same library, same pixels; a folder of photos hashes about a fifth faster. The shim is
 * there because libjpeg leaves a fatal error only by {@code longjmp}, which a Java caller cannot
 * do. It is called through JNI, whose native methods bind at no cost to a start; each
 * foreign-function downcall would have its stub generated anew at every start.
 *
 * <p>Optional: the build makes the shim where it finds a C compiler on Linux x86-64, and it is
 * loaded only after Leptonica's libraries (it names {@code libleptonica.so.6}, which the dynamic
 * linker then finds already loaded). The property {@code countersignal.libjpeg-rgbx=false} leaves
 * it unused. Thread-safe: each call has its own decoder.
 */
final class LibjpegRgbx {

  private static final String SHIM = "libcountersignal-jpeg.so";

  private LibjpegRgbx() {}

  /** The shim, once Leptonica's libraries are loaded; empty where it was not built or is turned off. */
  static Optional<LibjpegRgbx> open() {
    if ("false".equalsIgnoreCase(System.getProperty("countersignal.libjpeg-rgbx"))) {
      return Optional.empty();
    }
    try {
      File shim = Loader.cacheResource(LibjpegRgbx.class, Loader.getPlatform() + "/" + SHIM);
      if (shim == null) {
        return Optional.empty();
      }
      System.load(shim.getAbsolutePath());
      return Optional.of(new LibjpegRgbx());
    } catch (IOException | UnsatisfiedLinkError e) {
      return Optional.empty();
    }
  }

  /**
   * Decodes a sequential 8-bit JPEG whose header said {@code width x height}, grey or colour;
   * empty when libjpeg declines or fails on it (another colour space, damaged or truncated data),
   * as Leptonica's reader would.
   */
  Optional<LumaImage> decode(byte[] jpeg, int width, int height, boolean grey) {
    long address = decodePixels(jpeg, width, height, grey);
    if (address == 0) {
      return Optional.empty();
    }
    try {
      MemorySegment pixels = MemorySegment.ofAddress(address).reinterpret((long) width * height * (grey ? 1 : 4));
      return Optional.of(grey
          ? LumaImage.fromGrey(pixels, width, height)
          : LumaImage.fromRgbx(pixels, width, height));
    } finally {
      freePixels(address);
    }
  }

  /** The address of the pixels, in memory of the shim's, to {@link #freePixels(long)}; 0 if declined. */
  private static native long decodePixels(byte[] jpeg, int width, int height, boolean grey);

  private static native void freePixels(long pixels);
}
