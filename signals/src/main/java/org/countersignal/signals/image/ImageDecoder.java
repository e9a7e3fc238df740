package org.countersignal.signals.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentException.Reason;

/**
 * Turns image bytes into luminance, as displayed (EXIF orientation applied). JPEGs go through
 * the system's libjpeg-turbo when it has one, else through the libjpeg-turbo inside Leptonica's
 * native library, which ships with the project (so every machine has a fast path), else through
 * FFmpeg's decoder (progressive files); PNG and WebP through FFmpeg; everything else, and
 * whatever those decline (CMYK JPEGs, damaged files), through ImageIO with the TwelveMonkeys
 * plugins. The system property {@code countersignal.image.decoder} ({@code libjpeg-turbo},
 * {@code leptonica}, {@code ffmpeg} or {@code imageio}) chooses the first path to try. Each
 * image's declared size is checked against the pixel limit before any pixel is decoded, so a
 * decompression bomb costs nothing. The limit counts bytes as well as pixels: a pixel of 16-bit
 * RGBA holds eight bytes where 8-bit RGBA holds four, so such an image may have half the pixels.
 * Thread-safe.
 */
public final class ImageDecoder {

  /** 100 megapixels: larger than any camera photo, far smaller than a bomb. */
  public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

  /** The bytes a pixel is allowed under the pixel limit: 8-bit RGBA. */
  static final int BYTES_PER_LIMIT_PIXEL = 4;

  /** The decoding paths, in the order they are tried: each falls back to the ones after it. */
  public enum Backend {
    LIBJPEG_TURBO("libjpeg-turbo"), LEPTONICA("leptonica"), FFMPEG("ffmpeg"), IMAGEIO("imageio");

    private final String property;

    Backend(String property) {
      this.property = property;
    }

    /** Its value of the system property {@code countersignal.image.decoder}. */
    public String property() {
      return property;
    }

    /**
     * The path {@code countersignal.image.decoder} names, else the fastest: the system's
     * libjpeg-turbo, which the photo benchmark measures ahead of Leptonica's and FFmpeg.
     */
    public static Backend configured() {
      String name = System.getProperty("countersignal.image.decoder", "");
      for (Backend b : values()) {
        if (b.property.equalsIgnoreCase(name)) {
          return b;
        }
      }
      if (!name.isEmpty()) {
        throw new IllegalArgumentException(
            "countersignal.image.decoder must be libjpeg-turbo, leptonica, ffmpeg or imageio, not " + name);
      }
      return LIBJPEG_TURBO;
    }
  }

  /**
   * The formats FFmpeg decodes when it is the path in use (after libjpeg-turbo for JPEG). For
   * PNG and WebP it is faster than ImageIO, and its WebP decoder, unlike TwelveMonkeys', gives
   * libwebp's own pixels, the ones the reference tools hash.
   */
  private static final Set<ImageFormat> FFMPEG_FORMATS = EnumSet.of(ImageFormat.JPEG, ImageFormat.PNG, ImageFormat.WEBP);

  private final long maxPixels;
  /**
   * The first path to try. Each path's native library loads when the first image that needs it
   * comes: FFmpeg's take a quarter second that JPEG-only runs need not pay, Leptonica's 30 ms that
   * a run hashing only videos or PNGs need not pay.
   */
  private final Backend first;

  public ImageDecoder() {
    this(DEFAULT_MAX_PIXELS);
  }

  public ImageDecoder(long maxPixels) {
    this(maxPixels, Backend.configured());
  }

  /** {@code useNativeJpeg = false} forces ImageIO for every format (for comparing the paths). */
  public ImageDecoder(long maxPixels, boolean useNativeJpeg) {
    this(maxPixels, useNativeJpeg ? Backend.configured() : Backend.IMAGEIO);
  }

