package org.countersignal.signals.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JPEG path every machine has: libjpeg-turbo inside Leptonica's native library, shipped in a
 * Maven artifact. It must give libjpeg's own pixels, and step aside for what it cannot bound.
 */
class LeptonicaJpegTest {

  private static final TurboJpeg.HeaderCheck ANY_SIZE = (width, height, bytesPerPixel) -> {};

  private final ImageDecoder leptonica =
      new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.Backend.LEPTONICA);
  private final ImageDecoder imageIo = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.Backend.IMAGEIO);

  @Test
  void shipsWithTheProjectSoEveryMachineHasIt() {
    assertThat(LeptonicaJpeg.load()).isPresent();
    assertThat(leptonica.jpegBackend()).isEqualTo(ImageDecoder.Backend.LEPTONICA);
  }

  @Test
  void colourJpegsDecodeToExactlyTheLuminanceImageIoGives() throws ContentException {
    // Odd sizes: the edges of the halved chroma planes are upsampled as libjpeg does them.
    BufferedImage[] pictures = {TestImages.softShapes(333, 251, 5, 6), TestImages.shapes(333, 251, 5)};
    for (BufferedImage picture : pictures) {
      byte[] jpeg = TestImages.encode(picture, "jpeg");
      LumaImage ours = decodeHere(jpeg);
      assertThat(ours.width()).isEqualTo(333);
      assertThat(ours.pixels()).containsExactly(imageIo.decode(jpeg).pixels());
    }
  }

  @Test
  void greyJpegsDecodeToExactlyTheirGreyLevels() throws ContentException {
    // Widths around a multiple of four: Leptonica packs four grey pixels to a word.
    BufferedImage picture = TestImages.softShapes(340, 37, 9, 2);
    for (int width : new int[] {1, 2, 3, 4, 5, 331, 333, 336}) {
      BufferedImage grey = new BufferedImage(width, 37, BufferedImage.TYPE_BYTE_GRAY);
      grey.createGraphics().drawImage(picture, 0, 0, null);
      byte[] jpeg = TestImages.encode(grey, "jpeg");
      assertThat(decodeHere(jpeg).pixels()).as("width %d", width).containsExactly(imageIo.decode(jpeg).pixels());
    }
  }

  @Test
  void progressiveJpegsAreLeftToAPathThatBoundsTheirScans() throws Exception {
    byte[] progressive = progressiveJpeg(TestImages.shapes(160, 120, 3));
    assertThat(LeptonicaJpeg.load().orElseThrow().decode(progressive, ANY_SIZE)).isEmpty();
    // The decoder as a whole still reads it, by the next path.
    assertThat(leptonica.decode(progressive).width()).isEqualTo(160);
  }

  @Test
  void damagedDataIsDeclinedRatherThanDecodedToGrey() throws ContentException {
    byte[] jpeg = TestImages.encode(TestImages.shapes(320, 240, 7), "jpeg");
    LeptonicaJpeg path = LeptonicaJpeg.load().orElseThrow();
    byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
    assertThat(path.decode(truncated, ANY_SIZE)).isEmpty();
    byte[] garbage = jpeg.clone();
    Arrays.fill(garbage, garbage.length / 3, garbage.length - 2, (byte) 0x5A);
    assertThat(path.decode(garbage, ANY_SIZE)).isEmpty();
  }

  @Test
  void aFileCutShortIsDeclinedWithoutAWordOnStandardError(@TempDir Path dir) throws Exception {
    // libjpeg's warnings go to the process's own standard error, so the decode runs in a JVM of
    // its own (main, below) whose output is kept.
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        LeptonicaJpegTest.class.getName())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(out).strip()).isEqualTo("declined");
    assertThat(Files.readString(err)).isEmpty();
    assertThat(child.exitValue()).isZero();
  }

  /** The child of the test above: a JPEG cut in half, through this path alone. */
  public static void main(String[] args) throws ContentException {
    byte[] jpeg = TestImages.encode(TestImages.shapes(320, 240, 7), "jpeg");
    Optional<LumaImage> decoded = LeptonicaJpeg.load().orElseThrow()
        .decode(Arrays.copyOf(jpeg, jpeg.length / 2), ANY_SIZE);
    System.out.println(decoded.isPresent() ? "decoded" : "declined");
  }

  @Test
  void bytesAfterTheImageThatLookLikeAScanHandItToTheNextPath() throws ContentException {
    byte[] jpeg = TestImages.encode(TestImages.shapes(320, 240, 7), "jpeg");
    byte[] appended = Arrays.copyOf(jpeg, jpeg.length + 4);
    appended[jpeg.length] = (byte) 0xFF;
    appended[jpeg.length + 1] = (byte) 0xDA;
    assertThat(LeptonicaJpeg.load().orElseThrow().decode(appended, ANY_SIZE)).isEmpty();
    assertThat(leptonica.decode(appended).width()).isEqualTo(320);
  }

  @Test
  void theSizeCheckRunsBeforeAnyPixelIsDecoded() {
    byte[] jpeg = TestImages.encode(TestImages.shapes(320, 240, 7), "jpeg");
    int[] seen = new int[3];
    TurboJpeg.HeaderCheck refuse = (width, height, bytesPerPixel) -> {
      seen[0] = width;
      seen[1] = height;
      seen[2] = bytesPerPixel;
      throw new ContentException(ContentException.Reason.TOO_LARGE, "refused");
    };
    try {
      LeptonicaJpeg.load().orElseThrow().decode(jpeg, refuse);
      throw new AssertionError("the check's refusal was not passed on");
    } catch (ContentException expected) {
      // Leptonica holds a colour pixel in four bytes, and that is what the limit counts.
      assertThat(seen).containsExactly(320, 240, 4);
    }
  }

  private static LumaImage decodeHere(byte[] jpeg) throws ContentException {
    return LeptonicaJpeg.load().orElseThrow().decode(jpeg, ANY_SIZE).orElseThrow();
  }

  private static byte[] progressiveJpeg(BufferedImage picture) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(picture, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
