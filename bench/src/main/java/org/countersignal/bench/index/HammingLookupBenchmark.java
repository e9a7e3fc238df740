package org.countersignal.bench.index;

import java.util.concurrent.TimeUnit;
import org.countersignal.index.hamming.Hash256;
import org.countersignal.index.hamming.HammingIndex;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Lookup throughput of the Hamming index on random hashes, with queries half planted
 * near-duplicates (1 to 31 bits flipped) and half random, as in the issue. One operation is
 * one lookup; run with {@code -t N} for N threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HammingLookupBenchmark {

  @Param({"100000", "1000000", "10000000"})
  public int size;

  @Param({"31"})
  public int radius;

  private HammingIndex index;
  private Hash256[] queries;

  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  @Setup(Level.Trial)
  public void setUp() {
    IndexData data = IndexData.generate(size, 4096, 31, 42);
    index = HammingIndex.build(data.words, data.ids);
    queries = new Hash256[data.queries.length];
    for (int i = 0; i < queries.length; i++) {
      long[] q = data.queries[i];
      queries[i] = new Hash256(q[0], q[1], q[2], q[3]);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    index.close();
  }

  @Benchmark
  public void lookup(Cursor cursor, Blackhole blackhole) {
    Hash256 q = queries[cursor.next++ & (queries.length - 1)];
    index.search(q, radius, (id, distance) -> blackhole.consume(id));
  }

  /** The eight dihedral variants of one image arrive together; here, eight queries per batch. */
  @Benchmark
  @org.openjdk.jmh.annotations.OperationsPerInvocation(8)
  public void batchOfEight(Cursor cursor, Blackhole blackhole) {
    int start = (cursor.next += 8) & (queries.length - 1) & ~7;
    blackhole.consume(index.searchBatch(java.util.Arrays.asList(queries).subList(start, start + 8), radius));
  }
}