  /** Tries {@code first}, then the paths after it (a path this machine lacks is skipped). */
  public ImageDecoder(long maxPixels, Backend first) {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be positive");
    }
    this.maxPixels = maxPixels;
    this.first = first;
  }

  /** Whether JPEGs are decoded by libjpeg-turbo on this machine. */
  public boolean nativeJpeg() {
    return turboJpeg().isPresent();
  }

  /** The path that decodes baseline JPEGs with this decoder on this machine. */
  public Backend jpegBackend() {
    return turboJpeg().isPresent() ? Backend.LIBJPEG_TURBO
        : leptonica().isPresent() ? Backend.LEPTONICA
        : ffmpeg().isPresent() ? Backend.FFMPEG : Backend.IMAGEIO;
  }

  /** Whether {@code path} is among those tried: the first and every one after it. */
  private boolean tries(Backend path) {
    return first.compareTo(path) <= 0;
  }

  private Optional<TurboJpeg> turboJpeg() {
    return tries(Backend.LIBJPEG_TURBO) ? TurboJpeg.load() : Optional.empty();
  }

  private Optional<LeptonicaJpeg> leptonica() {
    return tries(Backend.LEPTONICA) ? LeptonicaJpeg.load() : Optional.empty();
  }

  private Optional<FfmpegImage> ffmpeg() {
    return tries(Backend.FFMPEG) ? FfmpegImage.load() : Optional.empty();
  }

  public LumaImage decode(byte[] data) throws ContentException {
    ImageFormat format = ImageFormat.sniff(data).orElseThrow(() -> new ContentException(
        Reason.UNSUPPORTED_FORMAT,
        "not a supported image format (JPEG, PNG, GIF, BMP, WebP or TIFF)"));
    Orientation orientation = format == ImageFormat.JPEG ? Orientation.ofJpeg(data) : Orientation.NORMAL;
    LumaImage stored = null;
    if (format == ImageFormat.JPEG) {
      Optional<TurboJpeg> turboJpeg = turboJpeg();
      if (turboJpeg.isPresent()) {
        stored = turboJpeg.get().decode(data, this::checkSize).orElse(null);
      }
      Optional<LeptonicaJpeg> leptonica = stored == null ? leptonica() : Optional.empty();
      if (leptonica.isPresent()) {
        stored = leptonica.get().decode(data, this::checkSize).orElse(null);
      }
    }
    if (stored == null && FFMPEG_FORMATS.contains(format)) {
      Optional<FfmpegImage> ffmpeg = ffmpeg();
      if (ffmpeg.isPresent()) {
        stored = ffmpeg.get().decode(format, data, maxPixels, this::checkSize).orElse(null);
      }
    }
    if (stored == null) {
      stored = toLuma(readWithImageIo(data, format));
    }
    return orientation.apply(stored);
  }

  private void checkSize(int width, int height, int bytesPerPixel) throws ContentException {
    if (width <= 0 || height <= 0) {
      throw new ContentException(Reason.CORRUPT, "image declares an empty size " + width + "x" + height);
    }
    long pixels = (long) width * height;
    if (pixels > maxPixels) {
      throw new ContentException(Reason.TOO_LARGE, String.format(
          "image declares %dx%d = %,d pixels, over the limit of %,d; not decoded",
          width, height, pixels, maxPixels));
    }
    long bytes = pixels * bytesPerPixel;
    if (bytes > maxPixels * BYTES_PER_LIMIT_PIXEL) {
      throw new ContentException(Reason.TOO_LARGE, String.format(
          "image declares %dx%d pixels of %d bytes = %,d bytes decoded, over the limit of %,d; not decoded",
          width, height, bytesPerPixel, bytes, maxPixels * BYTES_PER_LIMIT_PIXEL));
    }
  }

  /** Bytes per pixel of the raster the reader will decode into, from its first image type. */
  private static int bytesPerPixel(ImageReader reader) throws IOException {
    Iterator<javax.imageio.ImageTypeSpecifier> types = reader.getImageTypes(0);
    if (types == null || !types.hasNext()) {
      return BYTES_PER_LIMIT_PIXEL;
    }
    javax.imageio.ImageTypeSpecifier type = types.next();
    int bits = 0;
    for (int size : type.getSampleModel().getSampleSize()) {
      bits += size;
    }
    return Math.max(1, (bits + 7) / 8);
  }

  /**
   * ImageIO with the TwelveMonkeys plugins, set up on first use: most images never reach it, and
   * scanning the class path for plugins costs a command-line run several milliseconds.
   */
  private static final class ImageIoPlugins {
    static {
      ImageIO.setUseCache(false);
      ImageIO.scanForPlugins();
    }

    static void ready() {}
  }

  private BufferedImage readWithImageIo(byte[] data, ImageFormat format) throws ContentException {
    ImageIoPlugins.ready();
    String name = format.name();
    try (ImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
      if (!readers.hasNext()) {
        throw new ContentException(Reason.UNSUPPORTED_FORMAT, "no decoder for this " + name + " file");
      }
      ImageReader reader = readers.next();
      List<String> warnings = new ArrayList<>();
      try {
        reader.setInput(stream, true, true);
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        // The pixel count first: asking for the image types reads further into the file.
        checkSize(reader.getWidth(0), reader.getHeight(0), 1);
        checkSize(reader.getWidth(0), reader.getHeight(0), bytesPerPixel(reader));
        ImageReadParam param = reader.getDefaultReadParam();
        BufferedImage image = reader.read(0, param);
        for (String warning : warnings) {
          if (isTruncation(warning)) {
            throw new ContentException(Reason.TRUNCATED, name + " data ends early: " + warning);
          }
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (ContentException e) {
      throw e;
    } catch (java.io.EOFException | IndexOutOfBoundsException e) {
      throw new ContentException(Reason.TRUNCATED, name + " data ends early", e);
    } catch (IOException e) {
      throw new ContentException(Reason.CORRUPT, "cannot decode " + name + ": " + describe(e), e);
    } catch (OutOfMemoryError e) {
      throw new ContentException(Reason.TOO_LARGE, "not enough memory to decode this " + name, e);
    } catch (RuntimeException e) {
      // Decoders signal broken streams with assorted runtime exceptions; all mean corrupt input.
      throw new ContentException(Reason.CORRUPT, "cannot decode " + name + ": " + describe(e), e);
    }
  }

  private static boolean isTruncation(String warning) {
    String lower = warning.toLowerCase(java.util.Locale.ROOT);
    return lower.contains("premature end") || lower.contains("truncated") || lower.contains("end of file");
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /**
   * Luminance straight from the raster for the common layouts (reading through getRGB costs more
   * than the hash); other layouts (palettes, 16-bit, CMYK, ...) go through the colour model.
   */
  static LumaImage toLuma(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    Raster raster = image.getRaster();
    ColorSpace space = image.getColorModel().getColorSpace();
    boolean indexed = image.getColorModel() instanceof IndexColorModel;
    if (!indexed && space.getType() == ColorSpace.TYPE_GRAY) {
      return greyLuma(raster, w, h);
    }
    if (!indexed && space.isCS_sRGB()
        && raster.getDataBuffer() instanceof DataBufferByte bytes
        && raster.getSampleModel() instanceof ComponentSampleModel model
        && model.getNumBands() >= 3 && bytes.getNumBanks() == 1
        && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0) {
      return interleavedLuma(bytes.getData(), model, w, h);
    }
    if (!indexed && space.isCS_sRGB()
        && raster.getDataBuffer() instanceof DataBufferInt ints
        && raster.getSampleModel() instanceof SinglePixelPackedSampleModel packed
        && packed.getScanlineStride() == w
        && (image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_INT_ARGB)) {
      return LumaImage.fromPackedRgb(ints.getData(), w, h);
    }
    int[] argb = new int[w * h];
    image.getRGB(0, 0, w, h, argb, 0, w);
    return LumaImage.fromPackedRgb(argb, w, h);
  }

  private static LumaImage interleavedLuma(byte[] data, ComponentSampleModel model, int w, int h) {
    int[] offsets = model.getBandOffsets();
    int pixelStride = model.getPixelStride();
    int rowStride = model.getScanlineStride();
    int r = offsets[0];
    int g = offsets[1];
    int b = offsets[2];
    float[] out = new float[w * h];
    int p = 0;
    for (int y = 0; y < h; y++) {
      int i = y * rowStride;
      for (int x = 0; x < w; x++, i += pixelStride) {
        out[p++] = LumaImage.R_WEIGHT * (data[i + r] & 0xff)
            + LumaImage.G_WEIGHT * (data[i + g] & 0xff)
            + LumaImage.B_WEIGHT * (data[i + b] & 0xff);
      }
    }
    return new LumaImage(out, w, h);
  }

  /** Grey samples of any bit depth, scaled to 0..255; any alpha band is ignored. */
  private static LumaImage greyLuma(Raster raster, int w, int h) {
    int bits = raster.getSampleModel().getSampleSize(0);
    float scale = bits == 8 ? 1f : 255f / ((1 << bits) - 1);
    int[] row = new int[w];
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        out[y * w + x] = bits == 8 ? row[x] : row[x] * scale;
      }
    }
    return new LumaImage(out, w, h);
  }
}
