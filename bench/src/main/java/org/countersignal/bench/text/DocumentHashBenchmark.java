package org.countersignal.bench.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.document.DocumentExtractor;
import org.countersignal.signals.document.DocumentLimits;
import org.countersignal.signals.document.DocumentSignals;
import org.countersignal.signals.image.ImageDecoder;
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
 * All signals of a document with 50 KB of text (text signal, URLs; no images): a PDF of 12
 * pages set in Helvetica, and the same text as HTML. Throughput in MB of text per second is
 * 0.0512 / seconds per op. Corpus path: system property {@code countersignal.kjv}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DocumentHashBenchmark {

  private final DocumentSignals signals =
      new DocumentSignals(new DocumentExtractor(DocumentLimits.DEFAULT), new ImageDecoder());
  private byte[] pdf;
  private byte[] html;

  @Setup
  public void setUp() throws IOException {
    Path kjv = Path.of(System.getProperty("countersignal.kjv", "bench/work/text/kjv.txt"));
    List<String> lines = new ArrayList<>();
    int chars = 0;
    for (String line : Files.readAllLines(kjv, StandardCharsets.UTF_8).subList(5000, 9000)) {
      String verse = line.substring(line.indexOf(' ') + 1);
      for (String word : verse.split(" ")) {
        PdfPages.addWord(lines, word);
        chars += word.length() + 1;
      }
      if (chars >= 50 * 1024) {
        break;
      }
    }
    pdf = PdfPages.pdf(lines);
    html = ("<!DOCTYPE html><html><body><p>" + String.join("</p>\n<p>", lines) + "</p></body></html>")
        .getBytes(StandardCharsets.UTF_8);
    System.err.printf("%nPDF: %,d bytes; HTML: %,d bytes; text: %,d characters in %,d lines%n",
        pdf.length, html.length, chars, lines.size());
  }

  @Benchmark
  public DocumentSignals.Result pdf50k() throws ContentException {
    return signals.ofDocument(pdf);
  }

  @Benchmark
  public DocumentSignals.Result html50k() throws ContentException {
    return signals.ofDocument(html);
  }
}
