package org.countersignal.signals.image;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The EXIF orientation flag (1..8): how a viewer turns the stored pixels for display. Hashes
 * are taken of the image as displayed, since that is what people see and re-upload.
 */
public enum Orientation {
  NORMAL(1), MIRROR_HORIZONTAL(2), ROTATE_180(3), MIRROR_VERTICAL(4),
  TRANSPOSE(5), ROTATE_90_CLOCKWISE(6), TRANSVERSE(7), ROTATE_90_ANTICLOCKWISE(8);

  private final int exifValue;

  Orientation(int exifValue) {
    this.exifValue = exifValue;
  }

  public int exifValue() {
    return exifValue;
  }

  public static Orientation fromExif(int value) {
    for (Orientation o : values()) {
      if (o.exifValue == value) {
        return o;
      }
    }
    return NORMAL;
  }

  /**
   * Reads the flag from a JPEG's EXIF segment; NORMAL when absent or unreadable, since a broken
   * EXIF block should not stop the image itself from being hashed.
   */
  static Orientation ofJpeg(byte[] jpeg) {
    try (ImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
      List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(stream, JPEG.APP1, "Exif");
      if (segments.isEmpty()) {
        return NORMAL;
      }
      InputStream data = segments.getFirst().data();
      byte[] exif = data.readAllBytes();
      int start = 0;
      // The segment's identifier is "Exif\0" followed by one pad byte before the TIFF header.
      while (start < exif.length && exif[start] == 0) {
        start++;
      }
      try (ImageInputStream tiff = new MemoryCacheImageInputStream(
          new ByteArrayInputStream(exif, start, exif.length - start))) {
        Directory directory = new TIFFReader().read(tiff);
        Entry entry = directory.getEntryById(TIFF.TAG_ORIENTATION);
        if (entry != null && entry.getValue() instanceof Number number) {
          return fromExif(number.intValue());
        }
      }
    } catch (IOException | RuntimeException e) {
      return NORMAL;
    }
    return NORMAL;
  }

  /** The image as a viewer displays it. */
  public LumaImage apply(LumaImage stored) {
    if (this == NORMAL) {
      return stored;
    }
    int w = stored.width();
    int h = stored.height();
    float[] in = stored.pixels();
    boolean swapsSides = exifValue >= 5;
    int outWidth = swapsSides ? h : w;
    int outHeight = swapsSides ? w : h;
    float[] out = new float[in.length];
    int p = 0;
    for (int r = 0; r < outHeight; r++) {
      for (int c = 0; c < outWidth; c++, p++) {
        out[p] = in[sourceIndex(r, c, w, h)];
      }
    }
    return new LumaImage(out, outWidth, outHeight);
  }

  /** Index in the stored image of displayed pixel (r, c). */
  private int sourceIndex(int r, int c, int w, int h) {
    return switch (this) {
      case NORMAL -> r * w + c;
      case MIRROR_HORIZONTAL -> r * w + (w - 1 - c);
      case ROTATE_180 -> (h - 1 - r) * w + (w - 1 - c);
      case MIRROR_VERTICAL -> (h - 1 - r) * w + c;
      case TRANSPOSE -> c * w + r;
      case ROTATE_90_CLOCKWISE -> (h - 1 - c) * w + r;
      case TRANSVERSE -> (h - 1 - c) * w + (w - 1 - r);
      case ROTATE_90_ANTICLOCKWISE -> c * w + (w - 1 - r);
    };
  }
}
