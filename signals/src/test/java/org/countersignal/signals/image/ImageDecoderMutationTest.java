package org.countersignal.signals.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.pdq.PdqHasher;
import org.countersignal.signals.testing.TestImages;
import org.junit.jupiter.api.Test;

/**
 * Damaged images of every format, made by flipping, overwriting, inserting and cutting bytes of
 * valid ones: each must either decode or be refused with a {@link ContentException}. Any other
 * exception or error escaping the decoder would take a request or a batch down with it.
 */
class ImageDecoderMutationTest {

  private static final int MUTANTS_PER_FORMAT = 150;

  private static Map<String, byte[]> seeds() throws IOException {
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    var picture = TestImages.shapes(96, 72, 21);
    for (String format : List.of("jpeg", "png", "gif", "bmp", "tiff")) {
      seeds.put(format, TestImages.encode(picture, format));
    }
    try (InputStream in = ImageDecoderMutationTest.class.getResourceAsStream("/images/bridge-160.webp")) {
      seeds.put("webp", in.readAllBytes());
    }
    return seeds;
  }

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] out = seed.clone();
    switch (random.nextInt(4)) {
      case 0 -> { // flip a few bits
        for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
          out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> { // overwrite a run with noise or extreme values (lengths, dimensions)
        int at = random.nextInt(out.length);
        for (int i = at; i < Math.min(out.length, at + 1 + random.nextInt(16)); i++) {
          out[i] = random.nextBoolean() ? (byte) 0xFF : (byte) random.nextInt(256);
        }
      }
      case 2 -> { // cut
        out = java.util.Arrays.copyOf(out, random.nextInt(out.length));
      }
      default -> { // duplicate a slice in the middle
        int from = random.nextInt(out.length);
        int len = Math.min(out.length - from, 1 + random.nextInt(64));
        byte[] grown = new byte[out.length + len];
        System.arraycopy(out, 0, grown, 0, from + len);
        System.arraycopy(out, from, grown, from + len, out.length - from);
        out = grown;
      }
    }
    return out;
  }

  @Test
  void damagedImagesAreDecodedOrRefusedNeverThrownAtTheCaller() throws IOException {
    // The default path, ImageIO alone, and Leptonica's libjpeg-turbo first (which the default is
    // not where the system has its own libjpeg-turbo, as in CI).
    ImageDecoder[] decoders = {new ImageDecoder(4_000_000), new ImageDecoder(4_000_000, false),
        new ImageDecoder(4_000_000, ImageDecoder.Backend.LEPTONICA)};
    PdqHasher hasher = new PdqHasher();
    Random random = new Random(784);
    List<String> escapes = new ArrayList<>();
    int refused = 0;
    for (Map.Entry<String, byte[]> seed : seeds().entrySet()) {
      for (int i = 0; i < MUTANTS_PER_FORMAT; i++) {
        byte[] mutant = mutate(seed.getValue(), random);
        for (ImageDecoder decoder : decoders) {
          try {
            hasher.hash(decoder.decode(mutant));
          } catch (ContentException e) {
            refused++;
            assertThat(e.getMessage()).isNotBlank();
          } catch (Throwable e) {
            escapes.add(seed.getKey() + " mutant " + i + ": " + e);
          }
        }
      }
    }
    assertThat(escapes).isEmpty();
    assertThat(refused).as("the mutations must actually break images").isGreaterThan(100);
  }
}
