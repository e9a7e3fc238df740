package org.countersignal.bench.index;

import static org.countersignal.bench.index.ReportLines.median;
import static org.countersignal.bench.index.ReportLines.print;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.countersignal.index.hamming.Hash256;
import org.countersignal.index.hamming.HammingIndex;
import org.countersignal.index.hamming.LookupStats;

/**
 * The Hamming index on banks of different shapes, side by side in one process: uniformly
 * random hashes ({@link IndexData}, the anchor), a bank shaped like a real one
 * ({@link ClusteredBank}: frames of videos, copies, edits of photos, with bits set as often as
 * measured on real hashes) and the same without that bit bias. For each: build time, memory,
 * recall of planted near-copies, agreement with brute force, the work per lookup (directory
 * probes, postings read, candidates verified, matches) and lookups per second.
 *
 * <p>Lookup rates are measured in rounds that visit every bank in turn for a short slice each,
 * so that a machine whose load changes during the run slows them all alike; each rate is
 * reported as the median over the rounds, with the median of the per-round ratios to the
 * first bank. Prints one "key=value" line per figure, keys prefixed with the bank's name.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.countersignal.bench.index.ClusteredBankReport
 * [--data uniform,clustered-unbiased,clustered] [--size N] [--queries Q] [--radius R]
 * [--rounds K] [--slice SECONDS] [--brute-force Q] [--export DIR]}. {@code --export} writes
 * each bank's hashes and queries to DIR/NAME for {@code bench/index/faiss_compare.py}, with
 * each query's kind (planted, unseen, random) in {@code kinds.txt}.
 */
public final class ClusteredBankReport {

  /** One bank under test and its queries, by kind of query. */
  private record Bank(String name, IndexData data, HammingIndex index, Map<String, Hash256[]> queries) {}

  public static void main(String[] args) throws Exception {
    List<String> names = List.of("uniform", "clustered-unbiased", "clustered");
    int size = 1_000_000;
    int queryCount = 2000;
    int radius = HammingIndex.DEFAULT_RADIUS;
    int rounds = 8;
    double slice = 1.0;
    int bruteForce = 100;
    Path export = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> names = List.of(args[++i].split(","));
        case "--size" -> size = Integer.parseInt(args[++i]);
        case "--queries" -> queryCount = Integer.parseInt(args[++i]);
        case "--radius" -> radius = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--slice" -> slice = Double.parseDouble(args[++i]);
        case "--brute-force" -> bruteForce = Integer.parseInt(args[++i]);
        case "--export" -> export = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    print("size", size);
    print("radius", radius);
    print("java", Runtime.version());
    List<Bank> banks = new ArrayList<>();
    for (String name : names) {
      banks.add(prepare(name, size, queryCount, radius, bruteForce, export));
    }
    measureRates(banks, radius, rounds, slice);
    for (Bank bank : banks) {
      bank.index.close();
    }
  }

  /** Generates and builds one bank and prints everything but its lookup rate. */
  private static Bank prepare(String name, int size, int queryCount, int radius, int bruteForce,
      Path export) throws Exception {
    long start = System.nanoTime();
    IndexData data;
    String[] kinds = new String[queryCount];
    switch (name) {
      case "uniform" -> {
        data = IndexData.generate(size, queryCount, 31, 42);
        for (int i = 0; i < queryCount; i++) {
          kinds[i] = data.plantedRow[i] >= 0 ? "planted" : "random";
        }
      }
      case "clustered", "clustered-unbiased" -> {
        ClusteredBank bank = ClusteredBank.generate(size, queryCount, 42, name.equals("clustered"));
        data = bank.data;
        for (int i = 0; i < queryCount; i++) {
          kinds[i] = bank.queryKinds[i].name().toLowerCase(Locale.ROOT);
        }
        for (var entry : bank.composition.entrySet()) {
          String kind = entry.getKey().name().toLowerCase(Locale.ROOT);
          print(name + ".bank_rows_" + kind, entry.getValue()[0]);
          print(name + ".bank_clusters_" + kind, entry.getValue()[1]);
        }
      }
      default -> throw new IllegalArgumentException(
          "--data takes uniform, clustered-unbiased and clustered, not " + name);
    }
    print(name + ".generate_seconds", (System.nanoTime() - start) / 1e9);
    if (export != null) {
      Path dir = export.resolve(name);
      IndexScaleReport.exportData(dir, data);
      Files.writeString(dir.resolve("kinds.txt"), String.join("\n", kinds) + "\n");
    }

    long baseline = IndexScaleReport.usedHeapAfterGc();
    start = System.nanoTime();
    HammingIndex index = HammingIndex.build(data.words.clone(), data.ids.clone());
    print(name + ".build_seconds", (System.nanoTime() - start) / 1e9);
    print(name + ".heap_bytes_per_hash", (IndexScaleReport.usedHeapAfterGc() - baseline) / (double) size);
    print(name + ".array_bytes_per_hash", index.bytesUsed() / (double) size);

    // Work per lookup, by kind of query, from one pass over every query with counting on.
    Map<String, List<long[]>> work = new LinkedHashMap<>();
    Map<String, List<long[]>> queries = new LinkedHashMap<>();
    long found = 0;
    long planted = 0;
    for (int i = 0; i < queryCount; i++) {
      long[] q = data.queries[i];
      long want = data.plantedRow[i];
      boolean[] hit = {false};
      LookupStats stats = new LookupStats();
      index.search(new Hash256(q[0], q[1], q[2], q[3]), radius, (id, d) -> hit[0] |= id == want, stats);
      if (want >= 0) {
        planted++;
        found += hit[0] ? 1 : 0;
      }
      long[] counts = {stats.directoryProbes(), stats.postingsRead(), stats.candidatesVerified(),
          stats.matches()};
      for (String key : new String[] {"all", kinds[i]}) {
        work.computeIfAbsent(key, k -> new ArrayList<>()).add(counts);
        queries.computeIfAbsent(key, k -> new ArrayList<>()).add(q);
      }
    }
    print(name + ".recall_planted_r" + radius, found / (double) planted);
    String[] columns = {"directory_probes", "postings_read", "candidates_verified", "matches"};
    for (var entry : work.entrySet()) {
      List<long[]> rows = entry.getValue();
      print(name + ".queries_" + entry.getKey(), rows.size());
      for (int c = 0; c < columns.length; c++) {
        int column = c;
        long[] values = rows.stream().mapToLong(r -> r[column]).sorted().toArray();
        double mean = Arrays.stream(values).average().orElse(0);
        print(name + "." + columns[c] + "_per_query_" + entry.getKey(), String.format(Locale.ROOT,
            "mean %.1f p50 %d p90 %d p99 %d max %d", mean, percentile(values, 50),
            percentile(values, 90), percentile(values, 99), values[values.length - 1]));
      }
    }
    print(name + ".brute_force_agreement_r" + radius, bruteForceAgreement(data, index, radius, bruteForce));
    Map<String, Hash256[]> byKind = new LinkedHashMap<>();
    queries.forEach((kind, list) -> byKind.put(kind, toHashes(list)));
    return new Bank(name, data, index, byKind);
  }

