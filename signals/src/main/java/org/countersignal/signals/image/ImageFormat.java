package org.countersignal.signals.image;

import java.util.Optional;

/** The image formats recognised from their first bytes (never from a file name). */
public enum ImageFormat {
  JPEG, PNG, GIF, BMP, WEBP, TIFF;

  public static Optional<ImageFormat> sniff(byte[] data) {
    if (startsWith(data, 0, 0xFF, 0xD8, 0xFF)) {
      return Optional.of(JPEG);
    }
    if (startsWith(data, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return Optional.of(PNG);
    }
    if (startsWith(data, 0, 'G', 'I', 'F', '8')) {
      return Optional.of(GIF);
    }
    if (startsWith(data, 0, 'B', 'M') && data.length >= 26) {
      return Optional.of(BMP);
    }
    if (startsWith(data, 0, 'R', 'I', 'F', 'F') && startsWith(data, 8, 'W', 'E', 'B', 'P')) {
      return Optional.of(WEBP);
    }
    if (startsWith(data, 0, 'I', 'I', 42, 0) || startsWith(data, 0, 'M', 'M', 0, 42)) {
      return Optional.of(TIFF);
    }
    return Optional.empty();
  }

  private static boolean startsWith(byte[] data, int offset, int... expected) {
    if (data.length < offset + expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if ((data[offset + i] & 0xff) != expected[i]) {
        return false;
      }
    }
    return true;
  }
}
