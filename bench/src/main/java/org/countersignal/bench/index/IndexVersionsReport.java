package org.countersignal.bench.index;

import static org.countersignal.bench.index.ReportLines.median;
import static org.countersignal.bench.index.ReportLines.print;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Compares two builds of the index module (say before and after a change) on the same data in
 * one process: each jar is loaded by its own class loader, both build an index over the same
 * hashes, and lookups are timed in rounds that alternate between them, so that a shared
 * machine's changing load affects both alike. Rates are medians over the rounds, with the
 * median per-round ratio of the second build to the first.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.countersignal.bench.index.IndexVersionsReport
 * --first INDEX_JAR --second INDEX_JAR [--data uniform|clustered|clustered-unbiased] [--size N]
 * [--queries Q] [--radius R] [--rounds K] [--slice SECONDS]}. A jar of the index module at a
 * commit: {@code git archive COMMIT | tar -x -C DIR && (cd DIR && ./mvnw -o -q -pl index
 * package -DskipTests)} gives {@code DIR/index/target/countersignal-index-*.jar}.
 */
public final class IndexVersionsReport {

  /** One build of the index module, reached through method handles. */
  private record Build(String name, Object index, Object[] queries, MethodHandle search, long bytes) {

    static Build load(String name, Path jar, long[] words, long[] ids, long[][] queries) throws Throwable {
      ClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
          ClassLoader.getPlatformClassLoader());
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Class<?> indexClass = loader.loadClass("org.countersignal.index.hamming.HammingIndex");
      Class<?> hashClass = loader.loadClass("org.countersignal.index.hamming.Hash256");
      MethodHandle build = lookup.findStatic(indexClass, "build",
          MethodType.methodType(indexClass, long[].class, long[].class));
      MethodHandle hash = lookup.findConstructor(hashClass,
          MethodType.methodType(void.class, long.class, long.class, long.class, long.class));
      MethodHandle search = lookup.findVirtual(indexClass, "search",
          MethodType.methodType(List.class, hashClass, int.class))
          .asType(MethodType.methodType(List.class, Object.class, Object.class, int.class));
      MethodHandle bytesUsed = lookup.findVirtual(indexClass, "bytesUsed", MethodType.methodType(long.class));
      long start = System.nanoTime();
      Object index = build.invoke(words.clone(), ids.clone());
      print(name + ".build_seconds", (System.nanoTime() - start) / 1e9);
      Object[] hashes = new Object[queries.length];
      for (int i = 0; i < queries.length; i++) {
        long[] q = queries[i];
        hashes[i] = hash.invoke(q[0], q[1], q[2], q[3]);
      }
      return new Build(name, index, hashes, search, (long) bytesUsed.invoke(index));
    }

    /** Lookups per second over a slice of {@code seconds}, continuing from {@code cursor}. */
    double timeSlice(int radius, double seconds, int[] cursor) throws Throwable {
      long start = System.nanoTime();
      long deadline = start + (long) (seconds * 1e9);
      long done = 0;
      long matches = 0;
      while ((done & 15) != 0 || System.nanoTime() < deadline) {
        List<?> found = (List<?>) search.invokeExact(index, queries[cursor[0]++ % queries.length], radius);
        matches += found.size();
        done++;
      }
      if (matches < 0) {
        throw new AssertionError(); // keeps the answers live
      }
      return done / ((System.nanoTime() - start) / 1e9);
    }

    long totalMatches(int radius) throws Throwable {
      long total = 0;
      for (Object q : queries) {
        total += ((List<?>) search.invokeExact(index, q, radius)).size();
      }
      return total;
    }
  }

  public static void main(String[] args) throws Throwable {
    Path first = null;
    Path second = null;
    String data = "clustered";
    int size = 1_000_000;
    int queryCount = 2000;
    int radius = 31;
    int rounds = 10;
    double slice = 1.0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--first" -> first = Path.of(args[++i]);
        case "--second" -> second = Path.of(args[++i]);
        case "--data" -> data = args[++i];
        case "--size" -> size = Integer.parseInt(args[++i]);
        case "--queries" -> queryCount = Integer.parseInt(args[++i]);
        case "--radius" -> radius = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--slice" -> slice = Double.parseDouble(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (first == null || second == null) {
      throw new IllegalArgumentException("--first JAR and --second JAR are required");
    }
    IndexData bank = switch (data) {
      case "uniform" -> IndexData.generate(size, queryCount, 31, 42);
      case "clustered", "clustered-unbiased" ->
          ClusteredBank.generate(size, queryCount, 42, data.equals("clustered")).data;
      default -> throw new IllegalArgumentException("unknown --data " + data);
    };
    print("data", data);
    print("size", size);
    print("first", first);
    print("second", second);
    List<Build> builds = new ArrayList<>();
    builds.add(Build.load("first", first, bank.words, bank.ids, bank.queries));
    builds.add(Build.load("second", second, bank.words, bank.ids, bank.queries));
    for (Build build : builds) {
      print(build.name + ".array_bytes_per_hash", build.bytes / (double) size);
      print(build.name + ".matches_r" + radius, build.totalMatches(radius));
    }
    double[][] rates = new double[2][rounds];
    int[][] cursors = new int[2][1];
    for (int round = -1; round < rounds; round++) {
      for (int b = 0; b < 2; b++) {
        double rate = builds.get(b).timeSlice(radius, slice, cursors[b]);
        if (round >= 0) { // round -1 warms up
          rates[b][round] = rate;
        }
      }
    }
    double[] ratios = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      ratios[i] = rates[1][i] / rates[0][i];
    }
    for (int b = 0; b < 2; b++) {
      print(builds.get(b).name + ".lookups_per_second_r" + radius + "_t1", String.format(Locale.ROOT,
          "%.0f (median of %d rounds; %.0f to %.0f)", median(rates[b]), rounds,
          Arrays.stream(rates[b]).min().orElse(0), Arrays.stream(rates[b]).max().orElse(0)));
    }
    print("second_to_first_rate_ratio", String.format(Locale.ROOT, "%.3f (per round: %.3f to %.3f)",
        median(ratios), Arrays.stream(ratios).min().orElse(0), Arrays.stream(ratios).max().orElse(0)));
  }
}
