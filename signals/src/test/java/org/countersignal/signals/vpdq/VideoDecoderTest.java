package org.countersignal.signals.vpdq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentException.Reason;
import org.countersignal.signals.testing.ConformanceData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken, hostile and oversized videos: each a clear refusal, the JVM unharmed. */
class VideoDecoderTest {

  @TempDir
  Path dir;

  private final VpdqHasher hasher = new VpdqHasher(VideoLimits.DEFAULT);

  /**
   * Called before, not inside, the lambdas under test: without the conformance data it skips the
   * test, where inside one its abort would be caught as the refusal under test and fail it.
   */
  private static Path sample() {
    return ConformanceData.directory("vpdq").resolve("videos/chair-19-sd-bar.mp4");
  }

  private static void assertRefused(ThrowingHash hash, Reason... reasons) {
    assertThatThrownBy(hash::run)
        .isInstanceOf(ContentException.class)
        .satisfies(e -> assertThat(((ContentException) e).reason()).as(e.getMessage()).isIn((Object[]) reasons));
  }

  @FunctionalInterface
  interface ThrowingHash {
    Object run() throws Exception;
  }

  @Test
  void aVideoCutInHalfIsReportedAsTruncated() throws IOException {
    byte[] whole = Files.readAllBytes(sample());
    Path cut = dir.resolve("cut.mp4");
    Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
    assertRefused(() -> hasher.hash(cut), Reason.TRUNCATED);
  }

  @Test
  void aVideoWhoseDataIsOverwrittenWithNoiseIsRefused() throws IOException {
    byte[] video = Files.readAllBytes(sample());
    byte[] noise = new byte[video.length - 4096];
    new Random(9).nextBytes(noise);
    System.arraycopy(noise, 0, video, 4096, noise.length);
    Path broken = dir.resolve("noise.mp4");
    Files.write(broken, video);
    assertRefused(() -> hasher.hash(broken), Reason.CORRUPT, Reason.UNSUPPORTED_FORMAT, Reason.TRUNCATED);
  }

  @Test
  void aListNamingAnotherFileIsNotOpened() throws IOException {
    Files.copy(sample(), dir.resolve("neighbour.mp4"));
    Path list = Files.writeString(dir.resolve("upload.video"), "ffconcat version 1.0\nfile neighbour.mp4\n");
    assertRefused(() -> hasher.hash(list), Reason.UNSUPPORTED_FORMAT);
  }

  @Test
  void randomBytesAndEmptyFilesAreNotVideos() throws IOException {
    byte[] noise = new byte[100_000];
    new Random(4).nextBytes(noise);
    Path random = Files.write(dir.resolve("random.mp4"), noise);
    Path empty = Files.write(dir.resolve("empty.mp4"), new byte[0]);
    assertRefused(() -> hasher.hash(random), Reason.UNSUPPORTED_FORMAT, Reason.CORRUPT);
    assertRefused(() -> hasher.hash(empty), Reason.UNSUPPORTED_FORMAT, Reason.CORRUPT);
    assertRefused(() -> hasher.hash(dir.resolve("missing.mp4")), Reason.UNREADABLE);
  }

  @Test
  void audioOnlyFilesSayTheyHaveNoVideo() throws IOException {
    Path wav = dir.resolve("tone.wav");
    Files.write(wav, wavTone(8000, 1));
    assertThatThrownBy(() -> hasher.hash(wav))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("no video stream");
  }

  @Test
  void framesOverThePixelLimitAreRefusedBeforeDecoding() {
    VpdqHasher strict = new VpdqHasher(new VideoLimits(3600, 1000, 1000));
    Path video = sample();
    assertThatThrownBy(() -> strict.hash(video))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("exceed the limit")
        .satisfies(e -> assertThat(((ContentException) e).reason()).isEqualTo(Reason.TOO_LARGE));
  }

  @Test
  void videosLongerThanTheLimitAreRefused() {
    VpdqHasher strict = new VpdqHasher(new VideoLimits(5, VideoLimits.DEFAULT.maxFramePixels(), 100_000));
    Path video = sample();
    assertThatThrownBy(() -> strict.hash(video))
        .isInstanceOf(ContentException.class)
        .hasMessageContaining("over the limit of 5 s");
  }

  @Test
  void aFrameBudgetStopsHashingEarly() {
    VpdqHasher strict = new VpdqHasher(new VideoLimits(3600, VideoLimits.DEFAULT.maxFramePixels(), 50));
    Path video = sample();
    assertRefused(() -> strict.hash(video), Reason.TOO_LARGE);
  }

  @Test
  void damagedVideosAreHashedOrRefusedWithoutHarmingTheProcess() throws IOException {
    byte[] video = Files.readAllBytes(ConformanceData.directory("vpdq").resolve("videos/pattern-sd-grey-bar.mp4"));
    Random random = new Random(12);
    java.util.List<String> escapes = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      byte[] mutant = video.clone();
      // Damage both the container's index (near the start) and the coded frames.
      for (int hits = 0; hits < 40; hits++) {
        int at = hits < 10 ? random.nextInt(4096) : random.nextInt(mutant.length);
        mutant[at] = (byte) random.nextInt(256);
      }
      Path file = Files.write(dir.resolve("mutant-" + i + ".mp4"), mutant);
      try {
        hasher.hash(file);
      } catch (ContentException e) {
        assertThat(e.getMessage()).isNotBlank();
      } catch (Throwable e) {
        escapes.add("mutant " + i + ": " + e);
      }
    }
    assertThat(escapes).isEmpty();
  }

  @Test
  void theDecoderKeepsWorkingAfterRefusals() throws Exception {
    Path empty = Files.write(dir.resolve("empty.mp4"), new byte[0]);
    for (int i = 0; i < 3; i++) {
      assertRefused(() -> hasher.hash(empty), Reason.UNSUPPORTED_FORMAT, Reason.CORRUPT);
    }
    assertThat(hasher.hash(sample(), 1.0).frames()).hasSize(19);
  }

  /** A mono 16-bit PCM WAV file of a sine tone. */
  private static byte[] wavTone(int sampleRate, int seconds) {
    int samples = sampleRate * seconds;
    ByteBuffer wav = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes());
    wav.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1)
        .putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
    wav.put("data".getBytes()).putInt(samples * 2);
    for (int i = 0; i < samples; i++) {
      wav.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / sampleRate)));
    }
    return wav.array();
  }
}
