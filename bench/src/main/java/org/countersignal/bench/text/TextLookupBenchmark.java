package org.countersignal.bench.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.countersignal.signals.text.TextIndex;
import org.countersignal.signals.text.TextSignal;
import org.countersignal.signals.text.TextSignalType;
import org.countersignal.signals.text.TextSketcher;
import org.countersignal.signals.url.UrlExtractor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Matching a 50 KB document against a bank of text documents, and hashing throughput. The bank:
 * documents of 5 to 40 verses drawn at random from the whole King James Bible (about 2.9 KB
 * each), plus one banked document that contains 300 words of the query, so every lookup has a
 * real match to find among many partial overlaps. The query: 50 KB of consecutive text.
 * Corpus path: system property {@code countersignal.kjv} (default bench/work/text/kjv.txt).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TextLookupBenchmark {

  @Param("100000")
  int bankSize;

  private TextIndex index;
  private String query50k;
  private TextSketcher.Query sketched;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    List<String> verses = new ArrayList<>();
    Path kjv = Path.of(System.getProperty("countersignal.kjv", "bench/work/text/kjv.txt"));
    for (String line : Files.readAllLines(kjv, StandardCharsets.UTF_8)) {
      int space = line.indexOf(' ');
      if (space > 0) {
        verses.add(line.substring(space + 1));
      }
    }
    Random random = new Random(42);
    int start = random.nextInt(verses.size() - 2000);
    StringBuilder query = new StringBuilder();
    for (int v = start; query.length() < 50 * 1024; v++) {
      query.append(verses.get(v)).append(v % 4 == 3 ? "\n\n" : " ");
    }
    query50k = query.substring(0, 50 * 1024);
    sketched = TextSketcher.query(query50k);

    long began = System.nanoTime();
    index = new TextIndex();
    long bytes = 0;
    String[] words = query50k.split(" ");
    int plantedAt = random.nextInt(bankSize);
    for (int d = 0; d < bankSize; d++) {
      StringBuilder doc = new StringBuilder();
      if (d == plantedAt) {
        int from = random.nextInt(words.length - 300);
        doc.append("Forwarded: ").append(String.join(" ", java.util.Arrays.asList(words).subList(from, from + 300)));
      } else {
        for (int n = 5 + random.nextInt(36); n > 0; n--) {
          doc.append(verses.get(random.nextInt(verses.size()))).append(' ');
        }
      }
      bytes += doc.length();
      index.add(TextSketcher.signal(doc));
    }
    System.err.printf("%nbank: %,d documents, %,d bytes of text, %,d sketches, ~%,d MB index (%,d bytes per document), built in %.1f s%n",
        index.documents(), bytes, index.chunks(), index.approximateBytes() >> 20,
        index.approximateBytes() / index.documents(), (System.nanoTime() - began) / 1e9);
    List<TextIndex.Match> matches = index.lookup(sketched, TextSignalType.DEFAULT_THRESHOLD);
    if (matches.stream().noneMatch(m -> m.document() == plantedAt)) {
      throw new IllegalStateException("the planted document was not found: " + matches);
    }
    System.err.printf("query: %,d chars, %,d query sketches, %d matches at threshold %d%n",
        query50k.length(), sketched.chunks().size() + 1, matches.size(), TextSignalType.DEFAULT_THRESHOLD);
  }

  /** The whole match of a 50 KB text: normalise, sketch, probe, verify. */
  @Benchmark
  public List<TextIndex.Match> sketchAndLookup50k() {
    return index.lookup(TextSketcher.query(query50k), TextSignalType.DEFAULT_THRESHOLD);
  }

  @Benchmark
  public List<TextIndex.Match> lookupOnly50k() {
    return index.lookup(sketched, TextSignalType.DEFAULT_THRESHOLD);
  }

  /** The text signal as banked (throughput in MB/s = 0.0512 / seconds per op). */
  @Benchmark
  public TextSignal hashSignal50k() {
    return TextSketcher.signal(query50k);
  }

  @Benchmark
  public Object extractUrls50k() {
    return UrlExtractor.extract(query50k);
  }
}
