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
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.testing.ConformanceData;
import org.countersignal.signals.testing.TestImages;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The JPEG path every machine has: libjpeg-turbo inside Leptonica's native library, shipped in a
 * Maven artifact. It must give libjpeg's own pixels, and step aside for what it cannot bound, by
 * both of its routes: libjpeg's API through the shim the build compiles, and Leptonica's reader
 * where there is no shim.
 */
class LeptonicaJpegTest {

  private static final TurboJpeg.HeaderCheck ANY_SIZE = (width, height, bytesPerPixel) -> {};

  enum Route {
    LIBJPEG, LEPTONICAS_READER;

    /** This route alone; Leptonica's libraries are loaded first, as the shim names them. */
    LeptonicaJpeg path() {
      LeptonicaJpeg.load().orElseThrow();
      return new LeptonicaJpeg(this == LIBJPEG ? Optional.of(builtShim()) : Optional.empty());
    }
  }

  /** Loaded once: each open looks the shim up in JavaCPP's cache and loads it. */
  private static final class Shim {
    static final Optional<LibjpegRgbx> BUILT = LibjpegRgbx.open();
  }

  /**
   * The shim is built where the build finds a C compiler; without one the libjpeg route's tests
   * are skipped, loudly, and CI ({@code COUNTERSIGNAL_LIBJPEG_SHIM_REQUIRED=true}) fails instead.
   */
  private static LibjpegRgbx builtShim() {
    if (Shim.BUILT.isPresent()) {
      return Shim.BUILT.get();
    }
    if ("true".equalsIgnoreCase(System.getenv("COUNTERSIGNAL_LIBJPEG_SHIM_REQUIRED"))) {
      throw new AssertionError("the libjpeg shim was not built (signals/src/build/compile-libjpeg-rgbx.sh)");
    }
    System.err.println("*** the libjpeg shim was not built (no C compiler?): its tests are SKIPPED ***");
    Assumptions.abort("the libjpeg shim was not built");
    return null; // not reached: abort throws
  }

