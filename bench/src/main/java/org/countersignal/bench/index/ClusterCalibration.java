package org.countersignal.bench.index;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.countersignal.index.hamming.Hash256;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.image.ImageDecoder;
import org.countersignal.signals.pdq.PdqHasher;

/**
 * Measures how real PDQ hashes cluster, to calibrate {@link ClusteredBank}: frames of one video
 * and edits of one photo.
 *
 * <p>Videos are read as frame-hash files ({@code frame,quality,pdq,seconds} per line, as the
 * conformance references and {@code countersignal hash --frames} write them). A bank holds a
 * video's unique frames of quality 50 or more (as {@code VideoIndex} does), so that is what is
 * measured: how many there are, how far each is from the one before, how far apart frames
 * drift with time, how many lie within 31 bits of each, and which bits change most often.
 * Videos are grouped by kind, the word before the first '-' of the file name.
 *
 * <p>Photos are edited here (re-encoded, scaled, cropped, padded, recoloured, blurred,
 * overlaid with a logo or caption, rotated) and hashed with the product's decoder and hasher.
 * Across unrelated content (frames far apart, and the photos) it measures how often each bit
 * is set.
 *
 * <p>Usage: {@code ClusterCalibration --conformance DIR [--frames DIR]... [--write FILE]};
 * {@code --write} saves the distributions {@link ClusteredBank} draws from.
 */
public final class ClusterCalibration {

  static final int MIN_QUALITY = 50;

  /** Kinds of moving footage: the conformance videos and generated handheld footage. */
  static final Set<String> FOOTAGE = Set.of("chair", "doorknob", "pattern", "handheld");
  /** Slowly changing footage: a slow zoom, a slideshow with cross-fades. */
  static final Set<String> SLOW = Set.of("kenburns", "slideshow");
  /** A still picture held: with noise, or with changing captions. */
  static final Set<String> STATIC = Set.of("still", "captions");

  /** Photos in the conformance set that are not themselves edits of another one. */
  static final List<String> PHOTO_SOURCES = photoSources();

  private ClusterCalibration() {}

  public static void main(String[] args) throws Exception {
    Path conformance = null;
    List<Path> frameDirs = new ArrayList<>();
    Path write = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--conformance" -> conformance = Path.of(args[++i]);
        case "--frames" -> frameDirs.add(Path.of(args[++i]));
        case "--write" -> write = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (conformance == null) {
      throw new IllegalArgumentException("--conformance DIR is required");
    }
    Map<String, List<Video>> byKind = new LinkedHashMap<>();
    List<Path> files = new ArrayList<>(frameFiles(conformance.resolve("vpdq/reference")));
    for (Path dir : frameDirs) {
      files.addAll(frameFiles(dir));
    }
    System.out.println("# videos: unique frames of quality >= " + MIN_QUALITY);
    System.out.println("# kind name frames good unique step_p10/p50/p90/p99 "
        + "mean_distance_at_lag_1/2/5/20/100 within31_p50/p90");
    for (Path file : files) {
      Video video = Video.read(file);
      byKind.computeIfAbsent(video.kind, k -> new ArrayList<>()).add(video);
      System.out.println(video.describe());
    }
    Calibration calibration = new Calibration();
    System.out.println();
    System.out.println("# pooled by kind: videos, unique/good frames, steps p10/p50/p90/p99, within31 p50/p90");
    for (var entry : byKind.entrySet()) {
      List<Video> videos = entry.getValue();
      int[] steps = concat(videos.stream().map(Video::steps).toList());
      int[] within = concat(videos.stream().map(Video::within31).toList());
      long good = videos.stream().mapToLong(v -> v.good).sum();
      long unique = videos.stream().mapToLong(v -> v.unique.length).sum();
      System.out.printf(Locale.ROOT, "kind=%s videos=%d unique_share=%.3f unique_per_video=%.0f steps=%s within31=%s%n",
          entry.getKey(), videos.size(), unique / (double) good, unique / (double) videos.size(),
          percentiles(steps, 10, 50, 90, 99), percentiles(within, 50, 90));
    }
    calibration.footageSteps = pooledSteps(byKind, FOOTAGE);
    calibration.slowSteps = pooledSteps(byKind, SLOW);
    calibration.staticSizes = byKind.entrySet().stream().filter(e -> STATIC.contains(e.getKey()))
        .flatMap(e -> e.getValue().stream()).filter(v -> v.unique.length > 0)
        .mapToInt(v -> v.unique.length).sorted().toArray();
    calibration.staticSpread = concat(byKind.entrySet().stream().filter(e -> STATIC.contains(e.getKey()))
        .flatMap(e -> e.getValue().stream()).map(Video::distancesToFirst).toList());
    calibration.flipWeights = flipRates(byKind);

    System.out.println();
    printBitRates("per-bit flip rate between consecutive unique frames, all videos", calibration.flipWeights);
    printCrossVideoDistances(byKind);

    System.out.println();
    calibration.copyDistances = copyDistances(conformance.resolve("vpdq/reference"));

    System.out.println();
    List<long[]> originals = new ArrayList<>();
    calibration.editDistances = photoEdits(conformance.resolve("pdq/images"), originals);

    System.out.println();
    calibration.bitOnes = bitOnes(byKind, originals);

    if (write != null) {
      Files.writeString(write, calibration.format(String.join(" ", args)));
      System.out.println("wrote " + write);
    }
  }

