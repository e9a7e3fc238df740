package org.countersignal.bench.video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.vpdq.VideoLimits;
import org.countersignal.signals.vpdq.VpdqHasher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * vPDQ of every sample video, decode included, in a process that is already running, as the
 * service's video jobs hash them: the whole-process figures of bench/video/run.sh also carry
 * the JVM's and FFmpeg's start (about 1.7 s), which a long-running server pays once. One
 * operation hashes the whole set ({@code -p videos=DIR}); frames per second are the set's 3,262
 * decoded frames divided by the time per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class VpdqHashBenchmark {

  @Param("../shared/conformance/vpdq/videos")
  public String videos;

  /** 0 hashes every frame (the reference's default); 1 hashes one frame a second. */
  @Param({"0", "1"})
  public double secondsPerFrame;

  private List<Path> files;
  private final VpdqHasher hasher = new VpdqHasher(VideoLimits.DEFAULT);

  @Setup
  public void find() throws IOException {
    try (Stream<Path> listing = Files.list(Path.of(videos))) {
      files = listing.filter(p -> p.toString().endsWith(".mp4")).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("no .mp4 files in " + videos);
    }
  }

  /** Returns the frames hashed, so the work cannot be optimised away. */
  @Benchmark
  public int hashSet() throws ContentException {
    int hashed = 0;
    for (Path file : files) {
      hashed += hasher.hash(file, secondsPerFrame).frames().size();
    }
    return hashed;
  }
}