  private final ImageDecoder leptonica =
      new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.Backend.LEPTONICA);
  private final ImageDecoder imageIo = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.Backend.IMAGEIO);

  @Test
  void shipsWithTheProjectSoEveryMachineHasIt() {
    assertThat(LeptonicaJpeg.load()).isPresent();
    assertThat(leptonica.jpegBackend()).isEqualTo(ImageDecoder.Backend.LEPTONICA);
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void colourJpegsDecodeToExactlyTheLuminanceImageIoGives(Route route) throws ContentException {
    // Odd sizes: the edges of the halved chroma planes are upsampled as libjpeg does them.
    BufferedImage[] pictures = {TestImages.softShapes(333, 251, 5, 6), TestImages.shapes(333, 251, 5)};
    for (BufferedImage picture : pictures) {
      byte[] jpeg = TestImages.encode(picture, "jpeg");
      LumaImage ours = route.path().decode(jpeg, ANY_SIZE).orElseThrow();
      assertThat(ours.width()).isEqualTo(333);
      assertThat(ours.pixels()).containsExactly(imageIo.decode(jpeg).pixels());
    }
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void greyJpegsDecodeToExactlyTheirGreyLevels(Route route) throws ContentException {
    // Widths around a multiple of four: Leptonica packs four grey pixels to a word.
    BufferedImage picture = TestImages.softShapes(340, 37, 9, 2);
    for (int width : new int[] {1, 2, 3, 4, 5, 331, 333, 336}) {
      BufferedImage grey = new BufferedImage(width, 37, BufferedImage.TYPE_BYTE_GRAY);
      grey.createGraphics().drawImage(picture, 0, 0, null);
      byte[] jpeg = TestImages.encode(grey, "jpeg");
      assertThat(route.path().decode(jpeg, ANY_SIZE).orElseThrow().pixels())
          .as("width %d", width).containsExactly(imageIo.decode(jpeg).pixels());
    }
  }

  @Test
  void bothRoutesGiveTheSamePixelsForEveryJpegOfTheConformanceSet() throws Exception {
    LeptonicaJpeg libjpeg = Route.LIBJPEG.path();
    LeptonicaJpeg reader = Route.LEPTONICAS_READER.path();
    int compared = 0;
    try (Stream<Path> files = Files.list(ConformanceData.directory("pdq").resolve("images"))) {
      for (Path file : files.sorted().toList()) {
        byte[] data = Files.readAllBytes(file);
        if (ImageFormat.sniff(data).orElse(null) != ImageFormat.JPEG) {
          continue;
        }
        Optional<LumaImage> byReader = reader.decode(data, ANY_SIZE);
        Optional<LumaImage> byLibjpeg = libjpeg.decode(data, ANY_SIZE);
        assertThat(byLibjpeg.isPresent()).as("%s taken by one route only", file).isEqualTo(byReader.isPresent());
        if (byReader.isPresent()) {
          // isEqualTo compares arrays element by element; containsExactly's diff is quadratic.
          assertThat(byLibjpeg.get().pixels()).as("%s", file).isEqualTo(byReader.get().pixels());
          compared++;
        }
      }
    }
    assertThat(compared).isGreaterThan(20);
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void progressiveJpegsAreLeftToAPathThatBoundsTheirScans(Route route) throws Exception {
    byte[] progressive = progressiveJpeg(TestImages.shapes(160, 120, 3));
    assertThat(route.path().decode(progressive, ANY_SIZE)).isEmpty();
    // The decoder as a whole still reads it, by the next path.
    assertThat(leptonica.decode(progressive).width()).isEqualTo(160);
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void damagedDataIsDeclinedRatherThanDecodedToGrey(Route route) throws ContentException {
    LeptonicaJpeg path = route.path();
    assertThat(path.decode(cutShort(), ANY_SIZE)).isEmpty();
    assertThat(path.decode(overwritten(), ANY_SIZE)).isEmpty();
  }

  private static byte[] cutShort() {
    byte[] jpeg = TestImages.encode(TestImages.shapes(320, 240, 7), "jpeg");
    return Arrays.copyOf(jpeg, jpeg.length / 2);
  }

  /** Entropy-coded data overwritten from a third of the way in, the end-of-image marker kept. */
  private static byte[] overwritten() {
    byte[] garbage = TestImages.encode(TestImages.shapes(320, 240, 7), "jpeg");
    Arrays.fill(garbage, garbage.length / 3, garbage.length - 2, (byte) 0x5A);
    return garbage;
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void aFileCutShortIsDeclinedWithoutAWordOnStandardError(Route route, @TempDir Path dir) throws Exception {
    route.path(); // a route that cannot run here is skipped before the child starts
    assertThat(declinedInAJvmOfItsOwn(route, "cut-short", dir)).isEmpty();
  }

  @Test
  void damagedDataIsDeclinedByLibjpegWithoutAWordOnStandardError(@TempDir Path dir) throws Exception {
    // Leptonica's reader lets libjpeg print its warning about such data; the shim drops it.
    Route.LIBJPEG.path(); // skipped here if the shim was not built
    assertThat(declinedInAJvmOfItsOwn(Route.LIBJPEG, "overwritten", dir)).isEmpty();
  }

  /**
   * What a JVM of its own (main, below) writes to standard error while it declines the file:
   * libjpeg's warnings go to the process's own standard error, out of the test's reach.
   */
  private static String declinedInAJvmOfItsOwn(Route route, String file, Path dir) throws Exception {
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        LeptonicaJpegTest.class.getName(), route.name(), file)
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(out).strip()).isEqualTo("declined");
    assertThat(child.exitValue()).isZero();
    return Files.readString(err);
  }

  /** The child of the tests above: ROUTE and cut-short or overwritten. */
  public static void main(String[] args) throws ContentException {
    byte[] jpeg = args[1].equals("cut-short") ? cutShort() : overwritten();
    Optional<LumaImage> decoded = Route.valueOf(args[0]).path().decode(jpeg, ANY_SIZE);
    System.out.println(decoded.isPresent() ? "decoded" : "declined");
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void bytesAfterTheImageThatLookLikeAScanHandItToTheNextPath(Route route) throws ContentException {
    byte[] jpeg = TestImages.encode(TestImages.shapes(320, 240, 7), "jpeg");
    byte[] appended = Arrays.copyOf(jpeg, jpeg.length + 4);
    appended[jpeg.length] = (byte) 0xFF;
    appended[jpeg.length + 1] = (byte) 0xDA;
    assertThat(route.path().decode(appended, ANY_SIZE)).isEmpty();
    assertThat(leptonica.decode(appended).width()).isEqualTo(320);
  }

  @ParameterizedTest
  @EnumSource(Route.class)
  void theSizeCheckRunsBeforeAnyPixelIsDecoded(Route route) {
    byte[] jpeg = TestImages.encode(TestImages.shapes(320, 240, 7), "jpeg");
    int[] seen = new int[3];
    TurboJpeg.HeaderCheck refuse = (width, height, bytesPerPixel) -> {
      seen[0] = width;
      seen[1] = height;
      seen[2] = bytesPerPixel;
      throw new ContentException(ContentException.Reason.TOO_LARGE, "refused");
    };
    try {
      route.path().decode(jpeg, refuse);
      throw new AssertionError("the check's refusal was not passed on");
    } catch (ContentException expected) {
      // Leptonica holds a colour pixel in four bytes, and that is what the limit counts.
      assertThat(seen).containsExactly(320, 240, 4);
    }
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
