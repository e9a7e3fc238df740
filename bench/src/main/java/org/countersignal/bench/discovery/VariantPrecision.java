package org.countersignal.bench.discovery;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.countersignal.bench.discovery.Band.Outcome;
import org.countersignal.bench.discovery.Originals.Original;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.image.ImageDecoder;
import org.countersignal.signals.pdq.PdqHash;
import org.countersignal.signals.pdq.PdqHasher;
import org.countersignal.signals.pdq.PdqSignal;

/**
 * What the near-miss band proposes when uploads are real pixel edits of pictures, banked and
 * not: the precision of its proposals (is the evidence the picture the upload was made from?)
 * and its recall (of the banked pictures' variants that escape the threshold, how many it
 * brings to a reviewer), for the default band and a narrower and a wider one. Also how the
 * variants cluster, which is what finds a new variant going viral.
 *
 * <p>Half the originals are banked, the other half never are: their variants, and they
 * themselves, are uploads that any proposal is a false one for. Every upload is classified by
 * the distance of its own hash to the nearest banked hash, and under the quality floor not at
 * all; once more as the service does it, which also matches the upload's rotations and mirrors
 * outright but proposes by the upload's own hash only.
 *
 * <p>Usage: {@code VariantPrecision [IMAGES_DIR] [OUT]}, default
 * {@code ../shared/conformance/pdq/images} and {@code target/variant-precision.csv}. Prints the
 * figures; the CSV has one line per upload.
 */
public final class VariantPrecision {

  static final int THRESHOLD = 31;
  static final Band DEFAULT_BAND = new Band(THRESHOLD, 52);
  static final List<Band> BANDS = List.of(new Band(THRESHOLD, 44), DEFAULT_BAND, new Band(THRESHOLD, 60));
  static final int QUALITY_FLOOR = PdqSignal.MATCHING_QUALITY;
  static final int GENERATED = 100;
  static final long SEED = 20261206L;
  static final int CLUSTER_MIN_SIZE = 2;

  /**
   * One upload: an edit of an original, or (edit null) a distractor original itself.
   *
   * @param own distance to the original it was made from
   * @param nearest the nearest banked original, by the upload's own hash
   * @param dihedralNearest the nearest banked original by any of the upload's eight rotations and mirrors
   */
  record Upload(int original, ImageEdit edit, PdqHasher.Result hash, int own, int nearest, int distance,
      int dihedralNearest, int dihedralDistance) {

    String editName() {
      return edit == null ? "none" : edit.name().toLowerCase(Locale.ROOT);
    }
  }

  private VariantPrecision() {}

  public static void main(String[] args) throws IOException {
    Path images = Path.of(args.length > 0 ? args[0] : "../shared/conformance/pdq/images");
    Path out = Path.of(args.length > 1 ? args[1] : "target/variant-precision.csv");
    long start = System.nanoTime();
    int widest = BANDS.stream().mapToInt(Band::upper).max().orElseThrow();
    Originals.Selection selection = Originals.select(images, GENERATED, SEED, widest, QUALITY_FLOOR);
    List<Original> originals = selection.kept();
    boolean[] banked = new boolean[originals.size()];
    for (int i = 0; i < banked.length; i += 2) {
      banked[i] = true;
    }
    say("originals: %d kept of %d photos in %s and %d generated; left out: %s", originals.size(), selection.photos(), images,
        selection.generated(), String.join(", ", selection.leftOut()));
    say("originals: %d banked, %d distractors (never banked), alternately in name order", count(banked, true), count(banked, false));
    say("decoding: ImageIO pixels against the service's decoder, on the photos' files: at most %d bits apart",
        selection.decoderDisagreement());
    say("unrelated: nearest other original, median %d bits, closest %d bits", nearestOther(originals, false),
        nearestOther(originals, true));

    List<Upload> uploads = uploads(originals, banked);
    say("uploads: %,d edits (%d kinds; letterboxing left out where the original has the aspect already) and %d distractor"
        + " originals, %.0f s to make and hash", uploads.size() - count(banked, false), ImageEdit.values().length,
        count(banked, false), (System.nanoTime() - start) / 1e9);
    say("");
    byEdit("all originals", uploads, banked, o -> true);
    distractors(uploads, banked);
    say("");
    byEdit("conformance photos only", uploads, banked, o -> !originals.get(o).name().startsWith(Originals.GENERATED_PREFIX));
    say("");
    for (Band band : BANDS) {
      summary(band, uploads, banked, false);
    }
    summary(DEFAULT_BAND, uploads, banked, true);
    UnrelatedPairs.report(originals, uploads, BANDS);
    say("");
    VariantClusters.report(uploads, originals.size(), THRESHOLD, CLUSTER_MIN_SIZE, SEED);
    writeCsv(out, uploads, originals, banked);
    say("");
    say("written: %s", out);
  }