  /**
   * Lookups per second on one thread, for every bank and kind of query, in rounds: each round
   * gives each (bank, kind) one slice, so all are measured under the same changing load.
   */
  private static void measureRates(List<Bank> banks, int radius, int rounds, double slice) {
    Map<String, double[]> rates = new LinkedHashMap<>();
    Map<String, int[]> cursors = new LinkedHashMap<>();
    for (int round = -1; round < rounds; round++) {
      for (Bank bank : banks) {
        for (var entry : bank.queries.entrySet()) {
          String key = bank.name + "." + entry.getKey();
          int[] cursor = cursors.computeIfAbsent(key, k -> new int[1]);
          double rate = timeSlice(bank.index, entry.getValue(), radius, slice, cursor);
          if (round >= 0) { // round -1 warms up
            rates.computeIfAbsent(key, k -> new double[rounds])[round] = rate;
          }
        }
      }
    }
    String anchor = banks.get(0).name;
    for (var entry : rates.entrySet()) {
      String key = entry.getKey();
      int dot = key.indexOf('.');
      String bank = key.substring(0, dot);
      String kind = key.substring(dot + 1);
      double[] r = entry.getValue();
      String suffix = kind.equals("all") ? "" : "_" + kind;
      print(bank + ".lookups_per_second_r" + radius + "_t1" + suffix, String.format(Locale.ROOT,
          "%.0f (median of %d rounds; %.0f to %.0f)", median(r), rounds,
          Arrays.stream(r).min().orElse(0), Arrays.stream(r).max().orElse(0)));
      double[] anchorRates = rates.get(anchor + "." + kind);
      if (!bank.equals(anchor) && anchorRates != null) {
        double[] ratios = new double[rounds];
        for (int i = 0; i < rounds; i++) {
          ratios[i] = r[i] / anchorRates[i];
        }
        print(bank + ".rate_ratio_to_" + anchor + "_r" + radius + suffix, median(ratios));
      }
    }
  }

  private static Hash256[] toHashes(List<long[]> queries) {
    return queries.stream().map(q -> new Hash256(q[0], q[1], q[2], q[3])).toArray(Hash256[]::new);
  }

  /** Looks queries up one after another for {@code seconds}; returns lookups per second. */
  private static double timeSlice(HammingIndex index, Hash256[] queries, int radius, double seconds,
      int[] cursor) {
    long[] matches = {0};
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    long done = 0;
    while ((done & 15) != 0 || System.nanoTime() < deadline) {
      index.search(queries[cursor[0]++ % queries.length], radius, (id, d) -> matches[0]++);
      done++;
    }
    long elapsed = System.nanoTime() - start;
    if (matches[0] < 0) {
      throw new AssertionError(); // keeps the matches live
    }
    return done / (elapsed / 1e9);
  }

  /**
   * Share of the first {@code sample} queries whose answer is exactly what comparing the query
   * with every row gives (same ids, same distances).
   */
  private static double bruteForceAgreement(IndexData data, HammingIndex index, int radius, int sample) {
    int n = data.ids.length;
    int checked = Math.min(sample, data.queries.length);
    int agree = 0;
    for (int i = 0; i < checked; i++) {
      long[] q = data.queries[i];
      List<String> expected = new ArrayList<>();
      for (int row = 0; row < n; row++) {
        int b = row * 4;
        int d = Long.bitCount(data.words[b] ^ q[0]) + Long.bitCount(data.words[b + 1] ^ q[1])
            + Long.bitCount(data.words[b + 2] ^ q[2]) + Long.bitCount(data.words[b + 3] ^ q[3]);
        if (d <= radius) {
          expected.add(data.ids[row] + ":" + d);
        }
      }
      List<String> got = new ArrayList<>();
      index.search(new Hash256(q[0], q[1], q[2], q[3]), radius, (id, d) -> got.add(id + ":" + d));
      expected.sort(null);
      got.sort(null);
      if (got.equals(expected)) {
        agree++;
      }
    }
    return agree / (double) checked;
  }

  private static long percentile(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p / 100.0 * sorted.length))];
  }
}
