package org.countersignal.bench.video;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.countersignal.index.hamming.Hash256;
import org.countersignal.index.video.VideoFrame;
import org.countersignal.index.video.VideoIndex;
import org.countersignal.index.video.VideoMatch;
import org.countersignal.index.video.VideoMatchRules;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One 5-minute query video against a bank of videos (default 10,000 of 1 to 9 minutes), with
 * synthetic frame hashes that drift through scenes as footage does. Half the queries are a clip
 * of a bank video, re-encoded (a few bits flipped per frame) and padded with new footage; half
 * are unrelated. Frames are hashed at one per second ({@code queryFramesPerSecond=1}) or every
 * frame at 30 fps.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "--enable-native-access=ALL-UNNAMED"})
public class VideoIndexBenchmark {

  @Param("10000")
  public int bankVideos;

  /** Frames hashed per second of video, in bank and query alike. */
  @Param({"1"})
  public int framesPerSecond;

  private VideoIndex index;
  private final List<List<VideoFrame>> queries = new ArrayList<>();
  private int next;

  @Setup(Level.Trial)
  public void build() throws InterruptedException {
    Random random = new Random(2019);
    index = new VideoIndex(50);
    List<List<VideoFrame>> bank = new ArrayList<>();
    long frames = 0;
    for (int v = 0; v < bankVideos; v++) {
      List<VideoFrame> video = footage(random, (60 + random.nextInt(480)) * framesPerSecond);
      frames += video.size();
      index.add(v, video);
      if (v < 64) {
        bank.add(video);
      }
    }
    index.compact();
    for (int q = 0; q < 64; q++) {
      List<VideoFrame> query = new ArrayList<>();
      int length = 300 * framesPerSecond;
      if (q % 2 == 0) {
        List<VideoFrame> source = bank.get(q);
        for (VideoFrame f : source.subList(0, Math.min(source.size(), length / 2))) {
          query.add(new VideoFrame(flip(f.hash(), random, random.nextInt(10)), f.quality(), f.seconds()));
        }
      }
      query.addAll(footage(random, length - query.size()));
      queries.add(query);
    }
    System.err.printf("bank: %d videos, %d frames, %d unique indexed%n", bankVideos, frames, index.frameCount());
  }

  @TearDown(Level.Trial)
  public void close() {
    index.close();
  }

  @Benchmark
  public List<VideoMatch> fiveMinuteQuery() {
    List<VideoFrame> query = queries.get(next++ & 63);
    return index.search(query, VideoMatchRules.DEFAULT);
  }

  private List<VideoFrame> footage(Random random, int frames) {
    List<VideoFrame> list = new ArrayList<>(frames);
    Hash256 scene = new Hash256(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    int sceneLength = 8 * framesPerSecond;
    for (int i = 0; i < frames; i++) {
      if (random.nextInt(sceneLength) == 0) {
        scene = new Hash256(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
      }
      list.add(new VideoFrame(flip(scene, random, 4 + random.nextInt(12)), 60 + random.nextInt(41),
          (double) i / framesPerSecond));
    }
    return list;
  }

  private static Hash256 flip(Hash256 h, Random random, int bits) {
    long[] w = {h.w0(), h.w1(), h.w2(), h.w3()};
    for (int i = 0; i < bits; i++) {
      int b = random.nextInt(256);
      w[b >>> 6] ^= 1L << (b & 63);
    }
    return new Hash256(w[0], w[1], w[2], w[3]);
  }
}