  private static List<Upload> uploads(List<Original> originals, boolean[] banked) {
    PdqHasher hasher = new PdqHasher();
    ImageDecoder decoder = new ImageDecoder();
    ImageEdit[] edits = ImageEdit.values();
    PdqHash[] bank = IntStream.range(0, originals.size()).filter(i -> banked[i])
        .mapToObj(i -> originals.get(i).hash().hash()).toArray(PdqHash[]::new);
    int[] bankRow = IntStream.range(0, originals.size()).filter(i -> banked[i]).toArray();
    Upload[][] made = new Upload[originals.size()][];
    IntStream.range(0, originals.size()).parallel().forEach(o -> {
      Original original = originals.get(o);
      List<Upload> list = new ArrayList<>();
      if (!banked[o]) {
        list.add(scored(o, null, original.hash(), original, bank, bankRow));
      }
      for (ImageEdit edit : edits) {
        if (!edit.changes(original.image())) {
          continue;
        }
        Random random = new Random(SEED * 1_000_003L + o * 31L + edit.ordinal());
        try {
          list.add(scored(o, edit, hasher.hash(edit.apply(original.image(), decoder, random)), original, bank, bankRow));
        } catch (ContentException e) {
          throw new IllegalStateException(original.name() + " " + edit + ": " + e.getMessage(), e);
        }
      }
      made[o] = list.toArray(Upload[]::new);
    });
    return Arrays.stream(made).flatMap(Arrays::stream).toList();
  }

  private static Upload scored(int o, ImageEdit edit, PdqHasher.Result hash, Original original, PdqHash[] bank, int[] bankRow) {
    PdqHash own = hash.hash();
    int nearest = -1;
    int distance = Integer.MAX_VALUE;
    int dihedralNearest = -1;
    int dihedralDistance = Integer.MAX_VALUE;
    List<PdqHash> variants = List.copyOf(hash.variants().values());
    for (int b = 0; b < bank.length; b++) {
      int d = own.distance(bank[b]);
      if (d < distance) {
        distance = d;
        nearest = bankRow[b];
      }
      for (PdqHash variant : variants) {
        int dv = variant.distance(bank[b]);
        if (dv < dihedralDistance) {
          dihedralDistance = dv;
          dihedralNearest = bankRow[b];
        }
      }
    }
    return new Upload(o, edit, hash, own.distance(original.hash().hash()), nearest, distance, dihedralNearest, dihedralDistance);
  }

