package org.countersignal.bench.discovery;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.countersignal.index.cluster.NearDuplicateClusters;
import org.countersignal.index.cluster.NearDuplicateClusters.Cluster;
import org.countersignal.index.hamming.Hash256;
import org.countersignal.index.hamming.HammingIndex;

/**
 * Whether a day of a large platform's uploads (1,000,000 PDQ hashes) clusters within a minute,
 * on the data that is hardest for a single lookup: copies and edits of a few thousand originals
 * (see {@link ClusteredHashes}); then on uniformly random hashes, the other extreme, where every
 * hash leads its own cluster and so costs a lookup of its own. Each is timed three times after
 * one warm-up on a smaller set.
 *
 * <p>The anchor, measured in the same run over an index of the same distinct hashes, is the
 * obvious way to find near-duplicates: one lookup at radius 31 per upload. It is timed three
 * times on one random sample of uploads, on the same fork-join pool, and the median extrapolated
 * to all of them; its index build is not counted, which favours it.
 *
 * <p>Usage: {@code ClusterScale [N] [ORIGINALS] [SEED]}, default 1,000,000, 3,000 and 42.
 * Prints one line per figure.
 */
public final class ClusterScale {

  static final int RADIUS = 31;
  static final int MIN_SIZE = 20;
  static final int RUNS = 3;
  static final int WARM_UP_ROWS = 100_000;
  static final int ANCHOR_SAMPLE = 20_000;
  static final int ANCHOR_WARM_UP = 5_000;

  private ClusterScale() {}

  public static void main(String[] args) {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int originals = args.length > 1 ? Integer.parseInt(args[1]) : 3_000;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
    say("java %s, %d processors, common pool parallelism %d, max heap %.1f GiB", Runtime.version(),
        Runtime.getRuntime().availableProcessors(), ForkJoinPool.getCommonPoolParallelism(),
        Runtime.getRuntime().maxMemory() / (double) (1L << 30));
    say("NearDuplicateClusters.find(words, n, %d, %d); %d timed runs after one warm-up on %,d rows",
        RADIUS, MIN_SIZE, RUNS, WARM_UP_ROWS);

    ClusteredHashes warmUp = ClusteredHashes.clustered(WARM_UP_ROWS, originals, seed + 1);
    long start = System.nanoTime();
    NearDuplicateClusters.find(warmUp.words(), warmUp.rows(), RADIUS, MIN_SIZE);
    say("warm-up: %.2f s", seconds(start));

    ClusteredHashes clustered = ClusteredHashes.clustered(rows, originals, seed);
    describe(clustered);
    measure("clustered", clustered, seed);

    ClusteredHashes uniform = ClusteredHashes.uniform(rows, seed + 2);
    say("");
    say("uniform: %,d uniformly random hashes", rows);
    measure("uniform", uniform, seed);
  }

  private static void describe(ClusteredHashes data) {
    int[] perOriginal = data.rowsPerOriginal();
    int copies = 0;
    int past = 0;
    int[] editFlips = Arrays.stream(data.flips()).filter(k -> k > 0).sorted().toArray();
    for (int k : data.flips()) {
      copies += k == 0 ? 1 : 0;
      past += k > RADIUS ? 1 : 0;
    }
    int big = (int) Arrays.stream(perOriginal).filter(c -> c >= MIN_SIZE).count();
    say("");
    say("clustered: %,d rows from %,d originals (Zipf, exponent %.1f), %,d distinct hashes", data.rows(),
        data.originals(), ClusteredHashes.ZIPF_EXPONENT, distinct(data).size());
    say("clustered: largest original %,d rows, smallest %,d; %,d originals with at least %d rows",
        Arrays.stream(perOriginal).max().orElse(0), Arrays.stream(perOriginal).min().orElse(0), big, MIN_SIZE);
    say("clustered: %.1f %% exact copies; edits flip %d + exponential(mean %.0f) bits, at most %d: median %d, %.1f %% past %d",
        100.0 * copies / data.rows(), ClusteredHashes.MIN_FLIPS, ClusteredHashes.MEAN_EXTRA_FLIPS,
        ClusteredHashes.MAX_FLIPS, editFlips[editFlips.length / 2], 100.0 * past / editFlips.length, RADIUS);
  }

  private static void measure(String label, ClusteredHashes data, long seed) {
    double[] runs = new double[RUNS];
    List<Cluster> clusters = null;
    for (int run = 0; run < RUNS; run++) {
      System.gc();
      long start = System.nanoTime();
      clusters = NearDuplicateClusters.find(data.words(), data.rows(), RADIUS, MIN_SIZE);
      runs[run] = seconds(start);
      say("%s: run %d: %.2f s", label, run + 1, runs[run]);
    }
    double median = median(runs);
    say("%s: median of %d runs %.2f s", label, RUNS, median);
    report(label, data, clusters);
    int leaders = NearDuplicateClusters.find(data.words(), data.rows(), RADIUS, 1).size();
    say("%s: leaders (clusters of any size, one lookup each) %,d", label, leaders);
    double naive = anchor(label, data, seed);
    say("%s: ratio: naive %.1f s / clustering %.2f s = %.1fx", label, naive, median, naive / median);
  }

