package org.countersignal.bench.index;

import static org.countersignal.bench.index.ReportLines.print;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.countersignal.index.hamming.Hash256;
import org.countersignal.index.hamming.HammingIndex;

/**
 * Whole-process measurements of the Hamming index that JMH is not suited to (build time,
 * memory per hash, inserts, snapshot save and load, recall), plus lookup throughput at several
 * radii and thread counts. Prints one "key=value" line per figure.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.countersignal.bench.index.IndexScaleReport
 * --size N [--queries Q] [--seconds S] [--threads T] [--radii 15,31,47,63]
 * [--substrings M] [--export DIR] [--export-text DIR] [--skip-snapshot] [--skip-inserts]}
 *
 * <p>{@code --export-text DIR} writes the same data as {@code countersignal index build} and
 * {@code index query} read it (hashes.txt: one hash per line, ids = line numbers; queries.txt),
 * so the command can be timed on exactly the hashes and queries measured here.
 */
public final class IndexScaleReport {

  public static void main(String[] args) throws Exception {
    int size = 1_000_000;
    int queryCount = 10_000;
    double seconds = 5;
    int threads = 1;
    int substrings = 0;
    String radii = "31";
    Path export = null;
    Path exportText = null;
    boolean snapshot = true;
    boolean inserts = true;
    boolean insertsOnly = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--size" -> size = Integer.parseInt(args[++i]);
        case "--queries" -> queryCount = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--radii" -> radii = args[++i];
        case "--substrings" -> substrings = Integer.parseInt(args[++i]);
        case "--export" -> export = Path.of(args[++i]);
        case "--export-text" -> exportText = Path.of(args[++i]);
        case "--skip-snapshot" -> snapshot = false;
        case "--skip-inserts" -> inserts = false;
        case "--inserts-only" -> insertsOnly = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    print("size", size);
    print("java", Runtime.version());
    print("cpus", Runtime.getRuntime().availableProcessors());
    if (insertsOnly) {
      // Adds into an empty index: the add() rate, then the rate including background merges.
      measureInserts(null, size, IndexData.generate(1, 1000, 31, 42).queries, seconds, threads);
      return;
    }
    IndexData data = IndexData.generate(size, queryCount, 31, 42);
    if (export != null) {
      exportData(export, data);
    }
    if (exportText != null) {
      exportText(exportText, data);
    }
    long[][] queries = data.queries;
    int[] planted = data.plantedRow;

    long baseline = usedHeapAfterGc();
    long[] words = data.words.clone();
    long[] ids = data.ids.clone();
    long start = System.nanoTime();
    HammingIndex index = substrings > 0
        ? HammingIndex.build(words, ids, substrings)
        : HammingIndex.build(words, ids);
    double buildSeconds = (System.nanoTime() - start) / 1e9;
    words = null;
    ids = null;
    long used = usedHeapAfterGc() - baseline;
    print("build_seconds", buildSeconds);
    print("heap_bytes_per_hash", used / (double) size);
    print("array_bytes_per_hash", index.bytesUsed() / (double) size);

    for (String radiusText : radii.split(",")) {
      int radius = Integer.parseInt(radiusText);
      // Recall: every planted query must find its source row (the planted distance is <= 31).
      long found = 0;
      long plantedCount = 0;
      long totalMatches = 0;
      // The first pass over the queries (at the first radius) also gives the rate before the JIT
      // has compiled the lookup: what a process that starts, loads and looks each query up once
      // sees.
      long firstPassStart = System.nanoTime();
      for (int i = 0; i < queries.length; i++) {
        long[] q = queries[i];
        final long want = planted[i];
        final boolean[] hit = {false};
        final long[] n = {0};
        index.search(new Hash256(q[0], q[1], q[2], q[3]), radius, (id, d) -> {
          n[0]++;
          if (id == want) {
            hit[0] = true;
          }
        });
        totalMatches += n[0];
        if (want >= 0) {
          plantedCount++;
          if (hit[0]) {
            found++;
          }
        }
      }
      double firstPassSeconds = (System.nanoTime() - firstPassStart) / 1e9;
      if (radius >= 31) {
        print("recall_planted_r" + radius, found / (double) plantedCount);
      }
      print("first_pass_lookups_per_second_r" + radius, queries.length / firstPassSeconds);
      print("matches_per_query_r" + radius, totalMatches / (double) queries.length);
      print("brute_force_agreement_r" + radius, bruteForceAgreement(data, index, radius, 20));
      double rate = lookupsPerSecond(index, queries, radius, seconds, threads);
      print("lookups_per_second_r" + radius + "_t" + threads, rate);
      print("micros_per_lookup_r" + radius + "_t" + threads, 1e6 * threads / rate);
    }

    if (snapshot) {
      Path file = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "index", ".snap");
      try {
        start = System.nanoTime();
        index.writeSnapshot(file);
        print("snapshot_write_seconds", (System.nanoTime() - start) / 1e9);
        print("snapshot_bytes", Files.size(file));
        HammingIndex loaded = null;
        index.close();
        index = null;
        usedHeapAfterGc();
        start = System.nanoTime();
        loaded = HammingIndex.readSnapshot(file);
        print("snapshot_load_seconds", (System.nanoTime() - start) / 1e9);
        print("snapshot_loaded_size", loaded.size());
        index = loaded;
      } finally {
        Files.deleteIfExists(file);
      }
    }

