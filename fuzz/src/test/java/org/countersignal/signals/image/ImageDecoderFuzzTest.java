package org.countersignal.signals.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.pdq.PdqHasher;

/**
 * Image bytes through the decoder (every path: the system's libjpeg-turbo where the machine has
 * it, Leptonica's, FFmpeg and ImageIO) and the PDQ hash of whatever decodes. The only accepted failure is a
 * {@link ContentException}: anything else, a hang or running out of memory is a finding.
 */
class ImageDecoderFuzzTest {

  // Far below the service's default, so the fuzzer spends its time in parsers, not in
  // allocating pixels the limit allows; the limit's own check is what is fuzzed here.
  private static final long MAX_PIXELS = 4_000_000L;

  private static final ImageDecoder NATIVE = new ImageDecoder(MAX_PIXELS, ImageDecoder.Backend.LIBJPEG_TURBO);
  private static final ImageDecoder LEPTONICA = new ImageDecoder(MAX_PIXELS, ImageDecoder.Backend.LEPTONICA);
  private static final ImageDecoder FFMPEG = new ImageDecoder(MAX_PIXELS, ImageDecoder.Backend.FFMPEG);
  private static final ImageDecoder IMAGE_IO = new ImageDecoder(MAX_PIXELS, ImageDecoder.Backend.IMAGEIO);
  private static final PdqHasher PDQ = new PdqHasher();

  @FuzzTest(maxDuration = "5m")
  void decodeAndHash(byte[] data) {
    if (NATIVE.nativeJpeg()) {
      hash(NATIVE, data);
    }
    hash(LEPTONICA, data);
    hash(FFMPEG, data);
    hash(IMAGE_IO, data);
  }

  private static void hash(ImageDecoder decoder, byte[] data) {
    LumaImage image;
    try {
      image = decoder.decode(data);
    } catch (ContentException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat((long) image.width() * image.height()).isBetween(1L, MAX_PIXELS);
    assertThat(PDQ.hash(image).quality()).isBetween(0, 100);
  }
}