  // ---- videos ----------------------------------------------------------------------------

  private static List<Path> frameFiles(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(f -> f.toString().endsWith(".txt") && !f.toString().contains("128x128"))
          .sorted().toList();
    }
  }

  /** One video's unique good frames, in order of first appearance. */
  record Video(String name, String kind, int frames, int good, long[][] unique) {

    static Video read(Path file) throws IOException {
      String name = file.getFileName().toString().replaceAll("(\\.mp4)?(\\.vpdq)?\\.txt$", "");
      List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
      Set<Hash256> unique = new LinkedHashSet<>();
      int good = 0;
      for (String line : lines) {
        String[] f = line.split(",");
        if (Integer.parseInt(f[1].strip()) >= MIN_QUALITY) {
          good++;
          unique.add(Hash256.fromHex(f[2].strip()));
        }
      }
      long[][] words = unique.stream().map(h -> new long[] {h.w0(), h.w1(), h.w2(), h.w3()})
          .toArray(long[][]::new);
      return new Video(name, name.split("-")[0], lines.size(), good, words);
    }

    int[] steps() {
      int n = Math.max(unique.length - 1, 0);
      int[] steps = new int[n];
      for (int i = 0; i < n; i++) {
        steps[i] = distance(unique[i], unique[i + 1]);
      }
      return steps;
    }

    double meanDistanceAtLag(int lag) {
      if (unique.length <= lag) {
        return Double.NaN;
      }
      long sum = 0;
      for (int i = 0; i + lag < unique.length; i++) {
        sum += distance(unique[i], unique[i + lag]);
      }
      return sum / (double) (unique.length - lag);
    }

    /** For each frame, how many other frames of the video lie within 31 bits. */
    int[] within31() {
      int[] counts = new int[unique.length];
      for (int i = 0; i < unique.length; i++) {
        for (int j = i + 1; j < unique.length; j++) {
          if (distance(unique[i], unique[j]) <= 31) {
            counts[i]++;
            counts[j]++;
          }
        }
      }
      return counts;
    }

    int[] distancesToFirst() {
      int[] d = new int[Math.max(unique.length - 1, 0)];
      for (int i = 1; i < unique.length; i++) {
        d[i - 1] = distance(unique[0], unique[i]);
      }
      return d;
    }

    String describe() {
      if (unique.length < 2) {
        return String.format(Locale.ROOT, "%s %s %d %d %d", kind, name, frames, good, unique.length);
      }
      return String.format(Locale.ROOT, "%s %s %d %d %d %s %.1f/%.1f/%.1f/%.1f/%.1f %s", kind, name,
          frames, good, unique.length, percentiles(steps(), 10, 50, 90, 99), meanDistanceAtLag(1),
          meanDistanceAtLag(2), meanDistanceAtLag(5), meanDistanceAtLag(20), meanDistanceAtLag(100),
          percentiles(within31(), 50, 90));
    }
  }

  private static int[] pooledSteps(Map<String, List<Video>> byKind, Set<String> kinds) {
    return concat(byKind.entrySet().stream().filter(e -> kinds.contains(e.getKey()))
        .flatMap(e -> e.getValue().stream()).map(Video::steps).toList());
  }

  /**
   * How often each bit flips between consecutive unique frames, pooled over every video, as a
   * share of all flips times 256 (so 1.0 is the average bit). Bits are numbered as the index
   * numbers them: bit {@code i % 64} of word {@code i / 64}.
   */
  private static double[] flipRates(Map<String, List<Video>> byKind) {
    long[] flips = new long[256];
    long total = 0;
    for (List<Video> videos : byKind.values()) {
      for (Video video : videos) {
        for (int i = 0; i + 1 < video.unique.length; i++) {
          for (int bit = 0; bit < 256; bit++) {
            if (((video.unique[i][bit >>> 6] ^ video.unique[i + 1][bit >>> 6]) >>> (bit & 63) & 1) != 0) {
              flips[bit]++;
              total++;
            }
          }
        }
      }
    }
    double[] rates = new double[256];
    for (int bit = 0; bit < 256; bit++) {
      rates[bit] = flips[bit] * 256.0 / total;
    }
    return rates;
  }

  private static void printBitRates(String title, double[] rates) {
    double[] sorted = rates.clone();
    Arrays.sort(sorted);
    double topQuarter = 0;
    double all = 0;
    for (int i = 0; i < 256; i++) {
      all += sorted[i];
      if (i >= 192) {
        topQuarter += sorted[i];
      }
    }
    System.out.printf(Locale.ROOT, "# %s (1.0 = average bit): min %.2f, median %.2f, max %.2f; the most "
        + "changeable quarter of the bits takes %.0f%% of the flips%n", title, sorted[0], sorted[128],
        sorted[255], 100 * topQuarter / all);
    printByWord("# by index word (rows of 16 bits, least significant first):", rates);
  }

  /** A value per bit, as 16 comment lines of 16 values: index word, then bits from the lowest. */
  private static void printByWord(String heading, double[] perBit) {
    System.out.println(heading);
    for (int row = 0; row < 16; row++) {
      StringBuilder line = new StringBuilder("#  w" + (row / 4) + " bits " + (row % 4) * 16 + "-" + ((row % 4) * 16 + 15) + ":");
      for (int b = 0; b < 16; b++) {
        line.append(String.format(Locale.ROOT, " %.2f", perBit[row * 16 + b]));
      }
      System.out.println(line);
    }
  }

  /**
   * How often each bit is set across unrelated content. PDQ sets exactly half the bits of
   * every hash, but not the same half equally often: the lowest frequencies follow how photos
   * are lit and composed. Sampled from one frame in every 50 unique frames of each video
   * (frames that far apart are about as far apart as unrelated content) and every photo.
   * Some of the bias measured is sampling noise, and the videos reuse a few scenes, so the
   * profile exaggerates the bias somewhat; a bank drawn from it errs on the harder side.
   */
  private static double[] bitOnes(Map<String, List<Video>> byKind, List<long[]> photos) {
    List<long[]> samples = new ArrayList<>(photos);
    for (List<Video> videos : byKind.values()) {
      for (Video video : videos) {
        for (int i = 0; i < video.unique.length; i += 50) {
          samples.add(video.unique[i]);
        }
      }
    }
    double[] ones = new double[256];
    double worst = 0;
    int beyondThreeSigma = 0;
    double sigma = 0.5 / Math.sqrt(samples.size());
    for (int bit = 0; bit < 256; bit++) {
      int count = 0;
      for (long[] s : samples) {
        count += (int) (s[bit >>> 6] >>> (bit & 63) & 1);
      }
      ones[bit] = count / (double) samples.size();
      double bias = Math.abs(ones[bit] - 0.5);
      worst = Math.max(worst, bias);
      if (bias > 3 * sigma) {
        beyondThreeSigma++;
      }
    }
    System.out.printf(Locale.ROOT, "bit_ones_samples=%d max_abs_bias=%.3f sampling_sigma=%.3f bits_beyond_3_sigma=%d%n",
        samples.size(), worst, sigma, beyondThreeSigma);
    printByWord("# share of ones by index word (rows of 16 bits, least significant first):", ones);
    return ones;
  }

  /** Mean distance between frames of two different videos (independent content is at 128). */
  private static void printCrossVideoDistances(Map<String, List<Video>> byKind) {
    List<Video> all = byKind.values().stream().flatMap(List::stream).filter(v -> v.unique.length > 0).toList();
    double min = Double.MAX_VALUE;
    String closest = "";
    double sum = 0;
    int pairs = 0;
    for (int a = 0; a < all.size(); a++) {
      for (int b = a + 1; b < all.size(); b++) {
        Video x = all.get(a);
        Video y = all.get(b);
        if (x.kind.equals(y.kind) && FOOTAGE.contains(x.kind) && !x.kind.equals("handheld")) {
          continue; // conformance variants of the same footage
        }
        long total = 0;
        int n = 0;
        for (int i = 0; i < x.unique.length; i += 7) {
          for (int j = 0; j < y.unique.length; j += 7) {
            total += distance(x.unique[i], y.unique[j]);
            n++;
          }
        }
        double mean = total / (double) n;
        sum += mean;
        pairs++;
        if (mean < min) {
          min = mean;
          closest = x.name + " / " + y.name;
        }
      }
    }
    System.out.printf(Locale.ROOT, "cross_video_mean_distance=%.1f (over %d pairs of different content); lowest %.1f (%s)%n",
        sum / pairs, pairs, min, closest);
  }

  /**
   * Copies of one video banked more than once: the conformance set holds the chair footage
   * encoded three ways and every video also scaled to 128x128. For each frame of one copy, the
   * distance to the nearest frame of the other.
   */
  private static int[] copyDistances(Path reference) throws IOException {
    String[][] pairs = {
        {"chair-19-sd-bar", "chair-20-sd-bar"}, {"chair-19-sd-bar", "chair-22-sd-grey-bar"},
        {"chair-20-sd-bar", "chair-22-sd-grey-bar"}, {"chair-19-sd-bar", "chair-19-sd-bar-128x128"},
        {"chair-20-sd-bar", "chair-20-sd-bar-128x128"}, {"chair-22-sd-grey-bar", "chair-22-sd-grey-bar-128x128"},
        {"doorknob-hd-no-bar", "doorknob-hd-no-bar-128x128"}, {"pattern-hd-no-bar", "pattern-hd-no-bar-128x128"},
        {"pattern-sd-grey-bar", "pattern-sd-grey-bar-128x128"},
    };
    System.out.println("# copies of one video: distance from each frame to the nearest frame of the other copy");
    List<int[]> all = new ArrayList<>();
    for (String[] pair : pairs) {
      Video a = Video.read(reference.resolve(pair[0] + ".txt"));
      Video b = Video.read(reference.resolve(pair[1] + ".txt"));
      int[] nearest = new int[a.unique.length];
      for (int i = 0; i < a.unique.length; i++) {
        int best = 256;
        for (long[] f : b.unique) {
          best = Math.min(best, distance(a.unique[i], f));
        }
        nearest[i] = best;
      }
      all.add(nearest);
      System.out.printf(Locale.ROOT, "copy %s / %s: p10/p50/p90/p99 %s, within 31: %.2f%n", pair[0], pair[1],
          percentiles(nearest, 10, 50, 90, 99), share(nearest, 31));
    }
    return concat(all);
  }

  // ---- photos ----------------------------------------------------------------------------

  private static List<String> photoSources() {
    List<String> names = new ArrayList<>(List.of("aaa-orig.jpg", "c.png", "exif-rotn-1.jpg",
        "exif-rotn-3.jpg", "exif-rotn-6.jpg", "exif-rotn-8.jpg", "frame-pattern-01.jpg",
        "frame-pattern-02.jpg", "labelme-q0003.jpg", "labelme-q0004.jpg", "labelme-q0122.jpg"));
    for (int i = 1; i <= 5; i++) {
      names.add("frame-chair-0" + i + ".jpg");
    }
    for (int i = 0; i < 20; i++) {
      names.add(String.format(Locale.ROOT, "synthetic-img-%03d.jpg", i));
    }
    return List.copyOf(names);
  }

  /** The edits made to each photo, by name; each gets its own seeded randomness. */
  static Map<String, BiFunction<BufferedImage, SplittableRandom, BufferedImage>> edits() {
    Map<String, BiFunction<BufferedImage, SplittableRandom, BufferedImage>> edits = new LinkedHashMap<>();
    edits.put("jpeg-q80", (img, r) -> img); // re-encoding happens for every edit; these set the quality
    edits.put("jpeg-q50", (img, r) -> img);
    edits.put("jpeg-q20", (img, r) -> img);
    edits.put("scale-50%", (img, r) -> scale(img, 0.5));
    edits.put("scale-25%", (img, r) -> scale(img, 0.25));
    edits.put("crop-3%", (img, r) -> crop(img, 0.03, r));
    edits.put("crop-8%", (img, r) -> crop(img, 0.08, r));
    edits.put("crop-15%", (img, r) -> crop(img, 0.15, r));
    edits.put("letterbox-10%", (img, r) -> pad(img, 0, 0.10, Color.BLACK));
    edits.put("frame-5%", (img, r) -> pad(img, 0.05, 0.05, Color.WHITE));
    edits.put("brighter-15%", (img, r) -> tone(img, 1.0f, 38f));
    edits.put("contrast+20%", (img, r) -> tone(img, 1.2f, -25.6f));
    edits.put("greyscale", (img, r) -> grey(img));
    edits.put("blur-3px", (img, r) -> blur(img, 3));
    edits.put("blur-7px", (img, r) -> blur(img, 7));
    edits.put("logo-5%", (img, r) -> logo(img, 0.05, r));
    edits.put("logo-15%", (img, r) -> logo(img, 0.15, r));
    edits.put("caption-12%", (img, r) -> caption(img, 0.12));
    edits.put("rotate-2deg", (img, r) -> rotate(img, 2));
    edits.put("rotate-5deg", (img, r) -> rotate(img, 5));
    edits.put("crop-5%+logo-5%+q50", (img, r) -> logo(crop(img, 0.05, r), 0.05, r));
    return edits;
  }

  private static float qualityOf(String edit) {
    return switch (edit) {
      case "jpeg-q50", "crop-5%+logo-5%+q50" -> 0.5f;
      case "jpeg-q20" -> 0.2f;
      default -> 0.8f;
    };
  }

  /** Edit distances; the originals' hashes are added to {@code originals}. */
  private static int[] photoEdits(Path images, List<long[]> originals) throws IOException, ContentException {
    ImageDecoder decoder = new ImageDecoder();
    PdqHasher hasher = new PdqHasher();
    var edits = edits();
    Map<String, List<Integer>> byEdit = new LinkedHashMap<>();
    List<Integer> all = new ArrayList<>();
    int sources = 0;
    int lowQuality = 0;
    SplittableRandom random = new SplittableRandom(2019);
    for (String name : PHOTO_SOURCES) {
      Path file = images.resolve(name);
      BufferedImage source = ImageIO.read(file.toFile());
      if (source == null) {
        continue;
      }
      source = rgb(source);
      // The original's hash is taken from the very pixels the edits start from (ImageIO does
      // not apply EXIF orientation, the product does), saved losslessly.
      PdqHasher.Result original = hasher.hash(decoder.decode(png(source)));
      if (original.quality() < MIN_QUALITY) {
        continue; // nearly flat: banks do not hold such hashes, and they are unstable
      }
      sources++;
      Hash256 o = hash256(original);
      originals.add(new long[] {o.w0(), o.w1(), o.w2(), o.w3()});
      for (var edit : edits.entrySet()) {
        BufferedImage edited = edit.getValue().apply(source, random.split());
        PdqHasher.Result result = hasher.hash(decoder.decode(jpeg(edited, qualityOf(edit.getKey()))));
        if (result.quality() < MIN_QUALITY) {
          lowQuality++;
          continue;
        }
        int d = hash256(original).distance(hash256(result));
        byEdit.computeIfAbsent(edit.getKey(), k -> new ArrayList<>()).add(d);
        all.add(d);
      }
    }
    System.out.println("# photo edits: distance from the original's hash, over " + sources
        + " photos of quality >= " + MIN_QUALITY + " (" + lowQuality + " edits fell below it and are left out)");
    for (var entry : byEdit.entrySet()) {
      int[] d = entry.getValue().stream().mapToInt(Integer::intValue).toArray();
      System.out.printf(Locale.ROOT, "edit %-20s p10/p50/p90/max %s, within 31: %.2f%n", entry.getKey(),
          percentiles(d, 10, 50, 90, 100), share(d, 31));
    }
    int[] pooled = all.stream().mapToInt(Integer::intValue).toArray();
    System.out.printf(Locale.ROOT, "edit %-20s p10/p50/p90/max %s, within 31: %.2f%n", "(all)",
        percentiles(pooled, 10, 50, 90, 100), share(pooled, 31));
    return pooled;
  }

  private static Hash256 hash256(PdqHasher.Result result) {
    return Hash256.fromHex(result.hash().toHex());
  }

  private static BufferedImage rgb(BufferedImage image) {
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(image, 0, 0, null);
    g.dispose();
    return out;
  }

  private static BufferedImage draw(int width, int height, java.util.function.Consumer<Graphics2D> painter) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    painter.accept(g);
    g.dispose();
    return out;
  }

  private static BufferedImage scale(BufferedImage img, double factor) {
    int w = Math.max(8, (int) (img.getWidth() * factor));
    int h = Math.max(8, (int) (img.getHeight() * factor));
    return draw(w, h, g -> g.drawImage(img, 0, 0, w, h, null));
  }

  /** Removes {@code share} of the width and of the height, split unevenly between the sides. */
  private static BufferedImage crop(BufferedImage img, double share, SplittableRandom random) {
    int dw = (int) (img.getWidth() * share);
    int dh = (int) (img.getHeight() * share);
    int left = (int) (dw * random.nextDouble());
    int top = (int) (dh * random.nextDouble());
    return rgb(img.getSubimage(left, top, img.getWidth() - dw, img.getHeight() - dh));
  }

  private static BufferedImage pad(BufferedImage img, double sides, double topAndBottom, Color colour) {
    int dx = (int) (img.getWidth() * sides);
    int dy = (int) (img.getHeight() * topAndBottom);
    return draw(img.getWidth() + 2 * dx, img.getHeight() + 2 * dy, g -> {
      g.setColor(colour);
      g.fillRect(0, 0, img.getWidth() + 2 * dx, img.getHeight() + 2 * dy);
      g.drawImage(img, dx, dy, null);
    });
  }

  private static BufferedImage tone(BufferedImage img, float gain, float offset) {
    return new java.awt.image.RescaleOp(gain, offset, null).filter(img, null);
  }

  private static BufferedImage grey(BufferedImage img) {
    BufferedImage grey = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = grey.createGraphics();
    g.drawImage(img, 0, 0, null);
    g.dispose();
    return rgb(grey);
  }

  private static BufferedImage blur(BufferedImage img, int size) {
    float[] kernel = new float[size * size];
    Arrays.fill(kernel, 1f / kernel.length);
    return new ConvolveOp(new Kernel(size, size, kernel), ConvolveOp.EDGE_NO_OP, null).filter(img, null);
  }

  /** An opaque badge with text, covering {@code area} of the picture, in a random corner. */
  private static BufferedImage logo(BufferedImage img, double area, SplittableRandom random) {
    int w = (int) (img.getWidth() * Math.sqrt(area) * 1.6);
    int h = (int) (img.getHeight() * Math.sqrt(area) / 1.6);
    int x = random.nextBoolean() ? img.getWidth() / 40 : img.getWidth() - w - img.getWidth() / 40;
    int y = random.nextBoolean() ? img.getHeight() / 40 : img.getHeight() - h - img.getHeight() / 40;
    return draw(img.getWidth(), img.getHeight(), g -> {
      g.drawImage(img, 0, 0, null);
      g.setColor(new Color(200, 20, 20));
      g.fillRoundRect(x, y, w, h, h / 3, h / 3);
      g.setColor(Color.WHITE);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(6, h / 2)));
      g.drawString("NEWS 24", x + w / 10, y + 2 * h / 3);
    });
  }

  /** A meme-style caption band across the bottom. */
  private static BufferedImage caption(BufferedImage img, double height) {
    int h = (int) (img.getHeight() * height);
    return draw(img.getWidth(), img.getHeight(), g -> {
      g.drawImage(img, 0, 0, null);
      g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.7f));
      g.setColor(Color.BLACK);
      g.fillRect(0, img.getHeight() - h, img.getWidth(), h);
      g.setComposite(AlphaComposite.SrcOver);
      g.setColor(Color.WHITE);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(6, h / 2)));
      g.drawString("they will never see it coming", img.getWidth() / 20, img.getHeight() - h / 3);
    });
  }

  /** Turned about the centre; the corners left uncovered are black, as most tools leave them. */
  private static BufferedImage rotate(BufferedImage img, double degrees) {
    return draw(img.getWidth(), img.getHeight(), g -> {
      g.setColor(Color.BLACK);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      g.drawImage(img, AffineTransform.getRotateInstance(Math.toRadians(degrees), img.getWidth() / 2.0,
          img.getHeight() / 2.0), null);
    });
  }

  private static byte[] png(BufferedImage img) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(img, "png", bytes);
    return bytes.toByteArray();
  }

  private static byte[] jpeg(BufferedImage img, float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(quality);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(img, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  // ---- helpers ---------------------------------------------------------------------------

  static int distance(long[] a, long[] b) {
    return Long.bitCount(a[0] ^ b[0]) + Long.bitCount(a[1] ^ b[1]) + Long.bitCount(a[2] ^ b[2])
        + Long.bitCount(a[3] ^ b[3]);
  }

  private static int[] concat(List<int[]> parts) {
    return parts.stream().flatMapToInt(Arrays::stream).toArray();
  }

  static String percentiles(int[] values, int... ps) {
    if (values.length == 0) {
      return "-";
    }
    int[] sorted = values.clone();
    Arrays.sort(sorted);
    StringBuilder out = new StringBuilder();
    for (int p : ps) {
      if (!out.isEmpty()) {
        out.append('/');
      }
      out.append(sorted[Math.min(sorted.length - 1, (int) Math.floor(p / 100.0 * sorted.length))]);
    }
    return out.toString();
  }

  private static double share(int[] values, int atMost) {
    return Arrays.stream(values).filter(v -> v <= atMost).count() / (double) values.length;
  }

  /** What {@link ClusteredBank} reads: per-bit flip weights and percentiles of each distribution. */
  static final class Calibration {
    double[] flipWeights;
    double[] bitOnes;
    int[] footageSteps;
    int[] slowSteps;
    int[] staticSizes;
    int[] staticSpread;
    int[] copyDistances;
    int[] editDistances;

    String format(String command) {
      StringBuilder out = new StringBuilder();
      out.append("# Written by ClusterCalibration ").append(command).append('\n');
      out.append("# Samples of real PDQ cluster structure; see docs/BENCHMARKS.md, \"Clustered data\".\n");
      out.append("flip_weights=").append(join(Arrays.stream(flipWeights)
          .mapToObj(w -> String.format(Locale.ROOT, "%.3f", w)).toList())).append('\n');
      out.append("bit_ones=").append(join(Arrays.stream(bitOnes)
          .mapToObj(w -> String.format(Locale.ROOT, "%.3f", w)).toList())).append('\n');
      append(out, "footage_steps", footageSteps);
      append(out, "slow_steps", slowSteps);
      append(out, "static_sizes", staticSizes);
      append(out, "static_spread", staticSpread);
      append(out, "copy_distances", copyDistances);
      append(out, "edit_distances", editDistances);
      return out.toString();
    }

    /** Writes the 0th to 100th percentiles, which {@link ClusteredBank} samples between. */
    private static void append(StringBuilder out, String key, int[] values) {
      int[] sorted = values.clone();
      Arrays.sort(sorted);
      List<String> percentiles = new ArrayList<>();
      for (int p = 0; p <= 100; p++) {
        percentiles.add(Integer.toString(sorted[(int) Math.round(p / 100.0 * (sorted.length - 1))]));
      }
      out.append(key).append('=').append(join(percentiles)).append('\n');
    }

    private static String join(List<String> parts) {
      return String.join(",", parts);
    }
  }
}
