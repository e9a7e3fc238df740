package org.countersignal.bench.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.countersignal.signals.text.TextSketcher;
import org.countersignal.signals.url.UrlExtractor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a 50 KB plain-text post costs before any lookup: its text signal and query sketches from
 * one pass ({@code TextSketcher.sketched}), and the URLs in it ({@code UrlExtractor.extract}).
 * The texts are 64 slices of Vim's help files (the {@code other} queries of the service
 * benchmark: prose full of dotted words, paths and a few links), taken in turn. Folder: system
 * property {@code countersignal.vimdoc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TextHashBenchmark {

  private static final int CHARS = 50 * 1024;
  private String[] texts;
  private int next;

  @Setup
  public void setUp() throws IOException {
    Path folder = Path.of(System.getProperty("countersignal.vimdoc", "/usr/share/vim/vim90/doc"));
    StringBuilder help = new StringBuilder();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
        help.append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
      }
    }
    SplittableRandom random = new SplittableRandom(64);
    texts = new String[64];
    for (int i = 0; i < texts.length; i++) {
      int from = random.nextInt(help.length() - CHARS);
      texts[i] = help.substring(from, from + CHARS);
    }
  }

  private String text() {
    next = (next + 1) % texts.length;
    return texts[next];
  }

  @Benchmark
  public TextSketcher.Sketched sketch() {
    return TextSketcher.sketched(text());
  }

  @Benchmark
  public int urls() {
    return UrlExtractor.extract(text()).size();
  }
}