    if (inserts) {
      measureInserts(index, size, queries, seconds, threads);
    }
  }

  private static void measureInserts(HammingIndex index, int size, long[][] queries,
      double seconds, int threads) throws Exception {
    int count = 1_000_000;
    IndexData extra = IndexData.generate(count, 0, 31, 7);
    try (HammingIndex live = index == null ? new HammingIndex() : index) {
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        int b = i * 4;
        live.add(extra.words[b], extra.words[b + 1], extra.words[b + 2], extra.words[b + 3],
            size + i);
      }
      double addSeconds = (System.nanoTime() - start) / 1e9;
      print("inserts_per_second_single_add", count / addSeconds);
      live.awaitMerges();
      print("inserts_per_second_including_merges", count / ((System.nanoTime() - start) / 1e9));
      print("segments_after_inserts", live.segmentCount());
      double rate = lookupsPerSecond(live, queries, 31, seconds, threads);
      print("lookups_per_second_r31_after_1M_inserts_t" + threads, rate);
      start = System.nanoTime();
      live.compact();
      print("compact_seconds", (System.nanoTime() - start) / 1e9);
      rate = lookupsPerSecond(live, queries, 31, seconds, threads);
      print("lookups_per_second_r31_after_1M_inserts_and_compact_t" + threads, rate);
    }
  }

  private static double bruteForceAgreement(IndexData data, HammingIndex index, int radius, int sample) {
    int agree = 0;
    for (int i = 0; i < sample && i < data.queries.length; i++) {
      long[] q = data.queries[i];
      long expected = 0;
      long expectedIdSum = 0;
      int n = data.ids.length;
      for (int row = 0; row < n; row++) {
        int b = row * 4;
        int d = Long.bitCount(data.words[b] ^ q[0]) + Long.bitCount(data.words[b + 1] ^ q[1])
            + Long.bitCount(data.words[b + 2] ^ q[2]) + Long.bitCount(data.words[b + 3] ^ q[3]);
        if (d <= radius) {
          expected++;
          expectedIdSum += data.ids[row] * 31 + d;
        }
      }
      long[] got = {0, 0};
      index.search(new Hash256(q[0], q[1], q[2], q[3]), radius, (id, d) -> {
        got[0]++;
        got[1] += id * 31 + d;
      });
      if (got[0] == expected && got[1] == expectedIdSum) {
        agree++;
      }
    }
    return agree / (double) Math.min(sample, data.queries.length);
  }

  static double lookupsPerSecond(HammingIndex index, long[][] queries, int radius, double seconds,
      int threads) throws InterruptedException {
    Hash256[] hashes = new Hash256[queries.length];
    for (int i = 0; i < queries.length; i++) {
      hashes[i] = new Hash256(queries[i][0], queries[i][1], queries[i][2], queries[i][3]);
    }
    AtomicLong sink = new AtomicLong();
    // Warm up for a third of the measuring time.
    runFor(index, hashes, radius, seconds / 3, threads, sink);
    long[] done = runFor(index, hashes, radius, seconds, threads, sink);
    return done[0] / (done[1] / 1e9);
  }

  private static long[] runFor(HammingIndex index, Hash256[] hashes, int radius, double seconds,
      int threads, AtomicLong sink) throws InterruptedException {
    AtomicLong lookups = new AtomicLong();
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int offset = t * 7919;
      Thread worker = new Thread(() -> {
        long local = 0;
        long matches = 0;
        long[] count = {0};
        int i = offset;
        while ((local & 15) != 0 || System.nanoTime() < deadline) {
          index.search(hashes[i % hashes.length], radius, (id, d) -> count[0]++);
          i++;
          local++;
        }
        matches += count[0];
        lookups.addAndGet(local);
        sink.addAndGet(matches);
      });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    return new long[] {lookups.get(), System.nanoTime() - start};
  }

  static long usedHeapAfterGc() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
    }
    return used;
  }

  /** Writes hashes.bin (32 bytes per hash) and queries.bin for the faiss comparison script. */
  static void exportData(Path dir, IndexData data) throws IOException {
    Files.createDirectories(dir);
    writeWords(dir.resolve("hashes.bin"), data.words, data.ids.length);
    writeWords(dir.resolve("queries.bin"), queryWords(data), data.queries.length);
    StringBuilder planted = new StringBuilder();
    for (int row : data.plantedRow) {
      planted.append(row).append('\n');
    }
    Files.writeString(dir.resolve("planted.txt"), planted);
  }

  /** The queries' words, four per query, in one array as the export files hold them. */
  private static long[] queryWords(IndexData data) {
    long[] q = new long[data.queries.length * 4];
    for (int i = 0; i < data.queries.length; i++) {
      System.arraycopy(data.queries[i], 0, q, i * 4, 4);
    }
    return q;
  }

  /** Writes hashes.txt and queries.txt, one 64-digit hex hash per line. */
  private static void exportText(Path dir, IndexData data) throws IOException {
    Files.createDirectories(dir);
    writeHex(dir.resolve("hashes.txt"), data.words, data.ids.length);
    writeHex(dir.resolve("queries.txt"), queryWords(data), data.queries.length);
  }

  private static void writeHex(Path file, long[] words, int count) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      for (int row = 0; row < count; row++) {
        out.write(Hash256.fromWords(words, row).toHex());
        out.write('\n');
      }
    }
  }

  private static void writeWords(Path file, long[] words, int count) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < count * 4; i++) {
        if (!buffer.hasRemaining()) {
          out.write(buffer.array(), 0, buffer.position());
          buffer.clear();
        }
        buffer.putLong(words[i]);
      }
      out.write(buffer.array(), 0, buffer.position());
    }
  }
}