  /**
   * The default band, edit by edit, on the variants of the banked originals that {@code include}
   * takes, and how many of the distractors' variants it proposes.
   */
  private static void byEdit(String which, List<Upload> uploads, boolean[] banked, IntPredicate include) {
    say("by edit, band %s (threshold %d), %s: variants of the banked originals, and distractors' variants proposed",
        DEFAULT_BAND, THRESHOLD, which);
    say("| edit | variants | bits from own original: median (max) | matched | proposed, right original | proposed, wrong original | nothing | under quality floor | distractor variants proposed |");
    say("|---|---:|---|---:|---:|---:|---:|---:|---:|");
    for (ImageEdit edit : ImageEdit.values()) {
      List<Upload> mine = uploads.stream().filter(u -> u.edit() == edit && banked[u.original()] && include.test(u.original())).toList();
      if (mine.isEmpty()) {
        continue;
      }
      int[] own = mine.stream().mapToInt(Upload::own).sorted().toArray();
      int[] tally = new int[5];
      for (Upload u : mine) {
        Outcome outcome = DEFAULT_BAND.classify(u.distance(), u.hash().quality(), QUALITY_FLOOR);
        boolean right = u.nearest() == u.original();
        switch (outcome) {
          case MATCHED -> tally[0] += 1;
          case PROPOSED -> tally[right ? 1 : 2] += 1;
          case NOTHING -> tally[3] += 1;
          case BELOW_QUALITY_FLOOR -> tally[4] += 1;
        }
      }
      long wrongMatches = mine.stream().filter(u -> u.nearest() != u.original()
          && DEFAULT_BAND.classify(u.distance(), u.hash().quality(), QUALITY_FLOOR) == Outcome.MATCHED).count();
      long distractors = uploads.stream().filter(u -> u.edit() == edit && !banked[u.original()] && include.test(u.original())
          && DEFAULT_BAND.classify(u.distance(), u.hash().quality(), QUALITY_FLOOR) == Outcome.PROPOSED).count();
      say("| %s | %d | %d (%d) | %d%s | %d | %d | %d | %d | %d |", edit.description, mine.size(), own[own.length / 2],
          own[own.length - 1], tally[0], wrongMatches > 0 ? " (" + wrongMatches + " to the wrong original)" : "",
          tally[1], tally[2], tally[3], tally[4], distractors);
    }
  }

  /** How near the distractors, never banked, come to a banked hash. */
  private static void distractors(List<Upload> uploads, boolean[] banked) {
    List<Upload> plain = uploads.stream().filter(u -> u.edit() == null).toList();
    int[] nearest = plain.stream().mapToInt(Upload::distance).sorted().toArray();
    long proposed = plain.stream()
        .filter(u -> DEFAULT_BAND.classify(u.distance(), u.hash().quality(), QUALITY_FLOOR) == Outcome.PROPOSED).count();
    say("distractor originals themselves: %d of %d proposed; nearest banked hash median %d bits, closest %d", proposed,
        plain.size(), nearest[nearest.length / 2], nearest[0]);
    int[] distractorVariants = uploads.stream().filter(u -> u.edit() != null && !banked[u.original()])
        .mapToInt(Upload::distance).sorted().toArray();
    say("distractor variants: nearest banked hash median %d bits, closest %d, 1st percentile %d",
        distractorVariants[distractorVariants.length / 2], distractorVariants[0], distractorVariants[distractorVariants.length / 100]);
  }

