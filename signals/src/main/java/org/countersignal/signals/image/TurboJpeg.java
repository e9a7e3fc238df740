package org.countersignal.signals.image;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import org.countersignal.signals.ContentException;

/**
 * JPEG decoding through the system's libjpeg-turbo (its TurboJPEG API, Debian package
 * {@code libturbojpeg0}), called with Java's foreign function API. About three times faster than
 * ImageIO for baseline photos. Optional: when the library is absent, or the property
 * {@code countersignal.turbojpeg=false} is set, {@link #load()} returns empty and callers use
 * FFmpeg or ImageIO.
 */
final class TurboJpeg {

  static final int COLORSPACE_RGB = 0;
  static final int COLORSPACE_YCBCR = 1;
  static final int COLORSPACE_GRAY = 2;
  /** R, G, B and an unused byte: a pixel per int, which converts to luminance faster than RGB. */
  private static final int PIXEL_FORMAT_RGBX = 2;
  private static final int PIXEL_FORMAT_GRAY = 6;
  /** Fail on corrupt data instead of decoding garbage; ImageIO then reports what is wrong. */
  private static final int FLAG_STOP_ON_WARNING = 8192;
  /** Refuse progressive files with absurd numbers of scans (a known CPU exhaustion trick). */
  private static final int FLAG_LIMIT_SCANS = 32768;

  private static final Optional<TurboJpeg> INSTANCE = open();

  private final MethodHandle initDecompress;
  private final MethodHandle decompressHeader;
  private final MethodHandle decompress;
  private final MethodHandle destroy;
  private final MethodHandle alloc;
  private final MethodHandle free;

  /** What the JPEG header says. */
  record Header(int width, int height, int colorspace) {}

  private TurboJpeg(SymbolLookup library) {
    Linker linker = Linker.nativeLinker();
    initDecompress = linker.downcallHandle(
        library.find("tjInitDecompress").orElseThrow(), FunctionDescriptor.of(ADDRESS));
    decompressHeader = linker.downcallHandle(
        library.find("tjDecompressHeader3").orElseThrow(),
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    decompress = linker.downcallHandle(
        library.find("tjDecompress2").orElseThrow(),
        FunctionDescriptor.of(
            JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    destroy = linker.downcallHandle(
        library.find("tjDestroy").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS));
    alloc = linker.downcallHandle(library.find("tjAlloc").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));
    free = linker.downcallHandle(library.find("tjFree").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS));
  }

  static Optional<TurboJpeg> load() {
    return INSTANCE;
  }

  private static Optional<TurboJpeg> open() {
    if ("false".equalsIgnoreCase(System.getProperty("countersignal.turbojpeg"))) {
      return Optional.empty();
    }
    try {
      return Optional.of(new TurboJpeg(SymbolLookup.libraryLookup("libturbojpeg.so.0", Arena.global())));
    } catch (IllegalArgumentException | UnsupportedOperationException | IllegalCallerException e) {
      // Most machines lack it, and the bundled libjpeg-turbo decodes instead: nothing to report
      // (ImageDecoder.jpegBackend() says which path is in use).
      return Optional.empty();
    }
  }

  /**
   * Decodes a JPEG whose header passes {@code acceptHeader}, or returns empty when the library
   * cannot decode it cleanly (CMYK, corrupt data, ...) so the caller can fall back.
   */
  Optional<LumaImage> decode(byte[] jpeg, HeaderCheck acceptHeader) throws ContentException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment handle = (MemorySegment) initDecompress.invokeExact();
      if (handle.equals(MemorySegment.NULL)) {
        return Optional.empty();
      }
      try {
        MemorySegment source = arena.allocate(jpeg.length);
        MemorySegment.copy(jpeg, 0, source, JAVA_BYTE, 0, jpeg.length);
        MemorySegment dims = arena.allocate(JAVA_INT, 4);
        int status = (int) decompressHeader.invokeExact(
            handle, source, (long) jpeg.length,
            dims, dims.asSlice(4), dims.asSlice(8), dims.asSlice(12));
        if (status != 0) {
          return Optional.empty();
        }
        Header header = new Header(
            dims.getAtIndex(JAVA_INT, 0), dims.getAtIndex(JAVA_INT, 1), dims.getAtIndex(JAVA_INT, 3));
        boolean grey = header.colorspace() == COLORSPACE_GRAY;
        int channels = grey ? 1 : 4;
        acceptHeader.check(header.width(), header.height(), channels);
        if (!grey && header.colorspace() != COLORSPACE_YCBCR && header.colorspace() != COLORSPACE_RGB) {
          return Optional.empty();
        }
        long size = (long) header.width() * header.height() * channels;
        if (size > Integer.MAX_VALUE) {
          return Optional.empty();
        }
        // The library's own allocator: the decoder writes every byte, and the arena would first
        // zero the megabytes of a photo.
        MemorySegment allocated = (MemorySegment) alloc.invokeExact((int) size);
        if (allocated.address() == 0) {
          return Optional.empty();
        }
        MemorySegment pixels = allocated.reinterpret(size);
        try {
          status = (int) decompress.invokeExact(
              handle, source, (long) jpeg.length, pixels,
              header.width(), 0, header.height(),
              grey ? PIXEL_FORMAT_GRAY : PIXEL_FORMAT_RGBX,
              FLAG_STOP_ON_WARNING | FLAG_LIMIT_SCANS);
          if (status != 0) {
            return Optional.empty();
          }
          return Optional.of(grey
              ? LumaImage.fromGrey(pixels, header.width(), header.height())
              : LumaImage.fromRgbx(pixels, header.width(), header.height()));
        } finally {
          free.invokeExact(pixels);
        }
      } finally {
        int ignored = (int) destroy.invokeExact(handle);
      }
    } catch (ContentException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("libturbojpeg call failed", e);
    }
  }

  /** Lets the caller refuse an image from its declared size before any pixel is decoded. */
  @FunctionalInterface
  interface HeaderCheck {
    void check(int width, int height, int bytesPerPixel) throws ContentException;
  }
}
