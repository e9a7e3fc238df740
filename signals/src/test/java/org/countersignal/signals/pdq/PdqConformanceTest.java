package org.countersignal.signals.pdq;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.image.ImageDecoder;
import org.countersignal.signals.testing.ConformanceData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The PDQ rules of the shared conformance README, checked against the reference outputs, on
 * every decoding path (libjpeg-turbo when the machine has it, FFmpeg, and ImageIO alone).
 */
class PdqConformanceTest {

  private static final PdqHasher HASHER = new PdqHasher();

  /** One row of expected.csv; a missing reference hash is null. */
  record Expected(String file, PdqHash java, int javaQuality, PdqHash cpp, int cppQuality) {

    static Expected parse(String line) {
      String[] f = line.split(",", -1);
      return new Expected(
          f[0],
          f[1].isEmpty() ? null : PdqHash.fromHex(f[1]),
          f[2].isEmpty() ? -1 : Integer.parseInt(f[2]),
          f[3].isEmpty() ? null : PdqHash.fromHex(f[3]),
          f[4].isEmpty() ? -1 : Integer.parseInt(f[4]));
    }

    boolean referencesDisagree(int bits) {
      return java != null && cpp != null && java.distance(cpp) > bits;
    }
  }

  /** Our result for one image beside the nearer reference. */
  record Outcome(Expected expected, PdqHasher.Result ours, int distance, int referenceQuality) {}