  /**
   * Precision and recall of one band's proposals over every upload; with {@code service}, with
   * uploads matched outright as the service matches them (see {@link #asService}).
   */
  private static void summary(Band band, List<Upload> uploads, boolean[] banked, boolean service) {
    int proposals = 0;
    int right = 0;
    int distractorOriginals = 0;
    int distractorVariants = 0;
    int wrongOriginal = 0;
    int escaped = 0;
    int escapedNotMirrored = 0;
    int rightNotMirrored = 0;
    for (Upload u : uploads) {
      Outcome outcome = service ? asService(band, u) : band.classify(u.distance(), u.hash().quality(), QUALITY_FLOOR);
      int nearest = u.nearest();
      boolean mirrored = u.edit() == ImageEdit.MIRROR;
      if (banked[u.original()] && outcome != Outcome.MATCHED && outcome != Outcome.BELOW_QUALITY_FLOOR) {
        escaped++;
        escapedNotMirrored += mirrored ? 0 : 1;
      }
      if (outcome != Outcome.PROPOSED) {
        continue;
      }
      proposals++;
      if (!banked[u.original()]) {
        if (u.edit() == null) {
          distractorOriginals++;
        } else {
          distractorVariants++;
        }
      } else if (nearest == u.original()) {
        right++;
        rightNotMirrored += mirrored ? 0 : 1;
      } else {
        wrongOriginal++;
      }
    }
    String lookup = service ? ", matched by any of the 8 rotations and mirrors" : "";
    say("band %s%s: %d proposals, %d right, %d false (%d distractor originals, %d distractor variants, %d against the wrong banked original)",
        band, lookup, proposals, right, proposals - right, distractorOriginals, distractorVariants, wrongOriginal);
    say("band %s%s: precision %s; recall %s (%d of %d banked variants not matched outright), without mirrored %s (%d of %d)",
        band, lookup, ratio(right, proposals), ratio(right, escaped), right, escaped, ratio(rightNotMirrored, escapedNotMirrored),
        rightNotMirrored, escapedNotMirrored);
  }

  /**
   * As the service decides: matched when any of the upload's eight rotations and mirrors is within
   * the threshold (it looks all eight up), else proposed by the upload's own hash alone (it keeps
   * only that one for the near-miss scan).
   */
  private static Outcome asService(Band band, Upload u) {
    Outcome turned = band.classify(u.dihedralDistance(), u.hash().quality(), QUALITY_FLOOR);
    return turned == Outcome.MATCHED ? turned : band.classify(u.distance(), u.hash().quality(), QUALITY_FLOOR);
  }

  private static void writeCsv(Path out, List<Upload> uploads, List<Original> originals, boolean[] banked) throws IOException {
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out))) {
      csv.println("original,role,edit,pdq,quality,distance_to_own_original,nearest_banked,nearest_distance,class,"
          + "proposal_right,dihedral_nearest_banked,dihedral_distance,dihedral_class");
      for (Upload u : uploads) {
        Outcome outcome = DEFAULT_BAND.classify(u.distance(), u.hash().quality(), QUALITY_FLOOR);
        Outcome dihedral = asService(DEFAULT_BAND, u);
        boolean right = outcome == Outcome.PROPOSED && banked[u.original()] && u.nearest() == u.original();
        csv.printf(Locale.ROOT, "%s,%s,%s,%s,%d,%d,%s,%d,%s,%s,%s,%d,%s%n", originals.get(u.original()).name(),
            banked[u.original()] ? "banked" : "distractor", u.editName(), u.hash().hash().toHex(), u.hash().quality(), u.own(),
            originals.get(u.nearest()).name(), u.distance(), name(outcome), outcome == Outcome.PROPOSED ? right : "",
            originals.get(u.dihedralNearest()).name(), u.dihedralDistance(), name(dihedral));
      }
    }
  }

  /** The median, or with {@code closest} the least, distance from an original to its nearest other. */
  private static int nearestOther(List<Original> originals, boolean closest) {
    int[] nearest = new int[originals.size()];
    for (int i = 0; i < originals.size(); i++) {
      int best = Integer.MAX_VALUE;
      for (int j = 0; j < originals.size(); j++) {
        if (i != j) {
          best = Math.min(best, originals.get(i).hash().hash().distance(originals.get(j).hash().hash()));
        }
      }
      nearest[i] = best;
    }
    Arrays.sort(nearest);
    return closest ? nearest[0] : nearest[nearest.length / 2];
  }

  private static String name(Outcome outcome) {
    return outcome.name().toLowerCase(Locale.ROOT);
  }

  private static int count(boolean[] values, boolean value) {
    int n = 0;
    for (boolean v : values) {
      n += v == value ? 1 : 0;
    }
    return n;
  }

  private static String ratio(int part, int whole) {
    return whole == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", part / (double) whole);
  }

  static void say(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }
}
