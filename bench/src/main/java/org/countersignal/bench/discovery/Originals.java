package org.countersignal.bench.discovery;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.image.ImageDecoder;
import org.countersignal.signals.pdq.PdqHash;
import org.countersignal.signals.pdq.PdqHasher;

/**
 * The pictures the variants are made from: the distinct photos of the PDQ conformance set and
 * generated ones. An original that is itself an edit of an earlier one (several conformance
 * files are the same photo rotated, blurred, shrunk, re-saturated or cropped) would make a
 * "wrong original" out of a right answer, so any original within {@code tooNear} bits of an
 * earlier one is left out, as is one under the quality floor, which the service would not bank.
 */
final class Originals {

  /** File name prefixes of the conformance set's edits of one photo. */
  static final List<String> EDIT_PREFIXES = List.of("bridge-", "exif-", "mode-", "blur-", "sharpen-", "shrink-");

  static final String GENERATED_PREFIX = "generated-";

  record Original(String name, BufferedImage image, PdqHasher.Result hash) {}

  /** The originals kept, in order, and one line for each one left out. */
  record Selection(List<Original> kept, List<String> leftOut, int photos, int generated, int decoderDisagreement) {}

  private Originals() {}

  static Selection select(Path photoDir, int generated, long seed, int tooNear, int qualityFloor) throws IOException {
    PdqHasher hasher = new PdqHasher();
    ImageDecoder decoder = new ImageDecoder();
    List<Path> files;
    try (Stream<Path> list = Files.list(photoDir)) {
      files = list.filter(Originals::isOriginal).sorted().toList();
    }
    Original[] candidates = new Original[files.size() + generated];
    int[] disagreement = new int[files.size()];
    IntStream.range(0, candidates.length).parallel().forEach(i -> {
      if (i < files.size()) {
        Path file = files.get(i);
        BufferedImage image = ImageEdit.rgb(read(file));
        candidates[i] = new Original(file.getFileName().toString(), image, hasher.hash(ImageEdit.luma(image)));
        disagreement[i] = candidates[i].hash().hash().distance(decoded(decoder, hasher, file));
      } else {
        int n = i - files.size();
        BufferedImage image = SyntheticPhotos.make(seed * 1_000_003L + n);
        candidates[i] = new Original(String.format(Locale.ROOT, GENERATED_PREFIX + "%03d", n), image, hasher.hash(ImageEdit.luma(image)));
      }
    });
    List<Original> kept = new ArrayList<>();
    List<String> leftOut = new ArrayList<>();
    for (Original candidate : candidates) {
      String reason = reasonToLeaveOut(candidate, kept, tooNear, qualityFloor);
      if (reason == null) {
        kept.add(candidate);
      } else {
        leftOut.add(candidate.name() + " (" + reason + ")");
      }
    }
    int worst = IntStream.of(disagreement).max().orElse(0);
    return new Selection(kept, leftOut, files.size(), generated, worst);
  }

  private static String reasonToLeaveOut(Original candidate, List<Original> kept, int tooNear, int qualityFloor) {
    if (candidate.hash().quality() < qualityFloor) {
      return "quality " + candidate.hash().quality();
    }
    PdqHash hash = candidate.hash().hash();
    for (Original earlier : kept) {
      int distance = hash.distance(earlier.hash().hash());
      if (distance <= tooNear) {
        return distance + " bits from " + earlier.name();
      }
    }
    return null;
  }

  private static boolean isOriginal(Path file) {
    String name = file.getFileName().toString();
    return (name.endsWith(".jpg") || name.endsWith(".png")) && EDIT_PREFIXES.stream().noneMatch(name::startsWith);
  }

  private static BufferedImage read(Path file) {
    try {
      BufferedImage image = ImageIO.read(file.toFile());
      if (image == null) {
        throw new IOException("no ImageIO reader for " + file);
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The hash of the file as the service decodes it, to bound what decoding through ImageIO changes. */
  private static PdqHash decoded(ImageDecoder decoder, PdqHasher hasher, Path file) {
    try {
      return hasher.hash(decoder.decode(Files.readAllBytes(file))).hash();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ContentException e) {
      throw new IllegalStateException(file + ": " + e.getMessage(), e);
    }
  }
}