  private static void report(String label, ClusteredHashes data, List<Cluster> clusters) {
    int[] origin = data.origin();
    long clusteredRows = 0;
    long pure = 0;
    int[] ledBy = new int[data.originals()];
    for (Cluster cluster : clusters) {
      int home = origin[cluster.leader()];
      ledBy[home]++;
      for (int member : cluster.members()) {
        clusteredRows++;
        pure += origin[member] == home ? 1 : 0;
      }
    }
    say("%s: clusters of at least %d rows: %,d, holding %,d rows (%.1f %%)", label, MIN_SIZE, clusters.size(),
        clusteredRows, 100.0 * clusteredRows / data.rows());
    if (clusteredRows == 0) {
      return;
    }
    say("%s: purity (clustered rows whose cluster's leader comes from the same original) %.5f", label,
        pure / (double) clusteredRows);
    int[] perOriginal = data.rowsPerOriginal();
    int[] histogram = new int[4];
    int most = 0;
    int big = 0;
    for (int o = 0; o < perOriginal.length; o++) {
      if (perOriginal[o] >= MIN_SIZE) {
        big++;
        histogram[Math.min(3, ledBy[o])]++;
        most = Math.max(most, ledBy[o]);
      }
    }
    say("%s: of %,d originals with at least %d rows: %,d lead no cluster, %,d one, %,d two, %,d three or more (most %d)",
        label, big, MIN_SIZE, histogram[0], histogram[1], histogram[2], histogram[3], most);
    recovered(label, data, clusters);
  }

  /** Of the rows within the radius of their original, the share clustered with it. */
  private static void recovered(String label, ClusteredHashes data, List<Cluster> clusters) {
    int[] origin = data.origin();
    int[] flips = data.flips();
    int[] perOriginal = data.rowsPerOriginal();
    long near = 0;
    long withOriginal = 0;
    for (int row = 0; row < origin.length; row++) {
      near += flips[row] <= RADIUS && perOriginal[origin[row]] >= MIN_SIZE ? 1 : 0;
    }
    for (Cluster cluster : clusters) {
      int leader = cluster.leader();
      if (flips[leader] != 0) {
        continue;
      }
      for (int member : cluster.members()) {
        withOriginal += origin[member] == origin[leader] && flips[member] <= RADIUS ? 1 : 0;
      }
    }
    say("%s: rows within %d bits of an original of at least %d rows that share a cluster led by that original: %.4f",
        label, RADIUS, MIN_SIZE, withOriginal / (double) near);
  }

  /** Seconds for one lookup per row at the radius, extrapolated from a sample. */
  private static double anchor(String label, ClusteredHashes data, long seed) {
    Set<Hash256> distinct = distinct(data);
    long[] words = new long[distinct.size() * 4];
    long[] ids = new long[distinct.size()];
    int n = 0;
    for (Hash256 hash : distinct) {
      words[n * 4] = hash.w0();
      words[n * 4 + 1] = hash.w1();
      words[n * 4 + 2] = hash.w2();
      words[n * 4 + 3] = hash.w3();
      ids[n] = n;
      n++;
    }
    HammingIndex index = HammingIndex.build(words, ids);
    SplittableRandom random = new SplittableRandom(seed + 3);
    int[] sample = random.ints(ANCHOR_SAMPLE, 0, data.rows()).toArray();
    lookUp(index, data, random.ints(ANCHOR_WARM_UP, 0, data.rows()).toArray());
    double[] times = new double[RUNS];
    long found = 0;
    for (int run = 0; run < RUNS; run++) {
      System.gc();
      long start = System.nanoTime();
      found = lookUp(index, data, sample);
      times[run] = seconds(start);
      say("%s: anchor: run %d: %,d lookups at radius %d over the same %,d distinct hashes in %.2f s", label, run + 1,
          sample.length, RADIUS, distinct.size(), times[run]);
    }
    index.close();
    double extrapolated = median(times) * data.rows() / sample.length;
    say("%s: anchor: %.1f hashes found per lookup; one lookup per row, median run extrapolated to %,d rows: %.1f s",
        label, found / (double) sample.length, data.rows(), extrapolated);
    return extrapolated;
  }

  private static long lookUp(HammingIndex index, ClusteredHashes data, int[] rows) {
    return IntStream.of(rows).parallel().mapToLong(row -> {
      long[] count = {0};
      index.search(Hash256.fromWords(data.words(), row), RADIUS, (id, distance) -> count[0]++);
      return count[0];
    }).sum();
  }

  private static Set<Hash256> distinct(ClusteredHashes data) {
    Set<Hash256> set = new HashSet<>(data.rows() * 2);
    for (int row = 0; row < data.rows(); row++) {
      set.add(Hash256.fromWords(data.words(), row));
    }
    return set;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static void say(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }
}
