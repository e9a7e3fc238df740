package org.countersignal.signals.image;

import static org.bytedeco.leptonica.global.leptonica.L_SEVERITY_NONE;
import static org.bytedeco.leptonica.global.leptonica.pixDestroy;
import static org.bytedeco.leptonica.global.leptonica.pixGetData;
import static org.bytedeco.leptonica.global.leptonica.pixGetDepth;
import static org.bytedeco.leptonica.global.leptonica.pixGetHeight;
import static org.bytedeco.leptonica.global.leptonica.pixGetWidth;
import static org.bytedeco.leptonica.global.leptonica.pixGetWpl;
import static org.bytedeco.leptonica.global.leptonica.pixReadMemJpeg;
import static org.bytedeco.leptonica.global.leptonica.setMsgSeverity;

import java.util.Optional;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.leptonica.PIX;
import org.countersignal.signals.ContentException;

/**
 * JPEG decoding by the libjpeg-turbo built into Leptonica's native library, which ships in a
 * Maven artifact: libjpeg's accurate integer IDCT and triangle upsampling in SIMD on every
 * machine, no system library needed. Its pixels are libjpeg's, so hashes equal those of the
 * system library's path and of ImageIO bit for bit. Through {@link LibjpegRgbx} where the build
 * made it (libjpeg's own API, straight into our buffer), else through Leptonica's reader.
 * Baseline files only: a progressive file can carry thousands of scans, which neither call has a
 * way to limit, so those (and anything they cannot decode cleanly: CMYK, 12-bit, damaged data)
 * are declined and the caller falls back. Thread-safe: each call has its own decoder.
 */
final class LeptonicaJpeg {

  private static final Optional<LeptonicaJpeg> INSTANCE = BundledNatives.open("Leptonica", () -> {
    // A damaged file is a fallback here, not a message on stderr.
    setMsgSeverity(L_SEVERITY_NONE);
    return new LeptonicaJpeg(LibjpegRgbx.open());
  });

  /** Words copied out of native memory at once: a small buffer that stays in cache. */
  private static final int CHUNK_WORDS = 4096;

  private final Optional<LibjpegRgbx> libjpeg;

  /** Decodes through {@code libjpeg} if present, else through Leptonica's reader; once loaded. */
  LeptonicaJpeg(Optional<LibjpegRgbx> libjpeg) {
    this.libjpeg = libjpeg;
  }

  static Optional<LeptonicaJpeg> load() {
    return INSTANCE;
  }

  /**
   * Decodes a baseline JPEG whose header passes {@code acceptHeader}; empty when this path
   * declines it.
   */
  Optional<LumaImage> decode(byte[] jpeg, TurboJpeg.HeaderCheck acceptHeader) throws ContentException {
    Optional<ImageHeader> read = ImageHeader.read(ImageFormat.JPEG, jpeg);
    if (read.isEmpty() || read.get().progressive() || !endsAfterItsLastScan(jpeg)) {
      return Optional.empty();
    }
    ImageHeader header = read.get();
    boolean grey = header.bytesPerPixel() == 1;
    if (!grey && header.bytesPerPixel() != 3) {
      return Optional.empty(); // 12-bit samples
    }
    // Leptonica holds a colour pixel in a 32-bit word.
    acceptHeader.check(header.width(), header.height(), grey ? 1 : 4);
    if (libjpeg.isPresent()) {
      return libjpeg.get().decode(jpeg, header.width(), header.height(), grey);
    }
    // Default hint: a file with any warning of damaged data gives no image at all.
    PIX pix = pixReadMemJpeg(jpeg, jpeg.length, 0, 1, (int[]) null, 0);
    if (pix == null || pix.isNull()) {
      return Optional.empty();
    }
    try {
      int width = pixGetWidth(pix);
      int height = pixGetHeight(pix);
      int depth = pixGetDepth(pix);
      if (width != header.width() || height != header.height() || depth != (grey ? 8 : 32)) {
        return Optional.empty();
      }
      return Optional.of(toLuma(pixGetData(pix), pixGetWpl(pix), width, height, grey));
    } finally {
      pixDestroy(pix);
    }
  }

  /**
   * Whether an end-of-image marker follows the last start-of-scan. A file cut short has none, and
   * libjpeg, reaching its end, warns; through Leptonica's reader the warning goes to standard
   * error, which no caller can stop (the shim drops it and declines the file, so the check only
   * saves it the decode). Such a file is left to the paths after this one, which decline or report
   * it quietly.
   * Neither marker can occur inside entropy-coded data (an 0xFF there is followed by 0x00 or a
   * restart marker), so whichever of the two comes last in the file tells: for a whole file, the
   * last two bytes. Bytes appended after the image can only make this say no, which hands the file
   * to the next path.
   */
  private static boolean endsAfterItsLastScan(byte[] jpeg) {
    for (int i = jpeg.length - 2; i >= 0; i--) {
      if (jpeg[i] == (byte) 0xFF) {
        if (jpeg[i + 1] == (byte) 0xD9) {
          return true;
        }
        if (jpeg[i + 1] == (byte) 0xDA) {
          return false;
        }
      }
    }
    return false;
  }

  /**
   * Leptonica's raster: rows of {@code wordsPerLine} 32-bit words; a colour pixel is one word,
   * {@code 0xRRGGBB00}; grey pixels are four to a word, the first in the high byte. Each colour
   * pixel's float operations are those of {@link LumaImage#fromRgb(byte[], int, int)}.
   */
  private static LumaImage toLuma(IntPointer data, int wordsPerLine, int width, int height, boolean grey) {
    float[] out = new float[Math.multiplyExact(width, height)];
    int[] chunk = new int[CHUNK_WORDS];
    int usedWords = grey ? (width + 3) / 4 : width;
    for (int row = 0; row < height; row++) {
      long rowStart = (long) row * wordsPerLine;
      for (int word = 0; word < usedWords; word += CHUNK_WORDS) {
        int n = Math.min(CHUNK_WORDS, usedWords - word);
        data.position(rowStart + word).get(chunk, 0, n);
        int to = row * width + (grey ? 4 * word : word);
        if (grey) {
          greyWords(chunk, n, out, to, row * width + width);
        } else {
          colourWords(chunk, n, out, to);
        }
      }
    }
    return new LumaImage(out, width, height);
  }

  private static void colourWords(int[] words, int n, float[] out, int to) {
    for (int i = 0; i < n; i++) {
      int v = words[i];
      out[to + i] = LumaImage.R_WEIGHT * (v >>> 24) + LumaImage.G_WEIGHT * ((v >>> 16) & 0xff)
          + LumaImage.B_WEIGHT * ((v >>> 8) & 0xff);
    }
  }

  /** Grey words into {@code out} from {@code to}, stopping at the row's end {@code rowEnd}. */
  private static void greyWords(int[] words, int n, float[] out, int to, int rowEnd) {
    for (int i = 0; i < n; i++) {
      int v = words[i];
      for (int b = 0, p = to + 4 * i; b < 4 && p < rowEnd; b++, p++) {
        out[p] = (v >>> (24 - 8 * b)) & 0xff;
      }
    }
  }
}
