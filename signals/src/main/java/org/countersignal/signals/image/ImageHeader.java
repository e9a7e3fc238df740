package org.countersignal.signals.image;

import java.util.Optional;

/**
 * The size an image declares, read from its first bytes without a decoder, so that the pixel
 * limit holds before FFmpeg or Leptonica allocates anything. Only what those paths take (JPEG,
 * PNG, still WebP); empty for anything this cannot read or that they leave to ImageIO
 * (CMYK/YCCK and arithmetic-coded JPEGs, animated WebP), which ImageIO then checks itself.
 *
 * @param bytesPerPixel the bytes a decoded pixel holds, as the limit counts them
 * @param progressive a progressive JPEG, whose scans a hostile file can multiply
 */
record ImageHeader(int width, int height, int bytesPerPixel, boolean progressive) {

  ImageHeader(int width, int height, int bytesPerPixel) {
    this(width, height, bytesPerPixel, false);
  }

  static Optional<ImageHeader> read(ImageFormat format, byte[] data) {
    return switch (format) {
      case JPEG -> jpeg(data);
      case PNG -> png(data);
      case WEBP -> webp(data);
      default -> Optional.empty();
    };
  }

  /** The first start-of-frame segment; a file with none in the bytes is left to ImageIO. */
  private static Optional<ImageHeader> jpeg(byte[] d) {
    int i = 2;
    while (i + 4 <= d.length) {
      if ((d[i] & 0xff) != 0xFF) {
        return Optional.empty();
      }
      int marker = d[i + 1] & 0xff;
      if (marker == 0xFF) {
        i++; // fill byte
        continue;
      }
      int length = u16be(d, i + 2);
      boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF
          && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (startOfFrame) {
        if (i + 10 > d.length) {
          return Optional.empty();
        }
        boolean arithmetic = marker >= 0xC9;
        int precision = d[i + 4] & 0xff;
        int height = u16be(d, i + 5);
        int width = u16be(d, i + 7);
        int components = d[i + 9] & 0xff;
        // Height 0 is set later by a DNL segment, which only ImageIO's reader follows.
        if (arithmetic || height == 0 || (components != 1 && components != 3)) {
          return Optional.empty();
        }
        int channels = components == 1 ? 1 : 3;
        boolean progressive = (marker & 0x3) == 2;
        return Optional.of(new ImageHeader(width, height, channels * (precision > 8 ? 2 : 1), progressive));
      }
      if (marker == 0xD9 || marker == 0xDA || length < 2) {
        return Optional.empty();
      }
      i += 2 + length;
    }
    return Optional.empty();
  }

  private static Optional<ImageHeader> png(byte[] d) {
    // Signature (8), IHDR length (4) and type (4), then width, height, bit depth, colour type.
    if (d.length < 26 || d[12] != 'I' || d[13] != 'H' || d[14] != 'D' || d[15] != 'R') {
      return Optional.empty();
    }
    long width = u32be(d, 16);
    long height = u32be(d, 20);
    int depth = d[24] & 0xff;
    int channels = switch (d[25] & 0xff) {
      case 0, 3 -> 1;
      case 4 -> 2;
      case 2 -> 3;
      case 6 -> 4;
      default -> 0;
    };
    if (channels == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
      return Optional.empty();
    }
    return Optional.of(new ImageHeader((int) width, (int) height, Math.max(1, (channels * depth + 7) / 8)));
  }

  private static Optional<ImageHeader> webp(byte[] d) {
    if (d.length < 30) {
      return Optional.empty();
    }
    String chunk = new String(d, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
    return switch (chunk) {
      case "VP8X" -> {
        boolean animated = (d[20] & 0x02) != 0;
        boolean alpha = (d[20] & 0x10) != 0;
        yield animated ? Optional.empty() : Optional.of(new ImageHeader(
            u24le(d, 24) + 1, u24le(d, 27) + 1, alpha ? 4 : 3));
      }
      case "VP8 " -> {
        // Frame tag (3), start code 9d 01 2a, then 14-bit width and height (2 scale bits each).
        if ((d[23] & 0xff) != 0x9d || (d[24] & 0xff) != 0x01 || (d[25] & 0xff) != 0x2a) {
          yield Optional.empty();
        }
        yield Optional.of(new ImageHeader(u16le(d, 26) & 0x3fff, u16le(d, 28) & 0x3fff, 3));
      }
      case "VP8L" -> {
        if ((d[20] & 0xff) != 0x2f) {
          yield Optional.empty();
        }
        int bits = (d[21] & 0xff) | (d[22] & 0xff) << 8 | (d[23] & 0xff) << 16 | (d[24] & 0xff) << 24;
        yield Optional.of(new ImageHeader((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1, 4));
      }
      default -> Optional.empty();
    };
  }

  private static int u16be(byte[] d, int i) {
    return (d[i] & 0xff) << 8 | (d[i + 1] & 0xff);
  }

  private static int u16le(byte[] d, int i) {
    return (d[i] & 0xff) | (d[i + 1] & 0xff) << 8;
  }

  private static int u24le(byte[] d, int i) {
    return (d[i] & 0xff) | (d[i + 1] & 0xff) << 8 | (d[i + 2] & 0xff) << 16;
  }

  private static long u32be(byte[] d, int i) {
    return (long) (d[i] & 0xff) << 24 | (d[i + 1] & 0xff) << 16 | (d[i + 2] & 0xff) << 8 | (d[i + 3] & 0xff);
  }
}
