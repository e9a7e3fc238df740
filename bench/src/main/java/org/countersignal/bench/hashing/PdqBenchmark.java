package org.countersignal.bench.hashing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.digest.DigestSignalType;
import org.countersignal.signals.image.ImageDecoder;
import org.countersignal.signals.image.LumaImage;
import org.countersignal.signals.pdq.PdqHasher;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * PDQ on one 1200x900 photo, split into decoding and hashing. The photo is {@code -p photo=PATH}
 * (by default the first of the benchmark set made by {@code bench/hashing/run.sh}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PdqBenchmark {

  @Param("bench/work/photos/photo-000.jpg")
  public String photo;

  private byte[] jpeg;
  private LumaImage decoded;
  private final ImageDecoder nativeDecoder =
      new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.Backend.LIBJPEG_TURBO);
  private final ImageDecoder leptonicaDecoder =
      new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.Backend.LEPTONICA);
  private final ImageDecoder ffmpegDecoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.Backend.FFMPEG);
  private final ImageDecoder imageIoDecoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, ImageDecoder.Backend.IMAGEIO);
  private final PdqHasher hasher = new PdqHasher();

  @Setup
  public void load(BenchmarkParams params) throws IOException, ContentException {
    jpeg = Files.readAllBytes(Path.of(photo));
    decoded = imageIoDecoder.decode(jpeg);
    // Without the library its decoder falls back to FFmpeg: a figure under the wrong name.
    if (params.getBenchmark().endsWith("LibjpegTurbo") && !nativeDecoder.nativeJpeg()) {
      throw new IllegalStateException("libturbojpeg0 is not installed; the native path cannot be measured");
    }
  }

  /** The headline: PDQ of an already-decoded 1200x900 image (luminance in hand). */
  @Benchmark
  public PdqHasher.Result hashDecoded() {
    return hasher.hash(decoded);
  }

  @Benchmark
  public LumaImage decodeLibjpegTurbo() throws ContentException {
    return nativeDecoder.decode(jpeg);
  }

  @Benchmark
  public LumaImage decodeLeptonica() throws ContentException {
    return leptonicaDecoder.decode(jpeg);
  }

  @Benchmark
  public PdqHasher.Result decodeAndHashLeptonica() throws ContentException {
    return hasher.hash(leptonicaDecoder.decode(jpeg));
  }

  @Benchmark
  public LumaImage decodeFfmpeg() throws ContentException {
    return ffmpegDecoder.decode(jpeg);
  }

  @Benchmark
  public PdqHasher.Result decodeAndHashFfmpeg() throws ContentException {
    return hasher.hash(ffmpegDecoder.decode(jpeg));
  }

  @Benchmark
  public LumaImage decodeImageIo() throws ContentException {
    return imageIoDecoder.decode(jpeg);
  }

  @Benchmark
  public PdqHasher.Result decodeAndHashLibjpegTurbo() throws ContentException {
    return hasher.hash(nativeDecoder.decode(jpeg));
  }

  /** The exact-bytes signals every image also gets. */
  @Benchmark
  public Object md5AndSha256() {
    return new Object[] {DigestSignalType.MD5.digest(jpeg), DigestSignalType.SHA256.digest(jpeg)};
  }

  @Benchmark
  public PdqHasher.Result decodeAndHashImageIo() throws ContentException {
    return hasher.hash(imageIoDecoder.decode(jpeg));
  }
}