  static Stream<Arguments> decoders() {
    ImageDecoder withNative = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.Backend.LIBJPEG_TURBO);
    ImageDecoder leptonica = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.Backend.LEPTONICA);
    ImageDecoder ffmpeg = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.Backend.FFMPEG);
    ImageDecoder imageIoOnly = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.Backend.IMAGEIO);
    // Leptonica and FFmpeg ship with the project, so their paths are always checked; a missing
    // one is a failure.
    assertThat(leptonica.jpegBackend()).isEqualTo(ImageDecoder.Backend.LEPTONICA);
    assertThat(ffmpeg.jpegBackend()).isEqualTo(ImageDecoder.Backend.FFMPEG);
    Stream<Arguments> shipped = Stream.of(Arguments.of("leptonica", leptonica), Arguments.of("ffmpeg", ffmpeg),
        Arguments.of("imageio", imageIoOnly));
    if (!withNative.nativeJpeg()) {
      System.err.println("libturbojpeg not found: the system libjpeg-turbo decoding path is not checked");
      return shipped;
    }
    return Stream.concat(Stream.of(Arguments.of("libjpeg-turbo", withNative)), shipped);
  }

  private static Path images() {
    return ConformanceData.directory("pdq").resolve("images");
  }

  private static List<Expected> expected() throws IOException {
    List<String> lines = Files.readAllLines(ConformanceData.directory("pdq").resolve("expected.csv"));
    return lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).map(Expected::parse).toList();
  }

  private static PdqHasher.Result hash(ImageDecoder decoder, String file) throws IOException, ContentException {
    return HASHER.hash(decoder.decode(Files.readAllBytes(images().resolve(file))));
  }

  private static Outcome nearer(Expected e, PdqHasher.Result ours) {
    int toJava = e.java() == null ? Integer.MAX_VALUE : ours.hash().distance(e.java());
    int toCpp = e.cpp() == null ? Integer.MAX_VALUE : ours.hash().distance(e.cpp());
    return toJava <= toCpp
        ? new Outcome(e, ours, toJava, e.javaQuality())
        : new Outcome(e, ours, toCpp, e.cppQuality());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decoders")
  void everyImageInTheSetHashes(String path, ImageDecoder decoder) throws IOException {
    List<String> failures = new ArrayList<>();
    try (Stream<Path> files = Files.list(images())) {
      for (Path file : files.sorted().toList()) {
        try {
          HASHER.hash(decoder.decode(Files.readAllBytes(file)));
        } catch (ContentException e) {
          failures.add(file.getFileName() + ": " + e.getMessage());
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decoders")
  void hashesAgreeWithTheNearerReference(String path, ImageDecoder decoder) throws Exception {
    List<Outcome> outcomes = new ArrayList<>();
    for (Expected e : expected()) {
      boolean special = e.file().startsWith("exif-rotn-") || e.file().startsWith("mode-");
      if (special || (e.java() == null && e.cpp() == null) || e.referencesDisagree(24)) {
        continue;
      }
      outcomes.add(nearer(e, hash(decoder, e.file())));
    }
    assertThat(outcomes).hasSizeGreaterThan(40);
    for (Outcome o : outcomes) {
      assertThat(o.distance()).as("distance of %s to the nearer reference", o.expected().file()).isLessThanOrEqualTo(4);
      assertThat(o.ours().quality())
          .as("quality of %s", o.expected().file())
          .isBetween(o.referenceQuality() - 5, o.referenceQuality() + 5);
    }
    double mean = outcomes.stream().mapToInt(Outcome::distance).average().orElseThrow();
    assertThat(mean).as("mean distance to the nearer reference").isLessThanOrEqualTo(1.0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decoders")
  void exifOrientationIsAppliedAsAViewerWould(String path, ImageDecoder decoder) throws Exception {
    List<Expected> rotated = expected().stream().filter(e -> e.file().startsWith("exif-rotn-")).toList();
    assertThat(rotated).extracting(Expected::file)
        .containsExactlyInAnyOrder("exif-rotn-1.jpg", "exif-rotn-3.jpg", "exif-rotn-6.jpg", "exif-rotn-8.jpg");
    for (Expected e : rotated) {
      assertThat(nearer(e, hash(decoder, e.file())).distance()).as(e.file()).isLessThanOrEqualTo(8);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decoders")
  void everyColourModeHashesLikeTheRgbOriginal(String path, ImageDecoder decoder) throws Exception {
    PdqHash rgbReference = expected().stream()
        .filter(e -> e.file().equals("mode-RGB.jpg")).findFirst().orElseThrow().cpp();
    List<Expected> modes = expected().stream().filter(e -> e.file().startsWith("mode-")).toList();
    assertThat(modes).hasSizeGreaterThanOrEqualTo(8);
    for (Expected e : modes) {
      assertThat(hash(decoder, e.file()).hash().distance(rgbReference)).as(e.file()).isLessThanOrEqualTo(12);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decoders")
  void dihedralVariantsOfTheOriginalFindEachTransformedCopy(String path, ImageDecoder decoder) throws Exception {
    Map<Dihedral, String> files = new EnumMap<>(Dihedral.class);
    files.put(Dihedral.ORIGINAL, "bridge-1-original.jpg");
    files.put(Dihedral.ROTATE_90, "bridge-2-rotate-90.jpg");
    files.put(Dihedral.ROTATE_180, "bridge-3-rotate-180.jpg");
    files.put(Dihedral.ROTATE_270, "bridge-4-rotate-270.jpg");
    files.put(Dihedral.FLIP_X, "bridge-5-flipx.jpg");
    files.put(Dihedral.FLIP_Y, "bridge-6-flipy.jpg");
    files.put(Dihedral.FLIP_PLUS_1, "bridge-7-flip-plus-1.jpg");
    files.put(Dihedral.FLIP_MINUS_1, "bridge-8-flip-minus-1.jpg");
    Map<Dihedral, PdqHash> variants = hash(decoder, files.get(Dihedral.ORIGINAL)).variants();
    for (Map.Entry<Dihedral, String> file : files.entrySet()) {
      PdqHash transformed = hash(decoder, file.getValue()).hash();
      Dihedral nearest = null;
      int best = Integer.MAX_VALUE;
      for (Map.Entry<Dihedral, PdqHash> variant : variants.entrySet()) {
        int d = variant.getValue().distance(transformed);
        if (d < best) {
          best = d;
          nearest = variant.getKey();
        }
      }
      assertThat(nearest).as("nearest variant to %s", file.getValue()).isEqualTo(file.getKey());
      assertThat(best).as("distance of %s to its variant", file.getValue()).isLessThanOrEqualTo(12);
    }
  }
}
