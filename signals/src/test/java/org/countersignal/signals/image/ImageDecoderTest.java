package org.countersignal.signals.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentException.Reason;
import org.countersignal.signals.pdq.PdqHash;
import org.countersignal.signals.pdq.PdqHasher;
import org.countersignal.signals.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {

  private final ImageDecoder decoder = new ImageDecoder();
  private final ImageDecoder imageIoOnly = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, false);
  private final ImageDecoder ffmpeg = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.Backend.FFMPEG);
  private final PdqHasher hasher = new PdqHasher();

  private static final BufferedImage PICTURE = TestImages.shapes(320, 240, 7);

  @ParameterizedTest
  @ValueSource(strings = {"png", "jpeg", "gif", "bmp", "tiff"})
  void everyCommonFormatDecodesToTheSamePicture(String format) throws ContentException {
    PdqHash lossless = hasher.hash(decoder.decode(TestImages.encode(PICTURE, "png"))).hash();
    LumaImage decoded = decoder.decode(TestImages.encode(PICTURE, format));
    assertThat(decoded.width()).isEqualTo(320);
    assertThat(decoded.height()).isEqualTo(240);
    // JPEG is lossy: close, not identical; the others store these few colours exactly.
    int distance = hasher.hash(decoded).hash().distance(lossless);
    if (format.equals("jpeg")) {
      assertThat(distance).isLessThanOrEqualTo(8);
    } else {
      assertThat(distance).isZero();
    }
  }

  @Test
  void webpDecodesAndHashesLikeTheJpegItWasMadeFrom() throws Exception {
    byte[] webp;
    try (InputStream in = getClass().getResourceAsStream("/images/bridge-160.webp")) {
      webp = in.readAllBytes();
    }
    LumaImage decoded = decoder.decode(webp);
    assertThat(decoded.width()).isEqualTo(160);
    // The reference Java tool's hash of the full-size JPEG this WebP was shrunk from.
    PdqHash reference = PdqHash.fromHex("f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22");
    assertThat(hasher.hash(decoded).hash().distance(reference)).isLessThanOrEqualTo(16);
  }

  @Test
  void ycckJpegDecodesWithTrueColours() throws Exception {
    // An Adobe YCCK JPEG (made with libjpeg-turbo from the PNG beside it): an inverted or
    // mis-converted decode would hash about 128 bits away.
    LumaImage ycck = decoder.decode(resource("/images/shapes-ycck.jpg"));
    LumaImage source = decoder.decode(resource("/images/shapes-ycck-source.png"));
    assertThat(ycck.width()).isEqualTo(240);
    assertThat(hasher.hash(ycck).hash().distance(hasher.hash(source).hash())).isLessThanOrEqualTo(8);
  }

  private static byte[] resource(String name) throws java.io.IOException {
    try (InputStream in = ImageDecoderTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void bothJpegPathsDecodeTheSamePixels() throws ContentException {
    byte[] jpeg = TestImages.encode(PICTURE, "jpeg");
    assertThat(decoder.decode(jpeg).pixels()).containsExactly(imageIoOnly.decode(jpeg).pixels());
  }

  @Test
  void ffmpegDecodesJpegsToLibjpegsPixelsWithinItsRounding() throws ContentException {
    // Shipped with the video bindings, so a machine without libjpeg-turbo still has it.
    assertThat(ffmpeg.jpegBackend()).isEqualTo(ImageDecoder.Backend.FFMPEG);
    // Odd sizes, so the edges of the halved chroma planes are upsampled as libjpeg does them too.
    for (BufferedImage picture : new BufferedImage[] {TestImages.softShapes(333, 251, 5, 6), TestImages.shapes(333, 251, 5)}) {
      byte[] jpeg = TestImages.encode(picture, "jpeg");
      float[] ours = ffmpeg.decode(jpeg).pixels();
      float[] reference = imageIoOnly.decode(jpeg).pixels();
      assertThat(ours).hasSameSizeAs(reference);
      double worst = 0;
      for (int i = 0; i < ours.length; i++) {
        worst = Math.max(worst, Math.abs(ours[i] - reference[i]));
      }
      assertThat(worst).as("largest difference from libjpeg's luminance").isLessThanOrEqualTo(2.0);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_BYTE_GRAY,
      BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_BYTE_INDEXED, BufferedImage.TYPE_BYTE_BINARY})
  void ffmpegReadsEveryKindOfPngAsImageIoDoes(int type) throws ContentException {
    BufferedImage picture = new BufferedImage(PICTURE.getWidth(), PICTURE.getHeight(), type);
    picture.createGraphics().drawImage(PICTURE, 0, 0, null);
    byte[] png = TestImages.encode(picture, "png");
    LumaImage ours = ffmpeg.decode(png);
    LumaImage reference = imageIoOnly.decode(png);
    assertThat(ours.width()).isEqualTo(reference.width());
    double worst = 0;
    for (int i = 0; i < ours.pixels().length; i++) {
      worst = Math.max(worst, Math.abs(ours.pixels()[i] - reference.pixels()[i]));
    }
    // 16-bit grey is rounded to 8 bits on the way, ImageIO's is scaled exactly.
    assertThat(worst).isLessThanOrEqualTo(1.0);
  }

  @Test
  void ffmpegHandsCmykJpegsToImageIo() throws Exception {
    LumaImage ycck = ffmpeg.decode(resource("/images/shapes-ycck.jpg"));
    LumaImage source = ffmpeg.decode(resource("/images/shapes-ycck-source.png"));
    assertThat(hasher.hash(ycck).hash().distance(hasher.hash(source).hash())).isLessThanOrEqualTo(8);
  }

  @Test
  void bytesOfNoKnownFormatAreUnsupported() {
    byte[] noise = new byte[4096];
    new Random(1).nextBytes(noise);
    assertReason(() -> decoder.decode(noise), Reason.UNSUPPORTED_FORMAT);
    assertReason(() -> decoder.decode(new byte[0]), Reason.UNSUPPORTED_FORMAT);
    assertReason(() -> decoder.decode("just some text".getBytes()), Reason.UNSUPPORTED_FORMAT);
  }

  @ParameterizedTest
  @EnumSource(ImageDecoder.Backend.class)
  void aTruncatedJpegIsReportedAsTruncated(ImageDecoder.Backend backend) {
    byte[] jpeg = TestImages.encode(PICTURE, "jpeg");
    byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);
    ImageDecoder d = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, backend);
    assertReason(() -> d.decode(cut), Reason.TRUNCATED);
  }

  @Test
  void aTruncatedPngIsRefused() {
    byte[] png = TestImages.encode(PICTURE, "png");
    byte[] cut = Arrays.copyOf(png, png.length / 2);
    assertThatThrownBy(() -> decoder.decode(cut))
        .isInstanceOf(ContentException.class)
        .satisfies(e -> assertThat(((ContentException) e).reason()).isIn(Reason.TRUNCATED, Reason.CORRUPT));
  }

  @Test
  void aJpegWithGarbageInsteadOfImageDataIsRefused() {
    byte[] jpeg = TestImages.encode(PICTURE, "jpeg");
    byte[] header = Arrays.copyOf(jpeg, 4);
    byte[] garbage = new byte[2000];
    new Random(3).nextBytes(garbage);
    byte[] broken = ByteBuffer.allocate(header.length + garbage.length).put(header).put(garbage).array();
    assertThatThrownBy(() -> decoder.decode(broken)).isInstanceOf(ContentException.class);
  }

  @Test
  void aPngDeclaringBillionsOfPixelsIsRefusedBeforeDecoding() {
    byte[] bomb = pngDeclaring(100_000, 100_000);
    assertThatThrownBy(() -> decoder.decode(bomb))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("100000x100000")
        .satisfies(e -> assertThat(((ContentException) e).reason()).isEqualTo(Reason.TOO_LARGE));
  }

  @Test
  void thePixelLimitCountsBytesPerPixel() {
    // Within the pixel count, but 16-bit RGBA is eight bytes a pixel: 800 MB to decode, refused
    // from the header before any of it is allocated.
    byte[] deep = TestImages.pngHeader(10_000, 10_000, 16, 6);
    assertThatThrownBy(() -> decoder.decode(deep))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("8 bytes")
        .satisfies(e -> assertThat(((ContentException) e).reason()).isEqualTo(Reason.TOO_LARGE));
    // The same pixel count of 8-bit grey passes the size check and fails only on its missing data.
    byte[] grey = TestImages.pngHeader(10_000, 10_000, 8, 0);
    assertThatThrownBy(() -> decoder.decode(grey))
        .isInstanceOf(ContentException.class)
        .satisfies(e -> assertThat(((ContentException) e).reason()).isNotEqualTo(Reason.TOO_LARGE));
  }

  @ParameterizedTest
  @EnumSource(ImageDecoder.Backend.class)
  void aJpegOverTheConfiguredPixelLimitIsRefused(ImageDecoder.Backend backend) {
    byte[] jpeg = TestImages.encode(PICTURE, "jpeg");
    ImageDecoder strict = new ImageDecoder(320 * 240 - 1, backend);
    assertReason(() -> strict.decode(jpeg), Reason.TOO_LARGE);
    ImageDecoder exact = new ImageDecoder(320 * 240, backend);
    assertThat(catchNothing(() -> exact.decode(jpeg)).width()).isEqualTo(320);
  }

  @ParameterizedTest
  @EnumSource(ImageDecoder.Backend.class)
  void aJpegWhoseHeaderClaimsHugeDimensionsIsRefused(ImageDecoder.Backend backend) {
    ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, backend);
    byte[] jpeg = TestImages.encode(PICTURE, "jpeg");
    int sof = indexOfMarker(jpeg, 0xC0);
    assertThat(sof).isPositive();
    // SOF0: marker(2) length(2) precision(1) height(2) width(2)
    jpeg[sof + 5] = (byte) 0xFF;
    jpeg[sof + 6] = (byte) 0xF0;
    jpeg[sof + 7] = (byte) 0xFF;
    jpeg[sof + 8] = (byte) 0xF0;
    assertReason(() -> decoder.decode(jpeg), Reason.TOO_LARGE);
  }

  @Test
  void greyAndPaletteImagesDecodeWithoutColourShifts() throws ContentException {
    BufferedImage grey = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(10, 20, 0, 200);
    LumaImage decoded = decoder.decode(TestImages.encode(grey, "png"));
    // Grey values are luminance as they are: no gamma or colour conversion on the way.
    assertThat(decoded.at(20, 10)).isEqualTo(200f);
    assertThat(decoded.at(0, 0)).isEqualTo(0f);
  }

  private static LumaImage catchNothing(ThrowingDecode decode) {
    try {
      return decode.run();
    } catch (ContentException e) {
      throw new AssertionError("unexpected refusal: " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  interface ThrowingDecode {
    LumaImage run() throws ContentException;
  }

  private static void assertReason(ThrowingDecode decode, Reason reason) {
    assertThatThrownBy(decode::run)
        .isInstanceOf(ContentException.class)
        .satisfies(e -> assertThat(((ContentException) e).reason()).as(e.getMessage()).isEqualTo(reason));
  }

  private static int indexOfMarker(byte[] jpeg, int marker) {
    for (int i = 2; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == marker) {
        return i;
      }
    }
    return -1;
  }

  /** A valid PNG signature and IHDR chunk declaring {@code width x height}, and no pixels. */
  private static byte[] pngDeclaring(int width, int height) {
    return TestImages.pngHeader(width, height, 8, 2);
  }
}
