package org.countersignal.bench.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A bank of PDQ hashes with the structure real banks have: the unique frames of videos, copies
 * of the same videos, edits of the same photo, and some unrelated photos; and queries that are
 * new near-copies of banked content, frames of content never banked, or random.
 *
 * <p>Everything is drawn, with a seed, from distributions measured on real hashes by
 * {@link ClusterCalibration} (the resource {@code clustered-bank-calibration.txt} holds them):
 * <ul>
 *   <li>A video is a walk: each unique frame differs from the one before by a step drawn from
 *       the steps measured between consecutive unique frames (moving footage, or slow footage
 *       such as a slow zoom or a slideshow). Which bits flip follows the measured per-bit flip
 *       rates, which differ eightfold between the high-frequency bits and the low-frequency
 *       ones; flips come in pairs (a bit set, a bit cleared), since a PDQ hash has as many ones
 *       as zeros. Over some hundred frames the walk forgets where it began, as real footage
 *       does.
 *   <li>A still video (a picture held, captions changing) is a handful of hashes a few bits
 *       from the first.
 *   <li>A copy of a banked video (another encoding or size) has each frame moved by the
 *       distance measured between copies of the conformance videos.
 *   <li>A photo cluster is an original and edits at the measured edit distances: mild edits
 *       stay within a few bits, crops, frames and rotations land about as far as unrelated
 *       content.
 * </ul>
 * Unrelated content is independent (measured: frames of different videos are 127 bits apart
 * on average), but PDQ bits are not all set equally often across content (the lowest
 * frequencies follow how pictures are lit and composed); the bank can draw each bit as often
 * as measured, or every bit half the time, to show what that bias costs. The shares of each
 * kind in the bank ({@link #SHARES}) are an assumption, not a measurement: no real bank's
 * composition is public.
 *
 * <p>Rows are stored cluster by cluster, in random order of clusters, as a bank fills when
 * whole videos are added one at a time.
 */
public final class ClusteredBank {

  /** What a row or a query is. */
  enum Kind { FOOTAGE, SLOW, STILL, COPY, PHOTO, SINGLE }

  /** Kinds of query. */
  enum QueryKind { PLANTED, UNSEEN, RANDOM }

  /** Share of the bank's hashes of each kind (assumed; see the class comment). */
  static final Map<Kind, Double> SHARES = shares();

  /** Share of queries of each kind: half near-copies of banked rows, the rest new content. */
  private static final double PLANTED_SHARE = 0.5;
  private static final double UNSEEN_SHARE = 0.25;

  /** Videos of 10 s to 10 min at 25 frames a second, log-uniform (assumed). */
  private static final int MIN_VIDEO_FRAMES = 250;
  private static final int MAX_VIDEO_FRAMES = 15_000;
  /** Unique frames per frame, as measured: moving footage nearly all, slow footage 22-59 %. */
  private static final double FOOTAGE_UNIQUE_SHARE = 0.97;
  private static final double SLOW_UNIQUE_SHARE = 0.4;
  /** Edits banked beside an original photo: 1 to 20, log-uniform (assumed). */
  private static final int MAX_PHOTO_EDITS = 20;

  public final IndexData data;
  public final QueryKind[] queryKinds;
  /** Rows and clusters of each kind. */
  public final Map<Kind, long[]> composition;

  private ClusteredBank(IndexData data, QueryKind[] queryKinds, Map<Kind, long[]> composition) {
    this.data = data;
    this.queryKinds = queryKinds;
    this.composition = composition;
  }

  private static Map<Kind, Double> shares() {
    Map<Kind, Double> shares = new EnumMap<>(Kind.class);
    shares.put(Kind.FOOTAGE, 0.50);
    shares.put(Kind.SLOW, 0.15);
    shares.put(Kind.STILL, 0.01);
    shares.put(Kind.COPY, 0.14);
    shares.put(Kind.PHOTO, 0.12);
    shares.put(Kind.SINGLE, 0.08);
    return shares;
  }

  /**
   * A bank of {@code size} hashes and {@code queryCount} queries. With {@code biasedBits}, bits
   * are set as often as measured across unrelated content (from a quarter to two thirds of
   * hashes); without, every bit is set in half of them.
   */
  public static ClusteredBank generate(int size, int queryCount, long seed, boolean biasedBits) {
    Calibration calibration = Calibration.load();
    SplittableRandom random = new SplittableRandom(seed);
    Synthesiser synth = new Synthesiser(calibration, biasedBits);

    // Each kind's clusters, until its share of rows is reached; copies are made of the videos.
    Map<Kind, List<long[][]>> clusters = new EnumMap<>(Kind.class);
    List<long[][]> videos = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      if (kind == Kind.COPY) {
        continue;
      }
      long quota = Math.round(size * SHARES.get(kind));
      List<long[][]> list = new ArrayList<>();
      long rows = 0;
      while (rows < quota) {
        long[][] cluster = synth.cluster(kind, random, (int) Math.min(Integer.MAX_VALUE, quota - rows));
        list.add(cluster);
        rows += cluster.length;
        if (kind == Kind.FOOTAGE || kind == Kind.SLOW) {
          videos.add(cluster);
        }
      }
      clusters.put(kind, list);
    }
    long copyQuota = size - clusters.values().stream().flatMap(List::stream).mapToLong(c -> c.length).sum();
    List<long[][]> copies = new ArrayList<>();
    long copyRows = 0;
    while (copyRows < copyQuota && !videos.isEmpty()) {
      long[][] original = videos.get(random.nextInt(videos.size()));
      long[][] copy = synth.copyOf(original, random, (int) Math.min(Integer.MAX_VALUE, copyQuota - copyRows));
      copies.add(copy);
      copyRows += copy.length;
    }
    clusters.put(Kind.COPY, copies);

    // Lay the clusters out in random order, each cluster's rows together.
    record Placed(Kind kind, long[][] hashes) {}
    List<Placed> order = new ArrayList<>();
    Map<Kind, long[]> composition = new EnumMap<>(Kind.class);
    for (var entry : clusters.entrySet()) {
      long rows = 0;
      for (long[][] cluster : entry.getValue()) {
        order.add(new Placed(entry.getKey(), cluster));
        rows += cluster.length;
      }
      composition.put(entry.getKey(), new long[] {rows, entry.getValue().size()});
    }
    shuffle(order, random);
    long[] words = new long[size * 4];
    Kind[] rowKind = new Kind[size];
    int row = 0;
    for (Placed cluster : order) {
      for (long[] hash : cluster.hashes) {
        if (row == size) {
          break;
        }
        System.arraycopy(hash, 0, words, row * 4, 4);
        rowKind[row++] = cluster.kind;
      }
    }
    if (row != size) {
      throw new IllegalStateException("generated " + row + " rows for " + size);
    }
    long[] ids = new long[size];
    for (int i = 0; i < size; i++) {
      ids[i] = i;
    }

    long[][] queries = new long[queryCount][];
    int[] planted = new int[queryCount];
    QueryKind[] kinds = new QueryKind[queryCount];
    for (int i = 0; i < queryCount; i++) {
      double u = random.nextDouble();
      if (u < PLANTED_SHARE) {
        int source = random.nextInt(size);
        long[] hash = Arrays.copyOfRange(words, source * 4, source * 4 + 4);
        boolean photo = rowKind[source] == Kind.PHOTO || rowKind[source] == Kind.SINGLE;
        queries[i] = synth.nearCopy(hash, photo, random);
        planted[i] = source;
        kinds[i] = QueryKind.PLANTED;
      } else if (u < PLANTED_SHARE + UNSEEN_SHARE) {
        // A member of a cluster of the same kinds, made like the bank's but never banked.
        Kind kind = pickKind(random);
        long[][] cluster = kind == Kind.COPY
            ? synth.cluster(Kind.FOOTAGE, random, MAX_VIDEO_FRAMES)
            : synth.cluster(kind, random, MAX_VIDEO_FRAMES);
        queries[i] = cluster[random.nextInt(cluster.length)];
        planted[i] = -1;
        kinds[i] = QueryKind.UNSEEN;
      } else {
        queries[i] = synth.balancedRandom(random);
        planted[i] = -1;
        kinds[i] = QueryKind.RANDOM;
      }
    }
    return new ClusteredBank(new IndexData(words, ids, queries, planted), kinds, composition);
  }

  private static Kind pickKind(SplittableRandom random) {
    double u = random.nextDouble();
    for (var entry : SHARES.entrySet()) {
      u -= entry.getValue();
      if (u < 0) {
        return entry.getKey();
      }
    }
    return Kind.SINGLE;
  }

  private static <T> void shuffle(List<T> list, SplittableRandom random) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }

  /** Makes clusters of each kind from the calibration. */
  static final class Synthesiser {

    private final Calibration calibration;
    /** Cumulative flip weights, for drawing a bit to flip. */
    private final double[] cumulative = new double[256];
    /** Share of hashes with each bit set; null when every bit is set in half of them. */
    private final double[] ones;
    /** The largest share of ones or zeros of any bit, to scale acceptance below 1. */
    private final double mostLopsided;

    Synthesiser(Calibration calibration, boolean biasedBits) {
      this.calibration = calibration;
      double sum = 0;
      for (int bit = 0; bit < 256; bit++) {
        sum += calibration.flipWeights[bit];
        cumulative[bit] = sum;
      }
      this.ones = biasedBits ? calibration.bitOnes : null;
      double lopsided = 0.5;
      if (ones != null) {
        for (double p : ones) {
          lopsided = Math.max(lopsided, Math.max(p, 1 - p));
        }
      }
      this.mostLopsided = lopsided;
    }

    long[][] cluster(Kind kind, SplittableRandom random, int maxRows) {
      return switch (kind) {
        case FOOTAGE -> walk(random, videoLength(random, FOOTAGE_UNIQUE_SHARE, maxRows), calibration.footageSteps);
        case SLOW -> walk(random, videoLength(random, SLOW_UNIQUE_SHARE, maxRows), calibration.slowSteps);
        case STILL -> star(random, Math.min(maxRows, Math.max(1, calibration.staticSizes.sample(random))),
            calibration.staticSpread);
        case PHOTO -> star(random, Math.min(maxRows,
            1 + (int) Math.floor(Math.exp(random.nextDouble() * Math.log(MAX_PHOTO_EDITS + 1)))),
            calibration.editDistances);
        case SINGLE -> new long[][] {balancedRandom(random)};
        case COPY -> throw new IllegalArgumentException("copies are made with copyOf");
      };
    }

    private static int videoLength(SplittableRandom random, double uniqueShare, int maxRows) {
      double frames = MIN_VIDEO_FRAMES * Math.exp(random.nextDouble()
          * Math.log(MAX_VIDEO_FRAMES / (double) MIN_VIDEO_FRAMES));
      return (int) Math.max(1, Math.min(maxRows, Math.round(frames * uniqueShare)));
    }

    /** Unique frames of a video: each a step away from the one before. */
    long[][] walk(SplittableRandom random, int length, Distribution steps) {
      long[][] frames = new long[length][];
      frames[0] = balancedRandom(random);
      for (int i = 1; i < length; i++) {
        frames[i] = flipPairs(frames[i - 1], Math.max(2, steps.sample(random)), random);
      }
      return frames;
    }

    /** An original and variants of it, each its own distance away. */
    long[][] star(SplittableRandom random, int size, Distribution distances) {
      long[][] members = new long[size][];
      members[0] = balancedRandom(random);
      for (int i = 1; i < size; i++) {
        members[i] = flipPairs(members[0], distances.sample(random), random);
      }
      return members;
    }

    /** Another encoding of a video: every frame moved by a copy distance. */
    long[][] copyOf(long[][] video, SplittableRandom random, int maxRows) {
      long[][] copy = new long[Math.min(video.length, maxRows)][];
      for (int i = 0; i < copy.length; i++) {
        copy[i] = flipPairs(video[i], calibration.copyDistances.sample(random), random);
      }
      return copy;
    }

    /**
     * A new near-copy of a banked hash, as a match would be: another encoding of a video frame,
     * or a mild edit of a photo, drawn from those distributions below the match radius (31),
     * at least one pair of bits away.
     */
    long[] nearCopy(long[] hash, boolean photo, SplittableRandom random) {
      Distribution distances = photo ? calibration.editDistances : calibration.copyDistances;
      int d;
      do {
        d = distances.sample(random);
      } while (d < 2 || d > 31);
      return flipPairs(hash, d, random);
    }

    /**
     * A hash with 128 ones and 128 zeros, as PDQ's median threshold makes them. With biased
     * bits, each bit is first set with its measured probability, then the count is brought to
     * 128 by clearing set bits in proportion to their share of zeros (or setting clear bits in
     * proportion to their share of ones), which keeps each bit's share close to the measured.
     */
    long[] balancedRandom(SplittableRandom random) {
      if (ones != null) {
        long[] hash = new long[4];
        int count = 0;
        for (int bit = 0; bit < 256; bit++) {
          if (random.nextDouble() < ones[bit]) {
            hash[bit >>> 6] |= 1L << (bit & 63);
            count++;
          }
        }
        while (count != 128) {
          int bit = random.nextInt(256);
          long mask = 1L << (bit & 63);
          boolean set = (hash[bit >>> 6] & mask) != 0;
          if (set == count > 128
              && random.nextDouble() * mostLopsided < (set ? 1 - ones[bit] : ones[bit])) {
            hash[bit >>> 6] ^= mask;
            count += set ? -1 : 1;
          }
        }
        return hash;
      }
      int[] bits = new int[256];
      for (int i = 0; i < 256; i++) {
        bits[i] = i;
      }
      long[] hash = new long[4];
      for (int i = 0; i < 128; i++) {
        int j = i + random.nextInt(256 - i);
        int bit = bits[j];
        bits[j] = bits[i];
        bits[i] = bit;
        hash[bit >>> 6] |= 1L << (bit & 63);
      }
      return hash;
    }

    /**
     * Flips {@code distance} bits (rounded down to even), half of them ones and half zeros, so
     * the count of ones stays as it was; each bit drawn by its flip weight. With biased bits, a
     * set bit is cleared in proportion to its share of zeros and a clear bit set in proportion
     * to its share of ones, so a long walk keeps each bit set as often as measured.
     */
    long[] flipPairs(long[] hash, int distance, SplittableRandom random) {
      int pairs = Math.min(distance / 2, 120);
      long[] out = hash.clone();
      long[] flipped = new long[4];
      int cleared = 0;
      int setNow = 0;
      while (cleared < pairs || setNow < pairs) {
        int bit = drawBit(random);
        int word = bit >>> 6;
        long mask = 1L << (bit & 63);
        if ((flipped[word] & mask) != 0) {
          continue;
        }
        boolean set = (hash[word] & mask) != 0;
        if (ones != null
            && random.nextDouble() * mostLopsided >= (set ? 1 - ones[bit] : ones[bit])) {
          continue;
        }
        if (set ? cleared < pairs : setNow < pairs) {
          out[word] ^= mask;
          flipped[word] |= mask;
          if (set) {
            cleared++;
          } else {
            setNow++;
          }
        }
      }
      return out;
    }

    private int drawBit(SplittableRandom random) {
      double u = random.nextDouble() * cumulative[255];
      int lo = 0;
      int hi = 255;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cumulative[mid] > u) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo;
    }
  }

  /**
   * A distribution given by its 0th to 100th percentiles; samples interpolate between them.
   * Distances are rounded to even numbers: every PDQ hash has 128 ones, so two hashes always
   * differ in an even number of bits.
   */
  record Distribution(int[] percentiles, boolean even) {

    int sample(SplittableRandom random) {
      double u = random.nextDouble() * 100;
      int i = Math.min((int) u, 99);
      double value = percentiles[i] + (u - i) * (percentiles[i + 1] - percentiles[i]);
      return even ? 2 * (int) Math.round(value / 2) : (int) Math.round(value);
    }
  }

  /** The measured distributions, read from the resource ClusterCalibration wrote. */
  record Calibration(double[] flipWeights, double[] bitOnes, Distribution footageSteps, Distribution slowSteps,
      Distribution staticSizes, Distribution staticSpread, Distribution copyDistances,
      Distribution editDistances) {

    static final String RESOURCE = "clustered-bank-calibration.txt";

    static Calibration load() {
      Map<String, String> values = new HashMap<>();
      try (InputStream in = ClusteredBank.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + RESOURCE);
        }
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          if (!line.isBlank() && !line.startsWith("#")) {
            int eq = line.indexOf('=');
            values.put(line.substring(0, eq), line.substring(eq + 1).strip());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Calibration(perBit(values, "flip_weights"), perBit(values, "bit_ones"),
          distance(values, "footage_steps"), distance(values, "slow_steps"),
          new Distribution(percentiles(values, "static_sizes"), false), distance(values, "static_spread"),
          distance(values, "copy_distances"), distance(values, "edit_distances"));
    }

    private static double[] perBit(Map<String, String> values, String key) {
      double[] v = Arrays.stream(values.get(key).split(",")).mapToDouble(Double::parseDouble).toArray();
      if (v.length != 256) {
        throw new IllegalStateException(key + " needs 256 values, has " + v.length);
      }
      return v;
    }

    private static Distribution distance(Map<String, String> values, String key) {
      return new Distribution(percentiles(values, key), true);
    }

    private static int[] percentiles(Map<String, String> values, String key) {
      String text = values.get(key);
      if (text == null) {
        throw new IllegalStateException("calibration lacks " + key);
      }
      int[] p = Arrays.stream(text.split(",")).mapToInt(Integer::parseInt).toArray();
      if (p.length != 101) {
        throw new IllegalStateException(key + " needs 101 percentiles, has " + p.length);
      }
      return p;
    }
  }
}
